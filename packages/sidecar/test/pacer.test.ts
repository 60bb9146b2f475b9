import { mock, test } from 'node:test';
import assert from 'node:assert/strict';
import { LinkEstimate } from '../src/stream/link-estimate.js';
import { admits, FramePacer, MAX_FRAMES, MIN_FRAMES } from '../src/stream/pacer.js';
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

// A link estimate that has measured a path of `rttMs` whose bottleneck carries `bytesPerMs`, with frames of
// `bytes` sent as fast as the link takes them (20 in flight: more than any path here holds), then one alone.
function measured(rttMs: number, bytesPerMs: number, bytes: number): LinkEstimate {
  const link = new LinkEstimate();
  const inFlight: { seq: number; at: number }[] = [];
  let now = 0;
  let linkFree = 0;
  for (let seq = 1; seq <= 60; seq += 1) {
    if (inFlight.length >= 20) {
      const first = inFlight.shift() as { seq: number; at: number };
      now = Math.max(now, first.at);
      link.acked(first.seq, first.at);
    }
    link.sent(seq, bytes, now);
    linkFree = Math.max(linkFree, now) + bytes / bytesPerMs;
    inFlight.push({ seq, at: linkFree + rttMs });
  }
  for (const { seq, at } of inFlight) link.acked(seq, at);
  // Then one frame alone, which meets no queue: the last round trip is the least.
  const alone = Math.max(now, linkFree);
  link.sent(61, bytes, alone);
  link.acked(61, alone + bytes / bytesPerMs + rttMs);
  return link;
}

test('without a measured path two frames fly; a long fat path gets more, a short one stays at two', () => {
  assert.equal(admits(new LinkEstimate(), 1), true);
  assert.equal(admits(new LinkEstimate(), MIN_FRAMES), false, 'nothing measured: the least window');
  // 100 ms and 2.5 MB/s hold 250 kB: 20 kB frames fit many times, up to the cap.
  const fat = measured(100, 2500, 20_000);
  assert.equal(admits(fat, MIN_FRAMES), true);
  assert.equal(admits(fat, MAX_FRAMES), false, 'never more than MAX_FRAMES');
  // 2 ms on loopback at the same rate holds 5 kB: two 20 kB frames are already more.
  const short = measured(2, 2500, 20_000);
  short.sent(100, 20_000, 1e6);
  short.sent(101, 20_000, 1e6);
  assert.equal(admits(short, MIN_FRAMES), false);
});

test('the bytes in flight, not the frame count, close the window on a measured path', () => {
  // 30 ms and 20 ms on the wire per 20 kB frame: a least round trip of 50 ms at 1 MB/s holds 50 kB, with a quarter
  // to spare 62.5 kB.
  const link = measured(30, 1000, 20_000);
  assert.equal(link.bdpBytes === null ? null : Math.round(link.bdpBytes), 50_000);
  for (let seq = 100; seq < 103; seq += 1) link.sent(seq, 20_000, 1e6);
  assert.equal(admits(link, 3), true, '60 kB in flight is under 62.5 kB');
  link.sent(103, 20_000, 1e6);
  assert.equal(admits(link, 4), false, '80 kB is over');
});

test('a pacer on a measured path keeps as many frames in flight as the path holds', async () => {
  const link = measured(100, 2500, 20_000);
  const frames: boolean[] = [];
  let seq = 1000;
  const pacer = new FramePacer(
    async (still) => {
      frames.push(still);
      seq += 1;
      link.sent(seq, 20_000, 1e6);
    },
    (error) => assert.fail(String(error)),
    { link, stillDelayMs: 10_000 },
  );
  pacer.activate();
  for (let i = 0; i < 50; i += 1) {
    pacer.invalidate(true);
    await flush();
  }
  assert.equal(pacer.unacked, MAX_FRAMES);
  pacer.dispose();
});

test('a queue in the round trip (a busy browser) keeps the window where it is, whatever the rate samples say', () => {
  const link = measured(100, 2500, 20_000);
  assert.equal(admits(link, MIN_FRAMES), true, 'no queue yet');
  // Frames now wait 60 ms in the browser's decoder: the last round trip grows past the least.
  const least = link.rttMs ?? 0;
  link.sent(500, 20_000, 2e6);
  link.acked(500, 2e6 + least + 60);
  assert.equal(admits(link, MIN_FRAMES), false, `${MIN_FRAMES} in flight with ${least} ms least, ${least + 60} last`);
  // The queue drained: the window may grow again.
  link.sent(501, 20_000, 3e6);
  link.acked(501, 3e6 + least);
  assert.equal(admits(link, MIN_FRAMES), true);
});
