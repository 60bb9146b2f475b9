// The soak test's judgement of its samples: the renderer's memory after warm-up against its memory at the end, and
// file descriptors, X resources and temp files at the end against the same moment of the first cycle after warm-up.
//
// Memory: a Node process' RSS is a sawtooth (V8 collects its young and old spaces every few seconds to tens of
// seconds, malloc keeps freed pages for a while), so one sample says little and a line fitted through a run of a
// minute or two mostly measures where the last tooth stopped. The median of a window that spans several teeth does
// not: the verdict compares the median of the last third of the run with the median of the samples right after
// warm-up (up to 40 % of the run), and the slope is reported beside it. Resources are counted at checkpoints, each at
// the same point of a cycle (the extra view closed, the main view settled), where a leak of one per cycle shows.
import type { XClient } from './process-sample.js';

// Fraction of the run spent warming up (caches filled, the first of each kind of object made), then the end of the
// window whose median is the reference, and the start of the window compared with it.
export const WARM_UP = 0.25;
export const REFERENCE_END = 0.4;
export const FINAL_START = 2 / 3;
// How much the renderer's memory may grow from after warm-up to the end: "flat within 10 %".
export const RSS_TOLERANCE = 0.1;

// X resources of the display, summed over its clients.
export type XTotals = Omit<XClient, 'name'> & { clients: number };

// One memory sample, `t` seconds into the run.
export interface MemorySample {
  t: number;
  rendererKb: number;
  xserverKb?: number | undefined;
  kernelKb?: number | undefined;
}

// What the renderer and its display hold at one checkpoint.
export interface Checkpoint {
  t: number;
  cycle: number;
  fds: number;
  fdKinds: Record<string, number>;
  x: XTotals;
  tempFiles: string[];
}

// Sum the resources of every client of the display.
export function xTotals(clients: XClient[]): XTotals {
  const totals: XTotals = {
    clients: clients.length,
    windows: 0,
    pixmaps: 0,
    gcs: 0,
    pictures: 0,
    other: 0,
    pixmapBytes: 0,
    totalBytes: 0,
  };
  for (const client of clients) {
    for (const key of ['windows', 'pixmaps', 'gcs', 'pictures', 'other', 'pixmapBytes', 'totalBytes'] as const) {
      totals[key] += client[key];
    }
  }
  return totals;
}

// How many of each kind of file descriptor ("socket", "pipe", "/dev/dri/card0"...).
export function countKinds(kinds: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const kind of kinds) counts[kind] = (counts[kind] ?? 0) + 1;
  return counts;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

// Least-squares slope of `y` over `x`.
export function slope(x: number[], y: number[]): number {
  const mx = x.reduce((a, b) => a + b, 0) / x.length;
  const my = y.reduce((a, b) => a + b, 0) / y.length;
  let num = 0;
  let den = 0;
  for (let i = 0; i < x.length; i += 1) {
    num += (x[i]! - mx) * (y[i]! - my);
    den += (x[i]! - mx) ** 2;
  }
  return den === 0 ? 0 : num / den;
}

// The figures of a run and what, if anything, leaked.
export interface Verdict {
  seconds: number;
  samples: number;
  rss: {
    afterWarmUpMb: number;
    endMb: number;
    growth: number;
    slopeMbPerMin: number;
    minMb: number;
    maxMb: number;
    xserverAfterWarmUpMb?: number;
    xserverEndMb?: number;
    kernelAfterWarmUpMb?: number;
    kernelEndMb?: number;
  };
  baseline: Checkpoint;
  final: Checkpoint;
  failures: string[];
}

const mb = (kb: number) => Math.round(kb / 102.4) / 10;

// Judge a run of `seconds`: its memory samples, and the checkpoint of the first cycle after warm-up (`baseline`)
// against the one after the last (`final`).
export function judge(seconds: number, samples: MemorySample[], baseline: Checkpoint, final: Checkpoint): Verdict {
  const failures: string[] = [];
  const window = (from: number, to: number) =>
    samples.filter((sample) => sample.t >= from * seconds && sample.t <= to * seconds);
  const reference = window(WARM_UP, REFERENCE_END);
  const end = window(FINAL_START, 1);
  const settled = window(WARM_UP, 1);
  if (reference.length < 5 || end.length < 5) {
    failures.push(`too few memory samples to judge: ${reference.length} after warm-up, ${end.length} at the end`);
  }
  const medianOf = (list: MemorySample[], key: keyof MemorySample) => {
    const values = list.map((sample) => sample[key]).filter((value): value is number => value !== undefined);
    return values.length === 0 ? undefined : mb(median(values));
  };
  const afterWarmUpMb = medianOf(reference, 'rendererKb') ?? 0;
  const endMb = medianOf(end, 'rendererKb') ?? 0;
  const growth = afterWarmUpMb === 0 ? 0 : endMb / afterWarmUpMb - 1;
  const kbPerSecond = slope(
    settled.map((sample) => sample.t),
    settled.map((sample) => sample.rendererKb),
  );
  const rendered = settled.map((sample) => sample.rendererKb);
  const rss = {
    afterWarmUpMb,
    endMb,
    growth: Math.round(growth * 1000) / 1000,
    slopeMbPerMin: Math.round((kbPerSecond * 60) / 102.4) / 10,
    minMb: mb(Math.min(...rendered)),
    maxMb: mb(Math.max(...rendered)),
    ...optional('xserverAfterWarmUpMb', medianOf(reference, 'xserverKb')),
    ...optional('xserverEndMb', medianOf(end, 'xserverKb')),
    ...optional('kernelAfterWarmUpMb', medianOf(reference, 'kernelKb')),
    ...optional('kernelEndMb', medianOf(end, 'kernelKb')),
  };
  if (growth > RSS_TOLERANCE) {
    failures.push(
      `the renderer's RSS grew ${(growth * 100).toFixed(1)} % (median ${afterWarmUpMb} MB after warm-up, ` +
        `${endMb} MB over the last third; slope ${rss.slopeMbPerMin} MB/min), more than ${RSS_TOLERANCE * 100} %`,
    );
  }
  failures.push(...held(baseline, final));
  return { seconds, samples: samples.length, rss, baseline, final, failures };
}

// What `final` holds beyond `baseline`: file descriptors, X resources, temp files; [] when nothing.
export function held(baseline: Checkpoint, final: Checkpoint): string[] {
  const failures: string[] = [];
  if (final.fds > baseline.fds) {
    failures.push(
      `the renderer holds ${final.fds} file descriptors after cycle ${final.cycle}, ${baseline.fds} after cycle ` +
        `${baseline.cycle}; grown: ${grownKinds(baseline.fdKinds, final.fdKinds)}`,
    );
  }
  // counts, not bytes: a pixmap's bytes follow the view's size, which the cycles change
  const counted = ['clients', 'windows', 'pixmaps', 'gcs', 'pictures', 'other'] as const;
  const xGrown = counted.filter((key) => final.x[key] > baseline.x[key]);
  if (xGrown.length > 0) {
    const detail = xGrown.map((key) => `${key} ${baseline.x[key]} → ${final.x[key]}`).join(', ');
    failures.push(`X resources grew from cycle ${baseline.cycle} to cycle ${final.cycle}: ${detail}`);
  }
  const added = final.tempFiles.filter((path) => !baseline.tempFiles.includes(path));
  if (added.length > 0) {
    failures.push(`temp files not back to what they were after cycle ${baseline.cycle}: new ${added.join(', ')}`);
  }
  return failures;
}

function optional<K extends string>(key: K, value: number | undefined): { [key in K]?: number } {
  return (value === undefined ? {} : { [key]: value }) as { [key in K]?: number };
}

function grownKinds(before: Record<string, number>, after: Record<string, number>): string {
  const grown = Object.entries(after)
    .filter(([kind, count]) => count > (before[kind] ?? 0))
    .map(([kind, count]) => `${kind} ${before[kind] ?? 0} → ${count}`);
  return grown.join(', ') || 'none by kind (kinds swapped)';
}
