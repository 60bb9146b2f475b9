// Scientific scenes, each in a real sidecar (`dist/cli.js serve --stdio`) driven the way the kernel and a browser
// next door drive it: the 16k-triangle knot, a million points and 100k line segments dragged at 1280x720 (VTK
// off-screen draws the same points and lines), with the cost of their lossless stills; then a 100k-vertex grid
// whose scalars are updated in a loop (scientific-updates.ts). `make bench` runs it from run.ts;
// `node --import tsx bench/scientific.ts` runs it alone and puts it in bench/results/latest.json.
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Message, PointerInput } from '@glstream/protocol';
import { obtainDisplay } from '@glstream/sidecar';
import { pointerInput } from '../test/support/input-events.js';
import type { SidecarClient } from '../test/support/sidecar-client.js';
import { waitFor } from '../test/support/wait.js';
import { keepDisplayEnv } from './display-env.js';
import { scenes } from './meshes.js';
import { cpuPercent, cpuSnapshot } from './proc-cpu.js';
import { CLIM, hueLut, type LineScene, lineSet, type PointScene, pointCloud } from './scientific-scenes.js';
import { printScientific } from './scientific-table.js';
import { measureBrowserUpdates, measureSidecarUpdates, type UpdateRow } from './scientific-updates.js';
import { startSidecar } from './sidecar.js';
import { startVtk } from './vtk-peer.js';
import { webglSamples } from './webgl-samples.js';

const [WIDTH, HEIGHT] = [1280, 720];
const WARMUP_MS = 1000;
const MEASURE_MS = 4000;
const MOVE_MS = 4;
const SNAPSHOTS = 3;
const VTK_ROUNDS = 3;
const STILL_TIMEOUT_MS = 120_000;
const POINT_SIZE = 3;
const LINE_WIDTH = 2;

export interface DragRow {
  scene: string;
  size: string;
  fps: number;
  frame_width_median: number;
  render_ms_median: number;
  readback_ms_median: number;
  encode_ms_median: number;
  // Median time between two frames' arrivals that their render, read-back and encode do not account for: the ack's
  // round trip, transport, the sidecar's main thread busy with input.
  other_ms_median: number;
  stand_in: boolean;
  sidecar_cpu_percent: number | null;
  sidecar_main_thread_percent: number | null;
  // The lossless still after the release: drawn at 2x2 (render), read back and averaged down (readback), PNG.
  still_after_release_ms: number;
  still_render_ms: number;
  still_readback_ms: number;
  still_encode_ms: number;
  // A snapshot request's round trip (the same supersampled still, as Viewer.snapshot() gets it).
  snapshot_ms_median: number;
  png_bytes: number;
}

export interface ScientificResult {
  drag: DragRow[];
  vtk: Array<Record<string, unknown>>;
  updates: UpdateRow[];
  load_1min: number[];
  wall_s: number;
}

// A scene as the kernel adds it to a view of a sidecar.
type Add = (sidecar: SidecarClient, view: string) => Promise<Message>;

// Every scientific row, in this order: the drags, the updates, VTK. `samples`: the MSAA samples of glstream's
// WebGL context, when this process has already read them (run.ts: see measureVtk).
export async function measureScientific(samples?: number): Promise<ScientificResult> {
  const began = performance.now();
  const load = [loadavg()[0]!];
  const cloud = pointCloud();
  const lines = lineSet();
  const [knot] = scenes(1);
  const cases: Array<[string, Add]> = [
    [`${knot!.triangles} triangles`, (sidecar, view) => sidecar.addMesh(view, 'knot', '#44aa88', knot!)],
    [`${cloud.count / 1e6}M points`, (sidecar, view) => addPoints(sidecar, view, cloud)],
    [`${lines.segments / 1e3}k segments`, (sidecar, view) => addLines(sidecar, view, lines)],
  ];
  const drag: DragRow[] = [];
  for (const [scene, add] of cases) {
    drag.push(await dragScene(scene, add));
    console.error(`scientific: ${scene} dragged at ${drag.at(-1)!.fps} fps`);
  }
  const updates: UpdateRow[] = [];
  for (const measure of [measureSidecarUpdates, measureBrowserUpdates]) {
    updates.push(await measure());
    const { client, updates_per_s, frames_per_s } = updates.at(-1)!;
    console.error(`scientific: ${client}: ${updates_per_s} updates/s, ${frames_per_s} frames/s`);
  }
  const vtk = await measureVtk(cloud, lines, samples);
  load.push(loadavg()[0]!);
  return { drag, vtk, updates, load_1min: load.map(round), wall_s: round((performance.now() - began) / 1000) };
}

function addPoints(sidecar: SidecarClient, view: string, cloud: PointScene): Promise<Message> {
  return sidecar.addObject(view, `${view}:points`, 'points', 'points', { size: POINT_SIZE, clim: CLIM }, [
    { name: 'points', data: cloud.positions, shape: [cloud.count, 3] },
    { name: 'scalars', data: cloud.scalars, shape: [cloud.count] },
    { name: 'lut', data: hueLut(), shape: [256, 3] },
  ]);
}

function addLines(sidecar: SidecarClient, view: string, lines: LineScene): Promise<Message> {
  return sidecar.addObject(view, `${view}:lines`, 'lines', 'lines', { width: LINE_WIDTH, clim: CLIM }, [
    { name: 'vertices', data: lines.vertices, shape: [lines.vertices.length / 3, 3] },
    { name: 'segments', data: lines.ends, shape: [lines.segments, 2] },
    { name: 'scalars', data: lines.scalars, shape: [lines.scalars.length] },
    { name: 'lut', data: hueLut(), shape: [256, 3] },
  ]);
}

// Drag a view of what `add` puts in it in a fresh sidecar as interactive.ts drags the meshes (a move every 4 ms,
// each frame acked on arrival; frames counted over 4 s after 1 s), then time the still after the release and
// snapshots of the view.
async function dragScene(scene: string, add: Add): Promise<DragRow> {
  const sidecar = await startSidecar();
  const pids = { sidecar: sidecar.process.pid ?? null };
  try {
    const view = 'drag';
    const background = '#1e1e1e';
    sidecar.resultOf(await sidecar.call('create_view', { view, width: WIDTH, height: HEIGHT, background }));
    sidecar.resultOf(await add(sidecar, view));
    const frames: Array<{ at: number; frame: Message }> = [];
    sidecar.onFrame((frame) => {
      frames.push({ at: performance.now(), frame });
      sidecar.event({ view, type: 'ack', seq: frame.meta['seq'] });
    });
    sidecar.event({ view, type: 'resize', width: WIDTH, height: HEIGHT, dpr: 1 });
    await waitFor(() => frames.at(-1)?.frame.meta['still'] === true, STILL_TIMEOUT_MS, 'the first still');
    const pointer = (phase: PointerInput['phase'], x: number, seq: number, buttons: number) => ({
      view,
      ...pointerInput(phase, x, HEIGHT / 2 + 40 * Math.sin(seq / 30), seq, buttons),
    });
    let seq = 1;
    sidecar.event(pointer('down', WIDTH / 2, seq, 1));
    const began = performance.now();
    const mover = setInterval(() => {
      seq += 1;
      sidecar.event(pointer('move', WIDTH / 2 + 300 * Math.sin(seq / 50), seq, 1));
    }, MOVE_MS);
    await sleep(WARMUP_MS);
    const cpuBefore = cpuSnapshot(pids, 'sidecar');
    await sleep(MEASURE_MS);
    const cpuAfter = cpuSnapshot(pids, 'sidecar');
    clearInterval(mover);
    const from = began + WARMUP_MS;
    const measured = frames.filter(({ at, frame }) => at >= from && at < from + MEASURE_MS && !frame.meta['still']);
    seq += 1;
    const releasedAt = performance.now();
    const releaseSeq = seq;
    sidecar.event(pointer('up', WIDTH / 2, seq, 0));
    const still = await waitFor(
      () => {
        const last = frames.at(-1)!;
        return last.frame.meta['still'] === true && last.frame.meta['input_seq'] === releaseSeq ? last : undefined;
      },
      STILL_TIMEOUT_MS,
      'the still after the release',
    );
    sidecar.onFrame(undefined);
    const snapshot = await timeSnapshots(sidecar, view);
    const timing = (frame: Message, key: string) => Number((frame.meta['timings'] as Record<string, number>)[key]);
    const stages = (frame: Message) =>
      timing(frame, 'render_ms') + timing(frame, 'readback_ms') + timing(frame, 'encode_ms');
    const other = measured.slice(1).map(({ at, frame }, i) => at - measured[i]!.at - stages(frame));
    const seconds = MEASURE_MS / 1000;
    return {
      scene,
      size: `${WIDTH}x${HEIGHT}`,
      fps: round(measured.length / seconds),
      frame_width_median: median(measured.map(({ frame }) => Number(frame.meta['width']))),
      render_ms_median: median(measured.map(({ frame }) => timing(frame, 'render_ms'))),
      readback_ms_median: median(measured.map(({ frame }) => timing(frame, 'readback_ms'))),
      encode_ms_median: median(measured.map(({ frame }) => timing(frame, 'encode_ms'))),
      other_ms_median: round(median(other)),
      stand_in: measured.some(({ frame }) => frame.meta['stand_in'] === true),
      sidecar_cpu_percent: cpuPercent(cpuBefore, cpuAfter, 'sidecar', seconds),
      sidecar_main_thread_percent: cpuPercent(cpuBefore, cpuAfter, 'sidecar_main', seconds),
      still_after_release_ms: Math.round(still.at - releasedAt),
      still_render_ms: timing(still.frame, 'render_ms'),
      still_readback_ms: timing(still.frame, 'readback_ms'),
      still_encode_ms: timing(still.frame, 'encode_ms'),
      ...snapshot,
    };
  } finally {
    sidecar.onFrame(undefined);
    await sidecar.stop();
  }
}

// Request to PNG of SNAPSHOTS snapshots of `view` at its size, the median.
async function timeSnapshots(
  sidecar: SidecarClient,
  view: string,
): Promise<{ snapshot_ms_median: number; png_bytes: number }> {
  const times: number[] = [];
  let bytes = 0;
  for (let i = 0; i < SNAPSHOTS; i += 1) {
    const t0 = performance.now();
    const reply = await sidecar.call('snapshot', { view }, [], STILL_TIMEOUT_MS);
    sidecar.resultOf(reply);
    times.push(performance.now() - t0);
    bytes = reply.payload.byteLength;
  }
  return { snapshot_ms_median: round(median(times)), png_bytes: bytes };
}

// VTK off-screen drawing the same points (vertex cells, point size 3) and lines (two-point cells, width 2)
// through vtk_pipeline.py at 1280x720 (azimuth 2 degrees -> Render -> grab -> JPEG q80), the best of VTK_ROUNDS
// rounds by median frame time, on a display of its own with glstream's MSAA `samples`. Those are read here only
// when not given: headless-gl keeps the X connection of the first context it made in a process, so a context
// made after that display has stopped ends the process (Xlib's fatal IO error).
async function measureVtk(
  cloud: PointScene,
  lines: LineScene,
  samples?: number,
): Promise<Array<Record<string, unknown>>> {
  const dir = await mkdtemp(join(tmpdir(), 'glstream-bench-'));
  const restoreDisplayEnv = keepDisplayEnv();
  const { display } = await obtainDisplay();
  const peer = startVtk(samples ?? webglSamples());
  try {
    const files = async (arrays: Record<string, Float32Array | Uint32Array | Uint8Array>) => {
      const paths: Record<string, string> = {};
      for (const [name, data] of Object.entries(arrays)) {
        paths[name] = join(dir, name);
        await writeFile(paths[name], data);
      }
      return paths;
    };
    const lut = hueLut();
    const cases = [
      {
        scene: `${cloud.count / 1e6}M points`,
        op: 'points',
        ...(await files({ positions: cloud.positions, scalars: cloud.scalars, lut })),
        size: POINT_SIZE,
      },
      {
        scene: `${lines.segments / 1e3}k segments`,
        op: 'lines',
        ...(await files({ vertices: lines.vertices, segments: lines.ends, scalars: lines.scalars, lut })),
        width: LINE_WIDTH,
      },
    ];
    const rows: Array<Record<string, unknown>> = [];
    for (const { scene, ...command } of cases) {
      await peer.ask({ ...command, clim: CLIM });
      let best: Record<string, unknown> | undefined;
      for (let r = 0; r < VTK_ROUNDS; r += 1) {
        const budget = { warmup: r === 0 ? 5 : 2, frames: 15, seconds: 2 };
        const found = await peer.ask({ op: 'measure', width: WIDTH, height: HEIGHT, ...budget });
        if (best === undefined || Number(found['fps_median']) > Number(best['fps_median'])) best = found;
      }
      rows.push({ scene, ...best });
      console.error(`scientific: VTK ${scene} at ${best!['fps']} fps`);
    }
    return rows;
  } finally {
    await peer.close();
    await display.stop();
    restoreDisplayEnv();
    await rm(dir, { recursive: true, force: true });
  }
}

function median(values: number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

// Alone: measure, print, and put the rows under `scientific` in latest.json, keeping what else it holds.
async function main(): Promise<void> {
  const scientific = await measureScientific();
  printScientific(scientific);
  const out = fileURLToPath(new URL('results/latest.json', import.meta.url));
  const latest = existsSync(out) ? (JSON.parse(readFileSync(out, 'utf8')) as Record<string, unknown>) : {};
  await mkdir(join(out, '..'), { recursive: true });
  await writeFile(out, `${JSON.stringify({ ...latest, scientific }, null, 2)}\n`);
  console.log(`\nwrote ${out} (${scientific.wall_s} s)`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
