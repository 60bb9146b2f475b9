// JPEG or video: GLSTREAM_VIDEO, the widget's announcement, the measured path, and the fall back to JPEG when
// ffmpeg is missing or its encoder dies.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CodecChoice, REMOTE_RTT_MS, videoMode } from '../src/stream/video/choice.js';
import { ViewVideo } from '../src/stream/video/view-video.js';
import type { Grab } from '../src/stream/source.js';
import { waitFor } from '../../../test/support/wait.js';

const JPEG = 30_000;
// A link that carries JPEG at 60 fps with room to spare, and one that does not (5 Mbit/s).
const FAST = {
  canVideo: true,
  rttMs: 40,
  smoothedRttMs: 45,
  bytesPerSecond: 10 * JPEG * 60,
  jpegBytes: JPEG,
  targetFps: 60,
};
// Frames queue on it: the smoothed round trip is well over the least.
const SLOW = { ...FAST, rttMs: 100, smoothedRttMs: 180, bytesPerSecond: 625_000 };

test('GLSTREAM_VIDEO is auto, on or off; anything else is refused with its value', () => {
  assert.equal(videoMode(undefined), 'auto');
  assert.equal(videoMode(''), 'auto');
  assert.equal(videoMode('on'), 'on');
  assert.equal(videoMode('off'), 'off');
  assert.throws(() => videoMode('yes'), /GLSTREAM_VIDEO must be auto, on or off, got "yes"/);
});

test('auto sends JPEG until a path was measured, on a fast path, and on a near one however slow it looks', () => {
  const choice = new CodecChoice('auto');
  assert.equal(choice.video({ ...SLOW, rttMs: null, bytesPerSecond: null }), false);
  assert.equal(choice.video(FAST), false);
  // Loopback: the delivery rate is the frame rate times the frame size (the renderer, not the link, limits it).
  assert.equal(choice.video({ ...SLOW, rttMs: REMOTE_RTT_MS - 1, bytesPerSecond: JPEG * 55 }), false);
  // A long round trip with few frames in flight delivers little, but nothing queues: the link is not the limit.
  assert.equal(choice.video({ ...SLOW, smoothedRttMs: 110 }), false);
});

test('auto switches to video when the link delivers less than JPEG needs, and keeps it until the path changes', () => {
  const choice = new CodecChoice('auto');
  assert.equal(choice.video(SLOW), true);
  // Small video frames measure a low rate whatever the link: that is no reason to go back.
  assert.equal(choice.video(FAST), true);
  choice.reset();
  assert.equal(choice.video(FAST), false);
});

test('on sends video, off never, and neither to a widget that cannot decode it', () => {
  assert.equal(new CodecChoice('on').video(FAST), true);
  assert.equal(new CodecChoice('off').video(SLOW), false);
  assert.equal(new CodecChoice('on').video({ ...FAST, canVideo: false }), false);
});

const PATH = { rttMs: 100, smoothedRttMs: 200, bytesPerSecond: 1000, targetFps: 60 };

function grab(width = 8, height = 8): Grab {
  const pixels = { data: new Uint8Array(width * height * 4).fill(128), width, height };
  return { pixels, rows: 'top-down', render_ms: 0, readback_ms: 0, standIn: false };
}

test('a widget that announced h264 gets video once ffmpeg answered; one that did not, or junk, gets JPEG', async () => {
  const video = new ViewVideo('on');
  try {
    await waitFor(
      () => {
        video.announce(['h264']);
        return video.wanted(PATH);
      },
      10_000,
      'the ffmpeg probe',
    );
    video.announce(['vp9']);
    assert.equal(video.wanted(PATH), false);
    video.announce('h264');
    assert.equal(video.wanted(PATH), false);
    video.announce(undefined);
    assert.equal(video.wanted(PATH), false);
  } finally {
    await video.close();
  }
});

test('without ffmpeg the view stays on JPEG', async () => {
  let answered = false;
  const video = new ViewVideo('on', async () => {
    answered = true;
    return { path: 'ffmpeg', version: null, h264: false, error: 'spawn ffmpeg ENOENT' };
  });
  video.announce(['h264']);
  await waitFor(() => answered, 1000, 'the probe');
  assert.equal(video.wanted(PATH), false);
});

test('an encoder that dies sends this frame and the next ones as JPEG', async () => {
  const video = new ViewVideo('on', async () => ({ path: '/bin/false', version: 'x', h264: true, error: null }));
  video.announce(['h264']);
  await waitFor(() => video.wanted(PATH), 1000, 'the probe');
  assert.equal(await video.encode(grab()), null);
  assert.equal(video.wanted(PATH), false);
  await video.close();
});

test('a key frame is a new encoder: its first chunk is key again', async () => {
  const video = new ViewVideo('on');
  video.announce(['h264']);
  await waitFor(() => video.wanted(PATH), 10_000, 'the ffmpeg probe');
  try {
    const keys = [];
    for (let i = 0; i < 2; i += 1) keys.push((await video.encode(grab()))?.key);
    video.keyFrame();
    keys.push((await video.encode(grab()))?.key);
    assert.deepEqual(keys, [true, false, true]);
  } finally {
    await video.close();
  }
});

test('a smaller frame is scaled into the running stream; a bigger one starts a stream of its size', async () => {
  const video = new ViewVideo('on');
  video.announce(['h264']);
  await waitFor(() => video.wanted(PATH), 10_000, 'the ffmpeg probe');
  try {
    const sizes = [];
    for (const [width, height] of [
      [16, 12],
      [8, 6],
      [16, 12],
      [24, 18],
    ] as const) {
      const chunk = await video.encode(grab(width, height));
      sizes.push(`${chunk?.width}x${chunk?.height}${chunk?.key ? ' key' : ''}`);
    }
    assert.deepEqual(sizes, ['16x12 key', '16x12', '16x12', '24x18 key']);
  } finally {
    await video.close();
  }
});
