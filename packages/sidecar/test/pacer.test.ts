import { mock, test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_FRAMES, MIN_FRAMES } from '../src/stream/frame-window.js';
import { LinkEstimate } from '../src/stream/link-estimate.js';
import { FramePacer } from '../src/stream/pacer.js';
import { waitFor } from '../../../test/support/wait.js';

// Let every pending promise callback run (frame production here is promise-based, no timers).
const flush = () => new Promise((resolve) => setImmediate(resolve));

function harness(stillDelayMs = 10_000) {
  const frames: boolean[] = [];
  const pacer = new FramePacer(
    async (still) => {
      frames.push(still);
    },
    (error) => assert.fail(String(error)),
    { window: 2, stillDelayMs },
  );
  return { pacer, frames };
}

test('nothing is rendered before a widget has shown the view', async () => {
  const { pacer, frames } = harness();
  pacer.invalidate(false);
  await flush();
  assert.deepEqual(frames, []);
});

test('activation sends one lossless still, and an unchanged view sends nothing more', async () => {
  const { pacer, frames } = harness();
  pacer.activate();
  await waitFor(() => frames.length === 1, 20_000, 'a first frame');
  pacer.ack();
  await flush();
  assert.deepEqual(frames, [true]);
  assert.equal(pacer.unacked, 0);
});

test('without acks the pacer stops at the window and resumes on ack', async () => {
  const { pacer, frames } = harness();
  pacer.activate();
  for (let i = 0; i < 1000; i += 1) {
    pacer.invalidate(true);
    if (i % 100 === 0) await flush();
  }
  await flush();
  assert.equal(frames.length, 2);
  assert.equal(pacer.unacked, 2);
  pacer.ack();
  await waitFor(() => frames.length === 3, 20_000, 'a third frame');
  await flush();
  assert.equal(frames.length, 3, 'one ack frees one frame, and the burst collapsed into it');
  assert.equal(frames[2], false, 'frames during interaction are not the lossless still');
  pacer.dispose();
});

// Activate, then one interactive change: a still and an interactive frame out, both acknowledged.
async function afterOneInteractiveFrame(stillDelayMs: number) {
  const { pacer, frames } = harness(stillDelayMs);
  pacer.activate();
  await waitFor(() => frames.length === 1, 20_000, 'a first frame');
  pacer.ack();
  pacer.invalidate(true);
  await waitFor(() => frames.length === 2, 20_000, 'a second frame');
  pacer.ack();
  return { pacer, frames };
}

test('a lossless still follows once input stops', async () => {
  const { pacer, frames } = await afterOneInteractiveFrame(150);
  await waitFor(() => frames.length === 3, 20_000, 'a third frame');
  assert.deepEqual(frames, [true, false, true]);
  pacer.dispose();
});

test('a pointer release settles at once: the still does not wait for the idle delay', async () => {
  const { pacer, frames } = await afterOneInteractiveFrame(60_000);
  pacer.settle();
  await waitFor(() => frames.length === 3, 20_000, 'a third frame');
  assert.deepEqual(frames, [true, false, true]);
  pacer.settle();
  await flush();
  assert.equal(frames.length, 3, 'settling an unchanged view sends nothing');
  pacer.dispose();
});

test('changes a few hundred ms apart are a stream: the still waits for half again the gap', async () => {
  mock.timers.enable({ apis: ['setTimeout'] });
  let clock = 0;
  const frames: boolean[] = [];
  const pacer = new FramePacer(
    async (still) => {
      frames.push(still);
    },
    (error) => assert.fail(String(error)),
    { window: 2, stillDelayMs: 100, now: () => clock },
  );
  try {
    pacer.activate();
    await flush();
    pacer.ack();
    pacer.invalidate(true);
    await flush();
    pacer.ack();
    clock = 300;
    mock.timers.tick(300);
    await flush();
    assert.deepEqual(frames, [true, false, true], 'a lone change is followed by the still after the idle delay');
    pacer.ack();
    pacer.invalidate(true);
    await flush();
    pacer.ack();
    clock = 600;
    pacer.invalidate(true);
    await flush();
    pacer.ack();
    mock.timers.tick(400);
    await flush();
    assert.deepEqual(frames, [true, false, true, false, false], 'no still 400 ms into a 300 ms stream gap');
    mock.timers.tick(60);
    await flush();
    assert.deepEqual(frames, [true, false, true, false, false, true], 'the still after 1.5 times the gap');
  } finally {
    pacer.dispose();
    mock.timers.reset();
  }
});

test('a pacer on a measured path lets more frames fly while more deliver more, and tells the window', async () => {
  let clock = 0;
  let seq = 0;
  const link = new LinkEstimate();
  const pacer = new FramePacer(
    async () => {
      seq += 1;
      link.sent(seq, 10_000, clock);
    },
    (error) => assert.fail(String(error)),
    { link, stillDelayMs: 1e6, now: () => clock },
  );
  pacer.activate();
  await flush();
  const windows = new Set<number>();
  try {
    for (let i = 0; i < 400; i += 1) {
      for (let change = 0; change < MAX_FRAMES; change += 1) {
        pacer.invalidate(true);
        await flush();
      }
      assert.ok(pacer.unacked <= pacer.window, `${pacer.unacked} in flight, window ${pacer.window}`);
      windows.add(pacer.window);
      // A long path: each frame in flight adds ten frames a second, up to four; the oldest is acked.
      clock += 1000 / (10 * Math.min(pacer.unacked, 4));
      link.acked(seq - pacer.unacked + 1, clock);
      pacer.ack();
    }
  } finally {
    pacer.dispose();
  }
  assert.ok(Math.max(...windows) >= 4, `windows seen: ${[...windows].join(', ')}`);
  assert.equal(Math.min(...windows), MIN_FRAMES);
});
