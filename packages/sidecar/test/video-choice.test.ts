// JPEG or video: GLSTREAM_VIDEO, the widget's announcement, the measured path, and the fall back to JPEG when
// ffmpeg is missing or its encoder dies.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CodecChoice, REMOTE_RTT_MS, VIDEO_BELOW_FPS, videoMode } from '../src/stream/video/choice.js';
import { ViewVideo } from '../src/stream/video/view-video.js';
import type { Grab } from '../src/stream/source.js';
import { waitFor } from '../../../test/support/wait.js';

// A remote path that delivers 250 kB/s (2 Mbit/s), on which a frame more in flight no longer paid.
const PATH_FIGURES = { canVideo: true, rttMs: 100, bytesPerSecond: 250_000, pathBound: true, jpegFrameBytes: 25_000 };
// JPEG frames that leave most of it free (a renderer or a browser sets the pace), and JPEG frames that fill it,
// at 10 frames a second.
const FAST = { ...PATH_FIGURES, jpegBytesPerSecond: 100_000 };
const SLOW = { ...PATH_FIGURES, jpegBytesPerSecond: 240_000 };

test('GLSTREAM_VIDEO is auto, on or off; anything else is refused with its value', () => {
  assert.equal(videoMode(undefined), 'auto');
  assert.equal(videoMode(''), 'auto');
  assert.equal(videoMode('on'), 'on');
  assert.equal(videoMode('off'), 'off');
  assert.throws(() => videoMode('yes'), /GLSTREAM_VIDEO must be auto, on or off, got "yes"/);
});

test('auto sends JPEG until a path was measured, where JPEG does not fill it, and on a near one however full', () => {
  const choice = new CodecChoice('auto');
  assert.equal(choice.video({ ...SLOW, rttMs: null, bytesPerSecond: null }), false);
  assert.equal(choice.video({ ...SLOW, jpegBytesPerSecond: null }), false);
  assert.equal(choice.video(FAST), false);
  // Loopback: the delivery rate is the frame rate times the frame size (the renderer, not the link, limits it).
  assert.equal(choice.video({ ...SLOW, rttMs: REMOTE_RTT_MS - 1 }), false);
  // Full, but of what the frame window let go while it climbs: the link may carry more.
  assert.equal(choice.video({ ...SLOW, pathBound: false }), false);
  // Full, but JPEG frames pass VIDEO_BELOW_FPS on it: H.264's longer decode would cost more than its bytes save.
  assert.equal(choice.video({ ...SLOW, jpegFrameBytes: 250_000 / (VIDEO_BELOW_FPS + 1) }), false);
});

test('auto switches to video when JPEG fills the path, and keeps it until the path changes', () => {
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

const PATH = { rttMs: 100, bytesPerSecond: 1000, pathBound: true };

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

test('auto weighs the bytes per second of the last second of JPEG frames against what the path delivers', async () => {
  let answered = false;
  const video = new ViewVideo('auto', async () => {
    answered = true;
    return { path: 'ffmpeg', version: 'x', h264: true, error: null };
  });
  video.announce(['h264']);
  await waitFor(() => answered, 1000, 'the probe');
  const path = { rttMs: 100, bytesPerSecond: 250_000, pathBound: true };
  // 4 frames of 25 kB a second: 100 kB/s, less than half the path.
  for (let at = 0; at <= 1000; at += 250) video.sentJpeg(25_000, at);
  assert.equal(video.wanted(path), false);
  // 10 frames of 25 kB a second: 250 kB/s, the path is full and holds JPEG to 10 frames a second.
  for (let at = 1000; at <= 2000; at += 100) video.sentJpeg(25_000, at);
  assert.equal(video.wanted(path), true);
  await video.close();
});
