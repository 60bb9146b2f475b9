// Scalar updates of a 100k-vertex grid in a loop, each one round trip, for UPDATE_MS: from a client that speaks to
// a real sidecar as the kernel does (every frame acked on arrival), and from Python in a notebook in Chromium on
// loopback. The update each frame shows is read from its pixels (scientific-scenes.ts), so the latency is from
// an update's send to the first frame that shows it (or a later one).
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Message } from '@glstream/protocol';
import sharp from 'sharp';
import { launchChromium } from '../test/support/browser.js';
import { startJupyter } from '../test/support/jupyter-server.js';
import type { NamedArray } from '../test/support/sidecar-client.js';
import { waitFor } from '../test/support/wait.js';
import { PAGE_TAP, type TappedFrame } from './frame-tap.js';
import { runUntil } from './page.js';
import { cpuPercent, cpuSnapshot } from './proc-cpu.js';
import {
  CLIM,
  CODES,
  decodeUpdate,
  GRID_CAMERA,
  type GridScene,
  grid,
  gridArrays,
  gridScalars,
  HUES,
  hueLut,
  PATCH_OFFSET,
  updateOf,
} from './scientific-scenes.js';
import { startSidecar } from './sidecar.js';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const [WIDTH, HEIGHT] = [1280, 720];
const UPDATE_MS = 5000;
const STILL_TIMEOUT_MS = 120_000;
// The still after the loop must show the last update within this.
const FOLLOW_TIMEOUT_MS = 20_000;

// Sent updates and the frames that showed them, summed up.
export interface UpdateRow {
  client: string;
  size: string;
  vertices: number;
  seconds: number;
  updates: number;
  updates_per_s: number;
  // Median time from one update's send to the next's: making its scalars and the round trip.
  period_ms_median: number | null;
  frames_per_s: number;
  updates_shown: number;
  // Updates painted a second: frames that showed a newer update than the frame before.
  delivered_per_s: number;
  latency_ms_p50: number | null;
  latency_ms_p95: number | null;
  unreadable_frames: number;
  // From the end of the loop to the still that shows the last update (null: none came in FOLLOW_TIMEOUT_MS).
  last_update_still_ms: number | null;
  // Lossless stills made during the loop (each one a pause of over 100 ms between updates, drawn at 2x2), and
  // the sidecar's time on them (render, read-back and reduce, PNG).
  stills_during_loop: number;
  stills_ms: number;
  // The sidecar's timings of the frames during the loop (medians).
  frame_width_median: number | null;
  render_ms_median: number | null;
  readback_ms_median: number | null;
  encode_ms_median: number | null;
  sidecar_cpu_percent?: number | null;
  sidecar_main_thread_percent?: number | null;
}

// A frame as it arrived or was painted (ms on this process' or the page's clock), with the code read from it.
interface Shown {
  at: number;
  code: number | null;
}

// A frame as it arrived (ms on the same clock), its width and the sidecar's timings.
interface Timed {
  at: number;
  width: number;
  still: boolean;
  timings: Record<'render_ms' | 'readback_ms' | 'encode_ms', number>;
}

// The sidecar's side alone: a client sends update_object with a float32 buffer and waits for the reply, again and
// again, and acks each frame on arrival.
export async function measureSidecarUpdates(): Promise<UpdateRow> {
  const sidecar = await startSidecar();
  const pids = { sidecar: sidecar.process.pid ?? null };
  try {
    const view = 'grid';
    const id = `${view}:mesh`;
    const scene = grid();
    const background = '#1e1e1e';
    sidecar.resultOf(await sidecar.call('create_view', { view, width: WIDTH, height: HEIGHT, background }));
    sidecar.resultOf(await sidecar.addObject(view, id, 'grid', 'mesh', { clim: CLIM }, gridArrays(scene)));
    sidecar.resultOf(await sidecar.call('set_camera', { view, ...GRID_CAMERA }));
    const frames: Array<{ at: number; frame: Message }> = [];
    sidecar.onFrame((frame) => {
      frames.push({ at: performance.now(), frame });
      sidecar.event({ view, type: 'ack', seq: frame.meta['seq'] });
    });
    sidecar.event({ view, type: 'resize', width: WIDTH, height: HEIGHT, dpr: 1 });
    await waitFor(() => frames.at(-1)?.frame.meta['still'] === true, STILL_TIMEOUT_MS, 'the first still');
    const count = scene.radius.length;
    const values = new Float32Array(count);
    const scalars: NamedArray = { name: 'scalars', data: values, shape: [count] };
    const sent: number[] = [];
    const first = frames.length;
    const cpuBefore = cpuSnapshot(pids, 'sidecar');
    const began = performance.now();
    while (performance.now() - began < UPDATE_MS) {
      gridScalars(scene, sent.length + 1, values);
      const t0 = performance.now();
      sent.push(t0);
      sidecar.resultOf(await sidecar.updateObject(id, {}, [scalars]));
    }
    const ended = performance.now();
    const cpuAfter = cpuSnapshot(pids, 'sidecar');
    const codes = new Map<Message, number | null>();
    const codeOf = async (frame: Message) => {
      if (!codes.has(frame)) codes.set(frame, await readCode(frame.payload));
      return codes.get(frame)!;
    };
    const followed = await waitFor(
      async () => {
        const { at, frame } = frames.at(-1)!;
        const shows = at > ended && frame.meta['still'] === true && (await codeOf(frame)) === sent.length % CODES;
        return shows ? at : undefined;
      },
      FOLLOW_TIMEOUT_MS,
      'a still that shows the last update',
    ).catch(() => null);
    sidecar.onFrame(undefined);
    const shown: Shown[] = [];
    for (const { at, frame } of frames.slice(first)) shown.push({ at, code: await codeOf(frame) });
    const timed = frames.map(({ at, frame }) => {
      const timings = frame.meta['timings'] as Timed['timings'];
      return { at, width: Number(frame.meta['width']), still: frame.meta['still'] === true, timings };
    });
    const seconds = (ended - began) / 1000;
    return {
      client: 'sidecar client',
      ...summary(scene, sent, ended, followed, shown, timed),
      sidecar_cpu_percent: cpuPercent(cpuBefore, cpuAfter, 'sidecar', seconds),
      sidecar_main_thread_percent: cpuPercent(cpuBefore, cpuAfter, 'sidecar_main', seconds),
    };
  } finally {
    sidecar.onFrame(undefined);
    await sidecar.stop();
  }
}

// End to end: a notebook (notebooks/scientific-updates.ipynb) in JupyterLab in Chromium shows the grid on
// loopback; once the page shows it, Python updates its scalars in a loop (Mesh.update(scalars=...)), and the
// page reads the patches of every frame it paints.
export async function measureBrowserUpdates(): Promise<UpdateRow> {
  const work = mkdtempSync(join(tmpdir(), 'glstream-bench-scientific-'));
  const scene = grid();
  prepare(work, scene);
  const server = await startJupyter(work);
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1800, height: 1100 }, deviceScaleFactor: 1 });
    await page.addInitScript(`(${GRID_PROBE})(${PATCH_OFFSET})`);
    await page.addInitScript(PAGE_TAP);
    await page.goto(`${server.url}/lab?token=${server.token}`);
    const ready = 'canvas.glstream-canvas[data-still="true"][data-transport="loopback"]';
    await runUntil(page, server.url, 'scientific-updates.ipynb', ready);
    writeFileSync(join(work, 'go'), '');
    const output = page.locator('.jp-CodeCell').nth(1).locator('.jp-OutputArea-output');
    const printed = await waitFor(
      async () => /UPDATES=(.*)/.exec(await output.innerText().catch(() => ''))?.[1],
      UPDATE_MS + 60_000,
      "the notebook's updates",
    );
    const { sent, ended } = JSON.parse(printed) as { sent: number[]; ended: number };
    const endedMs = ended * 1000;
    type Sample = { at: number; still: boolean; left: number[]; right: number[] };
    const samples = () => page.evaluate(() => (window as unknown as { glsGrid: Sample[] }).glsGrid);
    const lastCode = sent.length % CODES;
    const followed = await waitFor(
      async () => {
        const last = (await samples()).at(-1)!;
        const shows = last.at > endedMs && last.still && decodeUpdate(rgb(last.left), rgb(last.right)) === lastCode;
        return shows ? last.at : undefined;
      },
      FOLLOW_TIMEOUT_MS,
      'a still that shows the last update',
    ).catch(() => null);
    const painted = await samples();
    const firstSent = sent[0]! * 1000;
    const shown = painted
      .filter(({ at }) => at >= firstSent)
      .map(({ at, left, right }) => ({ at, code: decodeUpdate(rgb(left), rgb(right)) }));
    // frame-tap.ts stamps frames with the page's performance.now()
    const [origin, tapped] = await page.evaluate(() => [
      performance.timeOrigin,
      (window as unknown as { glsTap: TappedFrame[] }).glsTap,
    ]);
    const timed = (tapped as TappedFrame[]).map((frame) => ({ ...frame, at: (origin as number) + frame.at }));
    const sentMs = sent.map((t) => t * 1000);
    return { client: 'Python in Chromium, loopback', ...summary(scene, sentMs, endedMs, followed, shown, timed) };
  } finally {
    await browser.close();
    await server.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

// The notebook, its helper and the grid's arrays and settings, in `work`.
function prepare(work: string, scene: GridScene): void {
  for (const name of ['scientific-updates.ipynb', 'scientific_grid.py']) {
    copyFileSync(join(HERE, 'notebooks', name), join(work, name));
  }
  writeFileSync(join(work, 'grid-vertices.f32'), scene.vertices);
  writeFileSync(join(work, 'grid-faces.u32'), scene.faces);
  writeFileSync(join(work, 'grid-patch.u8'), scene.patch);
  writeFileSync(join(work, 'grid-radius.f32'), scene.radius);
  writeFileSync(join(work, 'grid-lut.u8'), hueLut());
  const settings = { camera: GRID_CAMERA, clim: CLIM, hues: HUES, seconds: UPDATE_MS / 1000 };
  writeFileSync(join(work, 'grid.json'), JSON.stringify(settings));
}

// In-page, as source text (the bundler's helpers would not exist in the page): on each paint of a glstream canvas,
// the colours at the two patches (3x3 pixels averaged) and the time, to window.glsGrid.
const GRID_PROBE = `(offset) => {
  window.glsGrid = [];
  const sample = (canvas) => {
    const at = performance.timeOrigin + performance.now();
    const context = canvas.getContext('2d');
    const y = Math.floor(canvas.height / 2);
    const [left, right] = [-offset, offset].map((o) => {
      const data = context.getImageData(Math.round(canvas.width / 2 + o * canvas.height) - 1, y - 1, 3, 3).data;
      const sum = [0, 0, 0];
      for (let i = 0; i < 9; i += 1) for (let c = 0; c < 3; c += 1) sum[c] += data[i * 4 + c];
      return sum.map((value) => value / 9);
    });
    window.glsGrid.push({ at, still: canvas.dataset.still === 'true', left, right });
  };
  document.addEventListener('DOMContentLoaded', () => {
    new MutationObserver((records) => {
      for (const { target } of records) if (target.classList.contains('glstream-canvas')) sample(target);
    }).observe(document.body, { subtree: true, attributes: true, attributeFilter: ['data-frames'] });
  });
}`;

// Updates 1..n sent at `sent` (ms) until `ended`, and the frames after the first was sent: rates, and the latency
// of each update to the first frame during the loop that shows it or a later one; `followed`: when the still that
// shows the last update came (null: none did); `timed`: the frames' timings, those during the loop summed up.
function summary(
  scene: GridScene,
  sent: number[],
  ended: number,
  followed: number | null,
  frames: Shown[],
  timed: Timed[],
): Omit<UpdateRow, 'client'> {
  const seconds = (ended - sent[0]!) / 1000;
  const periods = sent.slice(1).map((t, i) => t - sent[i]!);
  const loop = timed.filter(({ at }) => at >= sent[0]! && at < ended);
  const stills = loop.filter(({ still }) => still);
  const timing = (key: keyof Timed['timings']) =>
    percentile(
      loop.map(({ timings }) => timings[key]),
      0.5,
    );
  const shown = frames.map(({ at, code }) => ({
    at,
    update: code === null ? null : updateOf(code, sent.filter((t) => t <= at).length),
  }));
  const during = shown.filter(({ at }) => at < ended);
  const updatesShown = new Set(during.map(({ update }) => update).filter((update) => update !== null)).size;
  const latencies: number[] = [];
  sent.forEach((t, i) => {
    const found = during.find(({ at, update }) => update !== null && update >= i + 1 && at >= t);
    if (found !== undefined) latencies.push(found.at - t);
  });
  return {
    size: `${WIDTH}x${HEIGHT}`,
    vertices: scene.radius.length,
    seconds: round(seconds),
    updates: sent.length,
    updates_per_s: round(sent.length / seconds),
    period_ms_median: percentile(periods, 0.5),
    frames_per_s: round(during.length / seconds),
    updates_shown: updatesShown,
    delivered_per_s: round(updatesShown / seconds),
    latency_ms_p50: percentile(latencies, 0.5),
    latency_ms_p95: percentile(latencies, 0.95),
    unreadable_frames: shown.filter(({ update }) => update === null).length,
    last_update_still_ms: followed === null ? null : round(followed - ended),
    stills_during_loop: stills.length,
    stills_ms: round(stills.reduce((sum, { timings: t }) => sum + t.render_ms + t.readback_ms + t.encode_ms, 0)),
    frame_width_median: percentile(
      loop.map(({ width }) => width),
      0.5,
    ),
    render_ms_median: timing('render_ms'),
    readback_ms_median: timing('readback_ms'),
    encode_ms_median: timing('encode_ms'),
  };
}

// The code a frame of the grid shows, read at its two patches (3x3 pixels averaged against JPEG noise).
async function readCode(payload: Uint8Array): Promise<number | null> {
  const { data, info } = await sharp(payload).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const y = Math.floor(info.height / 2);
  const [left, right] = [-PATCH_OFFSET, PATCH_OFFSET].map((offset) => {
    const x = Math.round(info.width / 2 + offset * info.height);
    const sum = [0, 0, 0];
    for (let dy = -1; dy <= 1; dy += 1) {
      for (let dx = -1; dx <= 1; dx += 1) {
        for (let c = 0; c < 3; c += 1) sum[c]! += data[((y + dy) * info.width + x + dx) * 3 + c]!;
      }
    }
    return rgb(sum.map((value) => value / 9));
  });
  return decodeUpdate(left!, right!);
}

function rgb(values: number[]): [number, number, number] {
  return [values[0]!, values[1]!, values[2]!];
}

function percentile(values: number[], fraction: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return round(sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1))]!);
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
