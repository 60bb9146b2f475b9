import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readFrame } from '../src/frame.js';

const META = {
  type: 'frame',
  seq: 3,
  mime: 'image/jpeg',
  width: 1600,
  height: 1000,
  still: false,
  input_seq: 12,
  t_input: 1234.5,
  window: 3,
  timings: { render_ms: 8.2, readback_ms: 1.5, encode_ms: 3 },
  stand_in: false,
  source: 'scene',
};

test('a frame message yields its metadata and image bytes', () => {
  const bytes = new DataView(new ArrayBuffer(8));
  const frame = readFrame(META, [bytes]);
  assert.deepEqual(frame?.meta, META);
  assert.equal(frame?.bytes, bytes);
  assert.equal(readFrame({ ...META, t_input: null }, [bytes])?.meta.t_input, null, 'a frame that reflects no input');
});

test('messages of other types are not frames', () => {
  assert.equal(readFrame({ type: 'hello' }, []), undefined);
  assert.equal(readFrame(null, undefined), undefined);
  assert.equal(readFrame('frame', undefined), undefined);
});

test('a malformed frame is rejected with the field named', () => {
  const buffers = [new ArrayBuffer(4)];
  assert.throws(() => readFrame({ ...META, seq: -1 }, buffers), { name: 'TypeError', message: /"seq"/ });
  assert.throws(() => readFrame({ ...META, mime: 'image/gif' }, buffers), { name: 'TypeError', message: /"mime"/ });
  assert.throws(() => readFrame({ ...META, still: 'yes' }, buffers), { name: 'TypeError', message: /"still"/ });
  assert.throws(() => readFrame({ ...META, source: 'gpu' }, buffers), { name: 'TypeError', message: /"source"/ });
  assert.throws(() => readFrame({ ...META, stand_in: undefined }, buffers), {
    name: 'TypeError',
    message: /"stand_in" must be a boolean/,
  });
  assert.throws(() => readFrame({ ...META, t_input: 'now' }, buffers), { name: 'TypeError', message: /"t_input"/ });
  for (const window of [1, 9, 2.5, '3', undefined])
    assert.throws(() => readFrame({ ...META, window }, buffers), { name: 'TypeError', message: /"window"/ });
  assert.throws(() => readFrame({ ...META, timings: { render_ms: 1, readback_ms: 1 } }, buffers), {
    name: 'TypeError',
    message: /"timings.encode_ms"/,
  });
  assert.throws(() => readFrame(META, []), { name: 'TypeError', message: /without its image buffer/ });
});
