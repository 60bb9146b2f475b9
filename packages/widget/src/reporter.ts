// The stats overlay over the canvas corner, and the report to the kernel about once a second
// while frames flow (nothing while idle).
import type { FrameMeta, StatsReport, Transport } from '@glstream/protocol';
import { formatStats, StatsMeter } from './stats.js';

const REPORT_INTERVAL_MS = 1000;

// Create the overlay, hidden until show_stats is set.
export function createOverlay(): HTMLElement {
  const overlay = document.createElement('div');
  overlay.className = 'glstream-stats';
  overlay.hidden = true;
  return overlay;
}

// Measures the frames of one view, shows the figures when asked, and reports them to the kernel.
export class StatsReporter {
  readonly #meter = new StatsMeter();
  readonly #overlay: Pick<HTMLElement, 'hidden' | 'textContent'>;
  readonly #send: (report: StatsReport) => void;
  readonly #signal: AbortSignal;
  readonly #now: () => number;
  #lastReport = -Infinity;
  #lastPaint = -Infinity;
  #unreported = false;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    overlay: Pick<HTMLElement, 'hidden' | 'textContent'>,
    send: (report: StatsReport) => void,
    signal: AbortSignal,
    now: () => number = () => performance.now(),
  ) {
    this.#overlay = overlay;
    this.#send = send;
    this.#signal = signal;
    this.#now = now;
    signal.addEventListener('abort', () => clearTimeout(this.#timer), { once: true });
  }

  // The path frames take from now on.
  set transport(transport: Transport) {
    this.#meter.transport = transport;
    if (!this.#overlay.hidden) this.#refresh(this.#now());
  }

  // A frame of `bytes` arrived.
  received(bytes: number): void {
    this.#meter.received(bytes, this.#now());
  }

  // A frame was painted: refresh the overlay and make sure a report follows within a second.
  painted(meta: FrameMeta): void {
    const now = this.#now();
    this.#lastPaint = now;
    this.#meter.painted(meta, now);
    this.#unreported = true;
    if (!this.#overlay.hidden) this.#refresh(now);
    if (this.#timer === undefined && !this.#signal.aborted) {
      this.#timer = setTimeout(() => this.#report(), Math.max(0, this.#lastReport + REPORT_INTERVAL_MS - now));
    }
  }

  // Show or hide the overlay.
  show(visible: boolean): void {
    this.#overlay.hidden = !visible;
    if (visible) this.#refresh(this.#now());
  }

  #refresh(now: number): void {
    this.#overlay.textContent = formatStats(this.#meter.report(now));
  }

  #report(): void {
    this.#timer = undefined;
    if (this.#signal.aborted || !this.#unreported) return;
    this.#unreported = false;
    this.#lastReport = this.#now();
    if (!this.#overlay.hidden) this.#refresh(this.#lastReport);
    // A timer that fired late, once the frames had stopped, must not report a second without them: the report
    // covers the second that ended with the newest frame.
    this.#send(this.#meter.report(Math.min(this.#lastReport, this.#lastPaint)));
  }
}
