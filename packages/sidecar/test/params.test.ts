// The kernel's request params are checked against the shared limits, with codes that tell a wrong value from a
// wrong type.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LIMITS } from '@glstream/protocol';
import { arrayInput } from '../src/render/objects/arrays.js';
import { finite, frameRate, oneOf, record, side, text, texts } from '../src/kernel/params.js';

test('sides from the shared minimum to maximum pass; one past either end, or not a number, is refused', () => {
  const { min, max } = LIMITS.side;
  assert.equal(side({ width: min }, 'width'), min);
  assert.equal(side({ width: max }, 'width'), max);
  const message = `"width" must be an integer from ${min} to ${max}, got ${max + 1}`;
  assert.throws(() => side({ width: max + 1 }, 'width'), { code: 'invalid_argument', message });
  assert.throws(() => side({ width: min - 1 }, 'width'), { code: 'invalid_argument' });
  assert.throws(() => side({ width: 2.5 }, 'width'), { code: 'invalid_argument' });
  assert.throws(() => side({ width: '640' }, 'width'), { code: 'invalid_type' });
});

test('frame rates from the shared minimum to maximum pass; absent is undefined', () => {
  const { min, max } = LIMITS.frame_rate;
  assert.equal(frameRate({ fps: min }, 'fps'), min);
  assert.equal(frameRate({ fps: max }, 'fps'), max);
  assert.equal(frameRate({}, 'fps'), undefined);
  assert.throws(() => frameRate({ fps: max + 0.5 }, 'fps'), {
    code: 'invalid_argument',
    message: `"fps" must be a number from ${min} to ${max}, got ${max + 0.5}`,
  });
  assert.throws(() => frameRate({ fps: 'fast' }, 'fps'), { code: 'invalid_type' });
});

test('a still kind is one of the shared list, named in the refusal', () => {
  for (const kind of LIMITS.still_kinds) assert.equal(oneOf({ still: kind }, 'still', LIMITS.still_kinds), kind);
  assert.throws(() => oneOf({ still: 'lossy' }, 'still', LIMITS.still_kinds), {
    code: 'invalid_argument',
    message: '"still" must be "lossless" or "near-lossless", got "lossy"',
  });
});

test('names and array specs of the wrong kind are refused as types', () => {
  assert.equal(text({ view: 'v1' }, 'view'), 'v1');
  assert.throws(() => text({ view: '' }, 'view'), { code: 'invalid_argument' });
  assert.throws(() => text({}, 'view'), { code: 'invalid_type', message: '"view" must be a non-empty string' });
  assert.deepEqual(texts({ views: ['a', 'b'] }, 'views'), ['a', 'b']);
  assert.throws(() => texts({ views: ['a', ''] }, 'views'), { code: 'invalid_type' });
  assert.deepEqual(record({}, 'style'), {});
  assert.throws(() => record({ style: [1] }, 'style'), { code: 'invalid_type' });
  assert.equal(finite({ x: -2.5 }, 'x'), -2.5);
  assert.throws(() => finite({ x: Number.NaN }, 'x'), { code: 'invalid_argument' });
  assert.throws(() => finite({ x: '1' }, 'x'), { code: 'invalid_type' });
});

test('array specs pair with the buffers in order; a malformed spec or a missing buffer is refused', () => {
  const bytes = new Uint8Array(36);
  const input = arrayInput([{ name: 'v', dtype: 'float32', shape: [3, 3] }], [bytes]);
  assert.deepEqual(input.get('v')?.spec, { dtype: 'float32', shape: [3, 3] });
  assert.throws(() => arrayInput([{ name: 'v', dtype: 'float32', shape: [3, -1] }], [bytes]), { code: 'invalid_type' });
  assert.throws(() => arrayInput([{ dtype: 'float32', shape: [3] }], [bytes]), { code: 'invalid_type' });
  assert.throws(() => arrayInput([], [bytes]), { code: 'protocol' });
});
