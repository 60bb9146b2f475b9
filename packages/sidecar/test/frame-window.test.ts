import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FrameWindow, MAX_FRAMES, MIN_FRAMES } from '../src/stream/frame-window.js';
import { LinkEstimate } from '../src/stream/link-estimate.js';
import { sendOverPath } from './simulated-link.js';

// A link estimate that has measured a path of `rttMs` whose bottleneck carries `bytesPerMs`, with frames of
// `bytes` sent as fast as the link takes them (20 in flight: more than any path here holds), then one alone.
function measured(rttMs: number, bytesPerMs: number, bytes: number): LinkEstimate {
  const link = new LinkEstimate();
  const end = sendOverPath(link, { rttMs, bytesPerMs, bytes, count: 60, window: 20 });
  // Then one frame alone, which meets no queue: the last round trip is the least.
  link.sent(61, bytes, end);
  link.acked(61, end + bytes / bytesPerMs + rttMs);
  return link;
}

// Acks for `ms` from `from` with the window full throughout, as a path delivering `rate(size)` frames a second;
// returns the window's size after each ack and when the acks ended.
function drive(window: FrameWindow, rate: (size: number) => number, ms: number, from = 0) {
  const sizes: number[] = [];
  let now = from;
  while (now < from + ms) {
    window.full();
    now += 1000 / rate(window.size);
    window.acked(now);
    sizes.push(window.size);
  }
  return { sizes, now };
}

const share = (sizes: number[], size: number) => sizes.filter((s) => s === size).length / sizes.length;

test('two frames fly before anything is measured, and while the least round trip is measured again', () => {
  const window = new FrameWindow(new LinkEstimate());
  assert.equal(window.size, MIN_FRAMES);
  assert.equal(window.admits(MIN_FRAMES - 1), true);
  assert.equal(window.admits(MIN_FRAMES), false);
});

test('where each frame more delivers more (a long path), the window climbs to where the path is full', () => {
  // Ten frames a second per frame in flight, up to five (a 100 ms round trip at 50 fps).
  const window = new FrameWindow(measured(100, 2500, 20_000));
  const { sizes } = drive(window, (size) => 10 * Math.min(size, 5), 20_000);
  assert.equal(Math.max(...sizes), 6, 'it tried one frame more than pays');
  const settled = sizes.slice(sizes.length / 2);
  assert.ok(share(settled, 5) > 0.7, `five frames ${Math.round(share(settled, 5) * 100)}% of the time once settled`);
  assert.equal(window.admits(4), true, 'room on the path: 4 frames of 20 kB in flight are under its 250 kB');
  assert.equal(window.pathBound, true, 'the sixth frame did not pay: the path holds the rate');
});

test('while each frame more pays, the window, not the path, holds the rate', () => {
  const window = new FrameWindow(measured(100, 2500, 20_000));
  const bound: boolean[] = [];
  let now = 0;
  while (window.size < 4) {
    const step = drive(window, (size) => 10 * Math.min(size, 5), 100, now);
    now = step.now;
    bound.push(window.pathBound);
  }
  assert.ok(!bound.includes(true), 'no try has failed yet');
  window.reset();
  assert.equal(window.pathBound, false);
});

test('where a frame more delivers nothing more (a busy browser), the window stays at two but for its tries', () => {
  const window = new FrameWindow(measured(100, 2500, 20_000));
  const { sizes } = drive(window, () => 60, 30_000);
  assert.ok(share(sizes, MIN_FRAMES) > 0.85, `two frames ${Math.round(share(sizes, MIN_FRAMES) * 100)}% of the time`);
  assert.ok(Math.max(...sizes) <= MIN_FRAMES + 1, 'one frame more at a time, given back');
});

test('a path that got busier takes the window back down, and a reset starts again at two', () => {
  const window = new FrameWindow(measured(100, 2500, 20_000));
  const long = drive(window, (size) => 10 * Math.min(size, 5), 10_000);
  assert.ok(long.sizes.at(-1)! >= 4);
  // Now the browser is busy: half the frames a second whatever the window, and the tries down keep what costs
  // nothing.
  const busy = drive(window, () => 25, 30_000, long.now);
  const settled = busy.sizes.slice(busy.sizes.length / 2);
  assert.ok(
    share(settled, MIN_FRAMES) > 0.8,
    `two frames ${Math.round(share(settled, MIN_FRAMES) * 100)}% of the time`,
  );
  window.reset();
  assert.equal(window.size, MIN_FRAMES);
});

test('a window that held nothing back (input slower than frames) learns nothing and stays', () => {
  const window = new FrameWindow(measured(100, 2500, 20_000));
  for (let now = 0; now < 10_000; now += 50) window.acked(now);
  assert.equal(window.size, MIN_FRAMES);
});

test('the bytes in flight stay under the bandwidth-delay product, and never more than MAX_FRAMES fly', () => {
  // 30 ms and 20 ms on the wire per 20 kB frame: a least round trip of 50 ms at 1 MB/s holds 50 kB, with a quarter
  // to spare 62.5 kB.
  const link = measured(30, 1000, 20_000);
  const window = new FrameWindow(link);
  drive(window, (size) => 10 * size, 60_000);
  assert.equal(window.size, MAX_FRAMES, 'a rate that grows with every frame takes the window to its cap');
  assert.equal(window.admits(MAX_FRAMES), false);
  for (let seq = 100; seq < 103; seq += 1) link.sent(seq, 20_000, 1e6);
  assert.equal(window.admits(3), true, '60 kB in flight is under 62.5 kB');
  link.sent(103, 20_000, 1e6);
  assert.equal(window.admits(4), false, '80 kB is over');
});

test('a frame more that adds less than half a frame to the rate (a queue on the path) is given back', () => {
  // Three frames fill the pipe: 20 fps at two, 30 at three; each frame beyond adds 12% (16.7% would be half a frame
  // at three, 12.5% at four), the rest of it waits.
  const window = new FrameWindow(measured(100, 2500, 20_000));
  const { sizes } = drive(window, (size) => (size === 2 ? 20 : 30 * 1.12 ** (size - 3)), 30_000);
  assert.ok(Math.max(...sizes) <= 4, `at most one frame over three, got ${Math.max(...sizes)}`);
  const settled = sizes.slice(sizes.length / 2);
  assert.ok(share(settled, 3) > 0.85, `three frames ${Math.round(share(settled, 3) * 100)}% of the time once settled`);
});
