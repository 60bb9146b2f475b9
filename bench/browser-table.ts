// The Chromium benchmark's report: the links as measured, one row per peer and transport on each link, and the
// targets of issue 13, each met or not with its figures.
import type { Measured } from './browser-run.js';
import type { Calibration } from './link-calibrate.js';
import type { Link } from './link-proxy.js';
import { table } from './table.js';

// The runs of one link (or of none): glstream's by transport, jupyter_rfb's.
export interface LinkRuns {
  link: Link | null;
  calibration?: Calibration;
  glstream: Partial<Record<'loopback' | 'proxy' | 'comm', Measured>>;
  jupyter_rfb: Measured;
}

// One condition of a target: a figure, the bound, and whether the figure must reach it (min) or stay under (max).
interface Condition {
  what: string;
  value: number | null | undefined;
  bound: number;
  kind: 'min' | 'max';
  unit: string;
}

export interface Target {
  target: string;
  met: boolean;
  figures: string;
}

const fixed = (value: number | null | undefined, digits = 0) =>
  typeof value === 'number' ? value.toFixed(digits) : '-';

// The median of `values` and their range, as "median [low-high]".
export function medianRange(values: number[], digits = 0): string {
  const sorted = [...values].sort((a, b) => a - b);
  const median = sorted[sorted.length >> 1]!;
  return `${median.toFixed(digits)} [${sorted[0]!.toFixed(digits)}-${sorted.at(-1)!.toFixed(digits)}]`;
}

export function median(values: number[]): number {
  return [...values].sort((a, b) => a - b)[values.length >> 1]!;
}

// Frame types as short names with their share of the frames painted: "jpeg", or "jpeg 30% / avc1 70%".
function types(frameTypes: Record<string, number>): string {
  const entries = Object.entries(frameTypes).filter(([type]) => type !== 'still');
  const total = entries.reduce((sum, [, n]) => sum + n, 0);
  const short = (type: string) => type.replace(/^(image|video)\//, '').split(/[;.]/)[0]!;
  if (entries.length === 1) return short(entries[0]![0]);
  return entries
    .sort((a, b) => b[1] - a[1])
    .map(([type, n]) => `${short(type)} ${Math.round((100 * n) / total)}%`)
    .join(' / ');
}

function row(link: string, path: string, run: Measured, rfbFps: number, fps = fixed(run.delivered_fps, 1)) {
  return {
    link,
    path,
    frames: types(run.frame_types),
    fps,
    p50: fixed(run.latency_ms_p50),
    p95: fixed(run.latency_ms_p95),
    still: fixed(run.still_after_mouse_up_ms),
    first: fixed(run.first_frame_ms),
    down: fixed(run.kB_per_s_down),
    up: fixed(run.kB_per_s_up),
    ratio: path.startsWith('jupyter_rfb') ? '' : (run.delivered_fps / rfbFps).toFixed(2),
    load: fixed(run.load_1min, 1),
  };
}

// Print the calibration of the links, then every run, then the 1M-triangle run.
export function printBrowser(noLink: LinkRuns, loopbackRuns: Measured[], million: Measured, links: LinkRuns[]): void {
  table(
    'emulated links (bench/link-proxy.ts), measured through the proxy: ping median of 20, ~1 s bulk download',
    [
      ['link', 'link'],
      ['set', 'set: RTT ms, Mbit/s'],
      ['rtt', 'RTT ms'],
      ['rate', 'Mbit/s'],
    ],
    links.map(({ link, calibration }) => ({
      link: link!.name,
      set: `${link!.rttMs}, ${link!.mbitPerSecond}`,
      rtt: fixed(calibration?.rtt_ms_p50, 1),
      rate: fixed(calibration?.mbit_per_s, 1),
    })),
  );
  const rows = [];
  for (const runs of [noLink, ...links]) {
    const name = runs.link?.name ?? 'none';
    const rfbFps = runs.jupyter_rfb.delivered_fps;
    for (const transport of ['loopback', 'proxy', 'comm'] as const) {
      const run = runs.glstream[transport];
      if (run === undefined) {
        rows.push({ link: name, path: `glstream ${transport}`, fps: 'n/a' });
      } else if (transport === 'loopback' && runs.link === null) {
        const fps = medianRange(
          loopbackRuns.map((r) => r.delivered_fps),
          1,
        );
        rows.push({
          ...row(name, 'glstream loopback (3 runs)', run, rfbFps, fps),
          p50: medianRange(loopbackRuns.map((r) => r.latency_ms_p50 ?? Number.NaN)),
          p95: medianRange(loopbackRuns.map((r) => r.latency_ms_p95 ?? Number.NaN)),
        });
      } else {
        rows.push(row(name, `glstream ${transport}`, run, rfbFps));
      }
    }
    rows.push(row(name, 'jupyter_rfb comm', runs.jupyter_rfb, rfbFps));
  }
  rows.push(row('none', 'glstream loopback 1M tri', million, noLink.jupyter_rfb.delivered_fps));
  table(
    'end to end in Chromium through JupyterLab (1280x720, 16k triangles unless said, 10 s drag at 120 Hz; latency ' +
      'measured by the widget; kB/s: on a link every byte at the proxy, without one the frames the page received; ' +
      'load: 1-min load average at the start of the run, 2 cores)',
    [
      ['link', 'link'],
      ['path', 'peer, transport'],
      ['frames', 'frames'],
      ['fps', 'fps delivered'],
      ['p50', 'latency p50 ms'],
      ['p95', 'p95 ms'],
      ['still', 'still after up ms'],
      ['first', 'first frame ms'],
      ['down', 'kB/s down'],
      ['up', 'kB/s up'],
      ['ratio', 'x jupyter_rfb'],
      ['load', 'load'],
    ],
    rows,
  );
  console.log(
    "n/a: loopback (glstream's own websocket to the sidecar) cannot cross a link: the browser must be on the",
  );
  console.log("sidecar's host, so it is measured without a link only. Median [range] of its 3 runs.");
}

// Check each condition; the target is met when all are.
function check(target: string, conditions: Condition[]): Target {
  const ok = (c: Condition) =>
    typeof c.value === 'number' &&
    !Number.isNaN(c.value) &&
    (c.kind === 'min' ? c.value >= c.bound : c.value <= c.bound);
  const figures = conditions
    .map((c) => `${c.what} ${fixed(c.value, 1)}${c.unit} (${c.kind === 'min' ? '>=' : '<='} ${c.bound}${c.unit})`)
    .join(', ');
  return { target, met: conditions.every(ok), figures };
}

// Issue 13's targets for the browser runs.
export function targets(noLink: LinkRuns, loopbackRuns: Measured[], links: LinkRuns[]): Target[] {
  const comm = noLink.glstream.comm!;
  const onLink = (name: string) => links.find((runs) => runs.link?.name === name)!.glstream.proxy!;
  const campus = onLink('campus');
  const home = onLink('home');
  return [
    check('comm path, no link', [
      { what: 'fps', value: comm.delivered_fps, bound: 30, kind: 'min', unit: '' },
      {
        what: 'x jupyter_rfb',
        value: comm.delivered_fps / noLink.jupyter_rfb.delivered_fps,
        bound: 2,
        kind: 'min',
        unit: '',
      },
      { what: 'p50', value: comm.latency_ms_p50, bound: 80, kind: 'max', unit: ' ms' },
    ]),
    check('campus link (40 ms, 20 Mbit/s), proxy path', [
      { what: 'fps', value: campus.delivered_fps, bound: 30, kind: 'min', unit: '' },
      { what: 'p50', value: campus.latency_ms_p50, bound: 90, kind: 'max', unit: ' ms' },
    ]),
    check('home link (100 ms, 5 Mbit/s), proxy path', [
      { what: 'fps', value: home.delivered_fps, bound: 20, kind: 'min', unit: '' },
      { what: 'p50', value: home.latency_ms_p50, bound: 180, kind: 'max', unit: ' ms' },
      { what: 'still', value: home.still_after_mouse_up_ms, bound: 600, kind: 'max', unit: ' ms' },
    ]),
    check('loopback, median of 3 runs', [
      { what: 'fps', value: median(loopbackRuns.map((r) => r.delivered_fps)), bound: 60, kind: 'min', unit: '' },
      {
        what: 'p95',
        value: median(loopbackRuns.map((r) => r.latency_ms_p95 ?? Number.NaN)),
        bound: 60,
        kind: 'max',
        unit: ' ms',
      },
    ]),
  ];
}

export function printTargets(list: Target[]): void {
  console.log('\nissue 13 targets (browser):');
  for (const { target, met, figures } of list) console.log(`  ${met ? 'met    ' : 'NOT met'}  ${target}: ${figures}`);
}
