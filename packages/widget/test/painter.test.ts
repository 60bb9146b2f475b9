import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Frame } from '../src/frame.js';
import { FramePainter } from '../src/painter.js';
import { frameOf } from './frames.js';

class FakeImage {
  closed = false;
  constructor(
    readonly seq: number,
    readonly width = 4,
    readonly height = 3,
  ) {}
  close(): void {
    this.closed = true;
  }
}

function frame(seq: number): Frame {
  return frameOf(seq, 'comm', { width: 4, height: 3 });
}

// A painter whose decodes finish when the test says so; records what was drawn, acked and warned.
function harness(drawError?: Error) {
  const pending = new Map<number, { resolve: (image: FakeImage) => void; reject: (error: Error) => void }>();
  const log: string[] = [];
  const images: FakeImage[] = [];
  const warnings: Error[] = [];
  const controller = new AbortController();
  const painter = new FramePainter<FakeImage>({
    decode: (f) => new Promise((resolve, reject) => pending.set(f.meta.seq, { resolve, reject })),
    draw: (image, f, painted) => {
      if (drawError) throw drawError;
      log.push(`draw ${f.meta.seq} #${painted} open=${!image.closed}`);
    },
    ack: (frame) => log.push(`ack ${frame.meta.seq}`),
    warn: (error) => warnings.push(error),
    signal: controller.signal,
  });
  const decoded = (seq: number): FakeImage => {
    const image = new FakeImage(seq);
    images.push(image);
    pending.get(seq)!.resolve(image);
    return image;
  };
  return { painter, pending, log, images, warnings, controller, decoded };
}

test('frames decoded in order are painted in order, each acked after its paint', async () => {
  const h = harness();
  const done = [h.painter.push(frame(1)), h.painter.push(frame(2))];
  assert.deepEqual(h.log, [], 'nothing is acked on receipt');
  h.decoded(1);
  h.decoded(2);
  await Promise.all(done);
  assert.deepEqual(h.log, ['draw 1 #1 open=true', 'ack 1', 'draw 2 #2 open=true', 'ack 2']);
  assert.equal(h.painter.newest, 2);
  assert.equal(h.painter.painted, 2);
  assert.ok(h.images.every((image) => image.closed));
});

test('a frame decoded after a newer one was painted is dropped but still acked', async () => {
  const h = harness();
  const first = h.painter.push(frame(1));
  const second = h.painter.push(frame(2));
  h.decoded(2);
  await second;
  h.decoded(1);
  await first;
  assert.deepEqual(h.log, ['draw 2 #1 open=true', 'ack 2', 'ack 1']);
  assert.equal(h.painter.newest, 2);
  assert.equal(h.painter.painted, 1);
  assert.ok(h.images.every((image) => image.closed));
});

test('a frame that fails to decode is reported with its cause and acked', async () => {
  const h = harness();
  const done = h.painter.push(frame(5));
  const cause = new Error('corrupt JPEG');
  h.pending.get(5)!.reject(cause);
  await done;
  assert.deepEqual(h.log, ['ack 5']);
  assert.equal(h.warnings.length, 1);
  assert.match(h.warnings[0]!.message, /frame 5 \(image\/png\)/);
  assert.equal(h.warnings[0]!.cause, cause);
});

test('a frame that fails to paint is reported, closed and acked, and not counted', async () => {
  const h = harness(new Error('context lost'));
  const done = h.painter.push(frame(1));
  const image = h.decoded(1);
  await done;
  assert.deepEqual(h.log, ['ack 1']);
  assert.equal(h.warnings[0]?.message, 'Could not paint frame 1');
  assert.equal(image.closed, true);
  assert.equal(h.painter.painted, 0);
  assert.equal(h.painter.newest, -1);
});

test('after the view is removed, decoded frames are closed without painting or acking', async () => {
  const h = harness();
  const done = h.painter.push(frame(1));
  h.controller.abort();
  const image = h.decoded(1);
  await done;
  assert.deepEqual(h.log, []);
  assert.equal(image.closed, true);
});

test('after a restart the next frame is painted whatever its number; old frames are dropped unacked', async () => {
  const h = harness();
  await Promise.all([h.painter.push(frame(40)), h.decoded(40)]);
  const old = h.painter.push(frame(41));
  h.painter.restart();
  const fresh = h.painter.push(frame(1));
  h.decoded(1);
  await fresh;
  h.decoded(41);
  await old;
  assert.deepEqual(h.log, ['draw 40 #1 open=true', 'ack 40', 'draw 1 #2 open=true', 'ack 1']);
  assert.equal(h.painter.newest, 1);
  assert.ok(
    h.images.every((image) => image.closed),
    'the old frame was closed',
  );
});
