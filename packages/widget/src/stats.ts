// Streaming figures measured in the page: fps and bytes/s over the last second, input-to-paint
// latency over the last inputs, the sidecar's newest timings. Pure: callers pass the time.
import type { FrameMeta, FrameTimings, StatsReport, Transport } from '@glstream/protocol';

const WINDOW_MS = 1000;
const LATENCY_SAMPLES = 100;

// The value below which `fraction` of the sorted samples lie (nearest rank); null when empty.
export function percentile(sorted: readonly number[], fraction: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.ceil(fraction * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))]!;
}

// Collects painted and received frames and sums them up on request.
export class StatsMeter {
  // The path the frames currently take.
  transport: Transport = 'comm';
  #paints: number[] = [];
  #arrivals: { at: number; bytes: number }[] = [];
  #latencies: number[] = [];
  #newestInput = -Infinity;
  #timings: FrameTimings | null = null;
  #frames = 0;

  // A frame of `bytes` arrived at `now`.
  received(bytes: number, now: number): void {
    this.#arrivals.push({ at: now, bytes });
    this.#arrivals = this.#arrivals.filter((arrival) => arrival.at > now - WINDOW_MS);
  }

  // A frame was painted at `now`; its latency counts when it is the first to show a newer input.
  painted(meta: FrameMeta, now: number): void {
    this.#frames += 1;
    this.#timings = meta.timings;
    this.#paints.push(now);
    this.#paints = this.#paints.filter((at) => at > now - WINDOW_MS);
    if (meta.t_input === null || meta.t_input <= this.#newestInput) return;
    this.#newestInput = meta.t_input;
    this.#latencies.push(now - meta.t_input);
    if (this.#latencies.length > LATENCY_SAMPLES) this.#latencies.shift();
  }

  // The figures as of `now`.
  report(now: number): StatsReport {
    const sorted = [...this.#latencies].sort((a, b) => a - b);
    const bytes = this.#arrivals
      .filter((arrival) => arrival.at > now - WINDOW_MS)
      .reduce((sum, arrival) => sum + arrival.bytes, 0);
    return {
      type: 'stats',
      transport: this.transport,
      fps: this.#paints.filter((at) => at > now - WINDOW_MS).length * (1000 / WINDOW_MS),
      latency_ms_p50: round(percentile(sorted, 0.5)),
      latency_ms_p95: round(percentile(sorted, 0.95)),
      bytes_per_s: Math.round(bytes * (1000 / WINDOW_MS)),
      frames: this.#frames,
      render_ms: this.#timings?.render_ms ?? null,
      readback_ms: this.#timings?.readback_ms ?? null,
      encode_ms: this.#timings?.encode_ms ?? null,
    };
  }
}

// One line for the overlay.
export function formatStats(report: StatsReport): string {
  const latency =
    report.latency_ms_p50 === null
      ? 'latency –'
      : `latency p50 ${report.latency_ms_p50} ms, p95 ${report.latency_ms_p95} ms`;
  const server =
    report.render_ms === null
      ? ''
      : ` · render ${report.render_ms} + readback ${report.readback_ms} + encode ${report.encode_ms} ms`;
  const rate = `${(report.bytes_per_s / 1000).toFixed(0)} kB/s`;
  return `${report.fps} fps · ${latency} · ${rate} via ${report.transport}${server}`;
}

function round(ms: number | null): number | null {
  return ms === null ? null : Math.round(ms * 10) / 10;
}
