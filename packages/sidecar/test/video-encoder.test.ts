// The H.264 path with Debian's real ffmpeg: what the encoder writes is H.264 that ffmpeg itself decodes to the
// picture it was given, the FLV framing survives any split of the pipe's bytes, and the choice and fallbacks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execa } from 'execa';
import { GlstreamError } from '../src/errors.js';
import { FlvReader } from '../src/stream/video/flv.js';
import { VideoEncoder } from '../src/stream/video/encoder.js';
import { probeFfmpeg } from '../src/stream/video/ffmpeg.js';

// Odd sides: 4:2:0 needs even ones, so the encoder pads and the decoder's frame is a pixel wider and higher.
const WIDTH = 33;
const HEIGHT = 19;

// RGBA rows bottom-up as GL reads them back: the bottom row red, the rest blue, shifted by `frame` in green.
function pixels(frame: number): Uint8Array {
  const data = new Uint8Array(WIDTH * HEIGHT * 4);
  for (let row = 0; row < HEIGHT; row += 1) {
    for (let x = 0; x < WIDTH; x += 1) {
      const at = (row * WIDTH + x) * 4;
      data.set(row === 0 ? [230, 10, 10, 255] : [10, 10 + frame * 20, 230, 255], at);
    }
  }
  return data;
}

// Decode Annex B with ffmpeg into top-down RGB frames of the padded size.
async function decode(annexB: Buffer): Promise<Buffer[]> {
  const { stdout } = await execa(
    'ffmpeg',
    [
      '-hide_banner',
      '-loglevel',
      'error',
      '-f',
      'h264',
      '-i',
      'pipe:0',
      '-f',
      'rawvideo',
      '-pix_fmt',
      'rgb24',
      'pipe:1',
    ],
    { input: annexB, encoding: 'buffer' },
  );
  const size = (WIDTH + 1) * (HEIGHT + 1) * 3;
  const frames: Buffer[] = [];
  for (let at = 0; at + size <= stdout.length; at += size) frames.push(Buffer.from(stdout.subarray(at, at + size)));
  return frames;
}

test('this machine has an ffmpeg with libx264 (scripts/install-system-packages.sh installs it)', async () => {
  const info = await probeFfmpeg();
  assert.equal(info.error, null);
  assert.ok(info.h264);
  assert.match(info.version ?? '', /^ffmpeg version/);
});

test('one chunk per frame, a key frame first, that ffmpeg decodes to the picture given', async () => {
  const encoder = new VideoEncoder({ width: WIDTH, height: HEIGHT, rows: 'bottom-up', ffmpeg: 'ffmpeg' });
  try {
    const chunks = [];
    for (let frame = 0; frame < 6; frame += 1) chunks.push(await encoder.encode(pixels(frame)));
    assert.deepEqual(
      chunks.map((chunk) => chunk.key),
      [true, false, false, false, false, false],
    );
    assert.match(chunks[0]?.codec ?? '', /^avc1\.[0-9a-f]{6}$/);
    // Annex B: each chunk starts with a start code; the key frame with its parameter sets (SPS, NAL type 7).
    for (const chunk of chunks) assert.deepEqual([...chunk.data.subarray(0, 4)], [0, 0, 0, 1]);
    assert.equal((chunks[0]?.data.readUInt8(4) ?? 0) & 0x1f, 7);
    const decoded = await decode(Buffer.concat(chunks.map((chunk) => chunk.data)));
    assert.equal(decoded.length, 6);
    const last = decoded[5] as Buffer;
    const rgb = (x: number, y: number) => [...last.subarray((y * (WIDTH + 1) + x) * 3, (y * (WIDTH + 1) + x) * 3 + 3)];
    // GL's bottom row comes out at the bottom (HEIGHT - 1), the top is blue with frame 5's green.
    const near = (got: number[], want: number[]) => got.every((value, i) => Math.abs(value - (want[i] ?? 0)) < 24);
    assert.ok(near(rgb(16, HEIGHT - 1), [230, 10, 10]), `bottom row ${rgb(16, HEIGHT - 1).join(',')}`);
    assert.ok(near(rgb(16, 2), [10, 110, 230]), `top rows ${rgb(16, 2).join(',')}`);
  } finally {
    await encoder.close();
  }
});

test('FLV tags come out whole however the pipe splits the bytes', async () => {
  const encoder = new VideoEncoder({ width: WIDTH, height: HEIGHT, rows: 'top-down', ffmpeg: 'ffmpeg' });
  const stream = await execa(
    'ffmpeg',
    [
      ...['-hide_banner', '-loglevel', 'error', '-f', 'rawvideo', '-pix_fmt', 'rgba', '-s', `${WIDTH}x${HEIGHT}`],
      ...['-i', 'pipe:0', '-vf', 'pad=34:20', '-c:v', 'libx264', '-preset', 'ultrafast', '-f', 'flv', 'pipe:1'],
    ],
    { input: Buffer.concat([pixels(0), pixels(1), pixels(2)]), encoding: 'buffer' },
  );
  await encoder.close();
  const whole = new FlvReader().push(Buffer.from(stream.stdout));
  const reader = new FlvReader();
  const split = [];
  for (let at = 0; at < stream.stdout.length; at += 7)
    split.push(...reader.push(Buffer.from(stream.stdout.subarray(at, at + 7))));
  assert.deepEqual(
    whole.map((tag) => tag.kind),
    ['config', 'frame', 'frame', 'frame'],
  );
  assert.deepEqual(split, whole);
});

test('a frame of the wrong size is refused at once', async () => {
  const encoder = new VideoEncoder({ width: WIDTH, height: HEIGHT, rows: 'bottom-up', ffmpeg: 'ffmpeg' });
  try {
    assert.throws(() => encoder.encode(new Uint8Array(10)), /a 33x19 frame has 2508 bytes, got 10/);
  } finally {
    await encoder.close();
  }
});

test('an encoder whose ffmpeg is missing rejects its frames with a coded error', async () => {
  const encoder = new VideoEncoder({ width: WIDTH, height: HEIGHT, rows: 'bottom-up', ffmpeg: '/nonexistent/ffmpeg' });
  await assert.rejects(encoder.encode(pixels(0)), (error: unknown) => {
    assert.ok(error instanceof GlstreamError);
    assert.equal(error.code, 'internal');
    assert.match(error.message, /video encoder \(ffmpeg\)/);
    return true;
  });
  await encoder.close();
});
