// JPEG against H.264 for interactive frames: over a scripted orbit of the 16k knot at the interactive size, the
// bytes of each frame and its SSIM (ffmpeg's ssim filter, on R, G and B) against the lossless still of the same
// camera (drawn at twice the size and averaged down, as the sidecar's stills are). JPEG at the quality
// controller's best and worst quality; H.264 as the sidecar encodes it (libx264 ultrafast, zerolatency) at a few
// rate factors, its key frame included. Alone: `node --import tsx bench/video.ts`; writes `video` into
// bench/results/latest.json, keeping the rest.
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { appendFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { encode, obtainDisplay, Renderer, rotate } from '@glstream/sidecar';
// The encoder is the sidecar's own, from its source: the built library exports only what the pipeline bench times.
import { DEFAULT_CRF, VideoEncoder } from '../packages/sidecar/src/stream/video/encoder.js';
import { reduce } from '../packages/sidecar/src/render/supersample.js';
import { keepDisplayEnv } from './display-env.js';
import { scenes } from './meshes.js';
import { viewOf } from './pipeline.js';

const OUT = fileURLToPath(new URL('results/latest.json', import.meta.url));
// 1280x720 at the quality controller's starting size ratio (0.75), where a drag on this machine stays.
const WIDTH = 960;
const HEIGHT = 540;
const FRAMES = 90;
// Pixels of drag per frame, as the pipeline bench orbits.
const STEP_PX = 4;
const JPEG_QUALITIES = [85, 60];
const CRFS = [DEFAULT_CRF, 21, 23, 26];

// One codec's figures over the orbit.
export interface CodecRow {
  codec: string;
  bytes_per_frame: number;
  key_frame_bytes: number | null;
  ssim: number;
  encode_ms: number;
}

export interface VideoResult {
  size: string;
  frames: number;
  triangles: number;
  // SSIM of the unencoded 1x frame against the still: what no codec can beat.
  ssim_unencoded: number;
  rows: CodecRow[];
  // The best bytes ratio JPEG q85 / H.264 among the rates whose SSIM is at least JPEG q85's.
  ratio_vs_jpeg85: number | null;
  target_met: boolean;
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'glstream-video-'));
  const restoreDisplayEnv = keepDisplayEnv();
  const setup = await obtainDisplay();
  const files = { still: join(dir, 'still.rgba'), raw: join(dir, 'raw.rgba') };
  const [knot] = scenes(1);
  if (knot === undefined) throw new Error('no scene');
  const rows: CodecRow[] = [];
  let ssimUnencoded = 0;
  try {
    const renderer = new Renderer();
    const view = viewOf(knot);
    const jpeg = JPEG_QUALITIES.map((quality) => ({ quality, bytes: 0, ms: 0, file: join(dir, `q${quality}.mjpeg`) }));
    const video = CRFS.map((crf) => ({
      crf,
      encoder: new VideoEncoder({ width: WIDTH, height: HEIGHT, rows: 'bottom-up', ffmpeg: 'ffmpeg', crf }),
      bytes: 0,
      key: 0,
      ms: 0,
      file: join(dir, `crf${crf}.h264`),
    }));
    for (let frame = 0; frame < FRAMES; frame += 1) {
      view.orbit = rotate(view.orbit, STEP_PX, 0, HEIGHT);
      const still = reduce(renderer.render(view, WIDTH * 2, HEIGHT * 2));
      await appendFile(files.still, still.data);
      const pixels = renderer.render(view, WIDTH, HEIGHT);
      const copy = { ...pixels, data: Uint8Array.from(pixels.data) };
      await appendFile(files.raw, copy.data);
      for (const row of jpeg) {
        const t = performance.now();
        const bytes = await encode(copy, 'image/jpeg', row.quality);
        row.ms += performance.now() - t;
        row.bytes += bytes.byteLength;
        await appendFile(row.file, bytes);
      }
      for (const row of video) {
        const t = performance.now();
        const chunk = await row.encoder.encode(copy.data);
        row.ms += performance.now() - t;
        row.bytes += chunk.data.byteLength;
        if (chunk.key) row.key += chunk.data.byteLength;
        await appendFile(row.file, chunk.data);
      }
    }
    await Promise.all(video.map((row) => row.encoder.close()));
    renderer.dispose();
    ssimUnencoded = await ssim(
      ['-f', 'rawvideo', '-pix_fmt', 'rgba', '-s', `${WIDTH}x${HEIGHT}`],
      files.raw,
      files.still,
      true,
    );
    for (const row of jpeg) {
      rows.push({
        codec: `jpeg q${row.quality}`,
        bytes_per_frame: Math.round(row.bytes / FRAMES),
        key_frame_bytes: null,
        ssim: await ssim(['-f', 'mjpeg'], row.file, files.still, false),
        encode_ms: round(row.ms / FRAMES),
      });
    }
    for (const row of video) {
      rows.push({
        codec: `h264 crf ${row.crf}${row.crf === DEFAULT_CRF ? ' (sidecar)' : ''}`,
        bytes_per_frame: Math.round(row.bytes / FRAMES),
        key_frame_bytes: row.key,
        ssim: await ssim(['-f', 'h264'], row.file, files.still, false),
        encode_ms: round(row.ms / FRAMES),
      });
    }
  } finally {
    await setup.display.stop();
    restoreDisplayEnv();
    await rm(dir, { recursive: true, force: true });
  }
  const reference = rows.find((row) => row.codec === 'jpeg q85') as CodecRow;
  const ratios = rows
    .filter((row) => row.codec.startsWith('h264') && row.ssim >= reference.ssim)
    .map((row) => reference.bytes_per_frame / row.bytes_per_frame);
  const sidecar = rows.find((row) => row.codec.endsWith('(sidecar)')) as CodecRow;
  const result: VideoResult = {
    size: `${WIDTH}x${HEIGHT}`,
    frames: FRAMES,
    triangles: knot.triangles,
    ssim_unencoded: ssimUnencoded,
    rows,
    ratio_vs_jpeg85: ratios.length === 0 ? null : round(Math.max(...ratios)),
    target_met: sidecar.ssim >= reference.ssim && reference.bytes_per_frame >= 4 * sidecar.bytes_per_frame,
  };
  print(result, reference, sidecar);
  const latest = existsSync(OUT) ? (JSON.parse(readFileSync(OUT, 'utf8')) as Record<string, unknown>) : {};
  writeFileSync(OUT, `${JSON.stringify({ ...latest, video: result }, null, 2)}\n`);
}

// Mean SSIM (R, G, B) of the frames in `file` (read with `input` options) against the stills, both bottom-up
// raw frames when `raw`, else a decoded stream (top-down) against the flipped stills.
// The H.264 frames say BT.709 (as the browser reads them); ffmpeg's conversion to RGB must be told.
async function ssim(input: string[], file: string, still: string, raw: boolean): Promise<number> {
  const rawInput = ['-f', 'rawvideo', '-pix_fmt', 'rgba', '-s', `${WIDTH}x${HEIGHT}`];
  const toRgb = input.includes('h264') ? 'scale=in_color_matrix=bt709:in_range=tv,format=gbrp' : 'format=gbrp';
  // Frames pair by their number: a raw H.264 stream's timestamps need not start where the stills' do.
  const count = 'setpts=N/(25*TB)';
  const graph = raw
    ? `[0:v]${count},format=gbrp[a];[1:v]${count},format=gbrp[b];[a][b]ssim`
    : `[0:v]${count},crop=${WIDTH}:${HEIGHT}:0:0,${toRgb}[a];[1:v]${count},vflip,format=gbrp[b];[a][b]ssim`;
  const { stderr } = await promisify(execFile)(
    'ffmpeg',
    [
      ...['-hide_banner', '-nostdin', ...input, '-i', file, ...rawInput, '-i', still],
      ...['-lavfi', graph, '-f', 'null', '-'],
    ],
    { maxBuffer: 1 << 24 },
  );
  const all = /SSIM .*All:([0-9.]+)/.exec(stderr)?.[1];
  if (all === undefined) throw new Error(`ffmpeg printed no SSIM: ${stderr.slice(-500)}`);
  return Number(all);
}

function print(result: VideoResult, reference: CodecRow, sidecar: CodecRow): void {
  console.log(
    `\nInteractive frames, JPEG vs H.264 — ${result.size}, ${result.triangles} triangles, ` +
      `${result.frames}-frame orbit`,
  );
  console.log('codec                  bytes/frame  key frame   SSIM     encode ms');
  for (const row of result.rows) {
    const key = row.key_frame_bytes === null ? '' : String(row.key_frame_bytes);
    console.log(
      `${row.codec.padEnd(22)} ${String(row.bytes_per_frame).padStart(11)}  ${key.padStart(9)}   ` +
        `${row.ssim.toFixed(4)}   ${row.encode_ms}`,
    );
  }
  console.log(`unencoded 1x frame against the still: SSIM ${result.ssim_unencoded.toFixed(4)}`);
  const ratio = reference.bytes_per_frame / sidecar.bytes_per_frame;
  console.log(
    `target ≥ 4× fewer bytes than JPEG q85 at equal or better SSIM (sidecar's crf ${DEFAULT_CRF}): ` +
      `${result.target_met ? 'met' : 'not met'} — ${ratio.toFixed(1)}×, ` +
      `SSIM ${sidecar.ssim.toFixed(4)} vs ${reference.ssim.toFixed(4)}`,
  );
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

await main();
