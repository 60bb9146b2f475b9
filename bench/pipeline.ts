// The glstream server loop per case: orbit a little, render, read back, encode JPEG; PNG for the still frame. Once
// serially (each frame done before the next is drawn), and once pipelined as the sidecar streams: frame n is
// encoded (sharp, off the main thread) while frame n + 1 is drawn and read back into a buffer of its own.
import { arraysOf, encode, type Renderer, rotate, SceneView, Surface } from '@glstream/sidecar';
import type { SceneArrays } from './meshes.js';
import { last } from './stage-clock.js';

// One measured case of the server pipeline.
export interface PipelineResult {
  size: string;
  triangles: number;
  frames: number;
  fps: number;
  fps_median: number;
  render_ms: number;
  readback_ms: number;
  encode_jpeg_ms: number;
  encode_png_ms: number;
  jpeg_bytes: number;
  png_bytes: number;
  cpu_ms_per_frame: number;
  // The same frames overlapped: frames/s and CPU per frame.
  pipelined_fps: number;
  pipelined_cpu_ms_per_frame: number;
}

export const SIZES: Array<[number, number]> = [
  [640, 480],
  [1280, 720],
  [1920, 1080],
];
const PNG_FRAMES = 3;
// Frames in flight in the pipelined loop, as the sidecar's window lets them be: one encoding, one being drawn.
const IN_FLIGHT = 2;

// How long one measurement runs: warm-up frames, then up to `frames` frames or `ms`, whichever ends first.
export interface Budget {
  warmup: number;
  frames: number;
  ms: number;
}

// A SceneView holding `arrays`, built through the same path as kernel meshes.
export function viewOf(arrays: SceneArrays): SceneView {
  const view = new SceneView('#1e1e1e');
  const input = arraysOf({
    vertices: { data: arrays.positions, shape: [arrays.positions.length / 3, 3] },
    faces: { data: arrays.indices, shape: [arrays.indices.length / 3, 3] },
  });
  view.show('bench', 'bench', new Surface({ color: '#44aa88' }, input));
  return view;
}

// Run the loop for one scene at one size (the display must be set and the stage clock installed before the Renderer).
export async function measurePipeline(
  renderer: Renderer,
  view: SceneView,
  triangles: number,
  width: number,
  height: number,
  budget: Budget,
): Promise<PipelineResult> {
  const step = () => (view.orbit = rotate(view.orbit, 4, 0, height));
  for (let i = 0; i < budget.warmup; i += 1) {
    step();
    await encode(renderer.render(view, width, height), 'image/jpeg', 80);
  }
  const sums = { render: 0, readback: 0, jpeg: 0, bytes: 0 };
  const cpu0 = process.cpuUsage();
  const start = performance.now();
  let frames = 0;
  const times: number[] = [];
  while (frames < budget.frames && (frames === 0 || performance.now() - start < budget.ms)) {
    step();
    const t0 = performance.now();
    const pixels = renderer.render(view, width, height);
    const t1 = performance.now();
    const jpeg = await encode(pixels, 'image/jpeg', 80);
    const t2 = performance.now();
    times.push(t2 - t0);
    sums.jpeg += t2 - t1;
    sums.render += t1 - t0 - last.readMs;
    sums.readback += last.readMs;
    sums.bytes += jpeg.byteLength;
    frames += 1;
  }
  const elapsed = performance.now() - start;
  const cpu = process.cpuUsage(cpu0);
  const pipelined = await measurePipelined(renderer, view, step, width, height, budget);
  let pngMs = 0;
  let pngBytes = 0;
  for (let i = 0; i < PNG_FRAMES; i += 1) {
    const pixels = renderer.render(view, width, height);
    const t0 = performance.now();
    pngBytes += (await encode(pixels, 'image/png')).byteLength;
    pngMs += performance.now() - t0;
  }
  return {
    size: `${width}x${height}`,
    triangles,
    frames,
    fps: round((frames * 1000) / elapsed),
    fps_median: round(1000 / median(times)),
    render_ms: round(sums.render / frames),
    readback_ms: round(sums.readback / frames),
    encode_jpeg_ms: round(sums.jpeg / frames),
    encode_png_ms: round(pngMs / PNG_FRAMES),
    jpeg_bytes: Math.round(sums.bytes / frames),
    png_bytes: Math.round(pngBytes / PNG_FRAMES),
    cpu_ms_per_frame: round((cpu.user + cpu.system) / 1000 / frames),
    pipelined_fps: pipelined.fps,
    pipelined_cpu_ms_per_frame: pipelined.cpuMsPerFrame,
  };
}

// The same frames, overlapped: each is read back into a buffer of its own and encoded in order, one encode at a
// time, while the next is drawn; a frame is drawn only once the one IN_FLIGHT before it has been encoded.
async function measurePipelined(
  renderer: Renderer,
  view: SceneView,
  step: () => void,
  width: number,
  height: number,
  budget: Budget,
): Promise<{ fps: number; cpuMsPerFrame: number }> {
  const buffers = Array.from({ length: IN_FLIGHT + 1 }, () => new Uint8Array(width * height * 4));
  const encoded: Array<Promise<unknown>> = [];
  const frame = (i: number) => {
    step();
    renderer.draw(view, width, height);
    const pixels = renderer.read(buffers[i % buffers.length]);
    encoded.push((encoded.at(-1) ?? Promise.resolve()).then(() => encode(pixels, 'image/jpeg', 80)));
  };
  let cpu0 = process.cpuUsage();
  let start = performance.now();
  let frames = 0;
  for (let i = 0; frames < budget.frames && (frames === 0 || performance.now() - start < budget.ms); i += 1) {
    if (i === budget.warmup) {
      await encoded.at(-1);
      cpu0 = process.cpuUsage();
      start = performance.now();
    }
    if (i >= IN_FLIGHT) await encoded[i - IN_FLIGHT];
    frame(i);
    if (i >= budget.warmup) frames += 1;
  }
  await encoded.at(-1);
  const elapsed = performance.now() - start;
  const cpu = process.cpuUsage(cpu0);
  return { fps: round((frames * 1000) / elapsed), cpuMsPerFrame: round((cpu.user + cpu.system) / 1000 / frames) };
}

// The middle frame time: steadier than the mean when other work on the machine comes in bursts.
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function round(value: number): number {
  return Math.round(value * 10) / 10;
}
