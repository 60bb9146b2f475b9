// Decide when a view gets a frame: only when something changed, never more unacknowledged than the path holds,
// JPEG while input keeps coming, and one lossless still once input has stopped for `stillDelayMs` — or for
// half again the last gap between changes when they come slower than that (a kernel loop updating data a few
// times a second), so that a stream of changes is not cut by a costly full-size still at each gap.

import type { LinkEstimate } from './link-estimate.js';

export interface PacerOptions {
  // The measured path: frames in flight follow its bandwidth-delay product (see `admits`).
  link?: LinkEstimate;
  // Without a measured path, a fixed number of frames in flight.
  window?: number;
  stillDelayMs?: number;
  // Milliseconds from some origin, for the gaps between changes (tests drive it).
  now?: () => number;
}

// Changes further apart than this are not a stream: the still follows after stillDelayMs.
const STREAM_GAP_MS = 500;

// Frames in flight on a measured path: two at least, so that one is drawn while the other travels; more while
// the bytes in flight stay under the bandwidth-delay product with a quarter to spare (so a window that is itself
// the bottleneck grows, and a link that is the bottleneck gets a short queue) and no queue shows in the round trip,
// and never more than MAX_FRAMES (a wrong estimate cannot queue seconds of frames).
export const MIN_FRAMES = 2;
export const MAX_FRAMES = 8;
const BDP_GAIN = 1.25;
// The round trip runs to the ack after the browser decoded the frame, so a busy browser (or kernel) looks like a
// long path to the rate samples; a frame more then only waits in its queue and adds a frame's time to every
// input's latency. As TCP Vegas, the frames queued are those in flight times (1 - least / last round trip): at
// half a frame the window stops growing.
const QUEUED_FRAMES_MAX = 0.5;

// Whether one more frame may leave on `link` with `unacked` frames not yet acked (those made but not sent too).
export function admits(link: LinkEstimate, unacked: number): boolean {
  if (unacked < MIN_FRAMES) return true;
  if (unacked >= MAX_FRAMES || link.probing) return false;
  const bdp = link.bdpBytes;
  const least = link.rttMs;
  const last = link.lastRttMs;
  if (bdp === null || least === null || last === null) return false;
  const queued = unacked * (1 - least / Math.max(last, least));
  return queued < QUEUED_FRAMES_MAX && link.inFlightBytes < BDP_GAIN * bdp;
}

// Paces the frames of one view; `produce` renders, encodes and sends a frame.
export class FramePacer {
  readonly #produce: (still: boolean) => Promise<void>;
  readonly #onError: (error: unknown) => void;
  readonly #window: number;
  readonly #link: LinkEstimate | undefined;
  readonly #stillDelayMs: number;
  #active = false;
  #dirty = false;
  #stillOwed = false;
  #interacting = false;
  #busy = false;
  #unacked = 0;
  #timer: NodeJS.Timeout | undefined;
  readonly #now: () => number;
  #lastChange = Number.NEGATIVE_INFINITY;

  constructor(
    produce: (still: boolean) => Promise<void>,
    onError: (error: unknown) => void,
    options: PacerOptions = {},
  ) {
    this.#produce = produce;
    this.#onError = onError;
    this.#window = options.window ?? MIN_FRAMES;
    this.#link = options.link;
    this.#stillDelayMs = options.stillDelayMs ?? 100;
    this.#now = options.now ?? (() => performance.now());
  }

  // Frames not yet acknowledged by the widget.
  get unacked(): number {
    return this.#unacked;
  }

  // A widget is showing this view (again): open the window and send the current state.
  activate(): void {
    this.#active = true;
    this.#unacked = 0;
    this.invalidate(false);
  }

  // The frames' path changed (a direct connection opened or closed): forget unacked frames and, if the
  // view is showing, send its current state on the new path.
  reopen(): void {
    this.#unacked = 0;
    if (this.#active) this.invalidate(false);
  }

  // The view changed; `interactive` when the change came from user input.
  invalidate(interactive: boolean): void {
    this.#dirty = true;
    this.#stillOwed = true;
    if (interactive) {
      const now = this.#now();
      const gap = now - this.#lastChange;
      this.#lastChange = now;
      const delay = gap < STREAM_GAP_MS ? Math.max(this.#stillDelayMs, 1.5 * gap) : this.#stillDelayMs;
      this.#interacting = true;
      clearTimeout(this.#timer);
      this.#timer = setTimeout(() => {
        this.#interacting = false;
        this.#pump();
      }, delay);
    }
    this.#pump();
  }

  // The user let go (pointer released): the interaction is over, so the still need not wait for the idle delay.
  settle(): void {
    clearTimeout(this.#timer);
    this.#interacting = false;
    this.#pump();
  }

  // The widget decoded a frame.
  ack(): void {
    this.#unacked = Math.max(0, this.#unacked - 1);
    this.#pump();
  }

  // Stop producing frames.
  dispose(): void {
    this.#active = false;
    clearTimeout(this.#timer);
  }

  #admits(): boolean {
    return this.#link === undefined ? this.#unacked < this.#window : admits(this.#link, this.#unacked);
  }

  #pump(): void {
    if (!this.#active || this.#busy || !this.#admits()) return;
    if (!this.#dirty && !(this.#stillOwed && !this.#interacting)) return;
    const still = !this.#interacting;
    this.#dirty = false;
    if (still) this.#stillOwed = false;
    this.#busy = true;
    this.#unacked += 1;
    this.#produce(still)
      .catch((error: unknown) => {
        this.#unacked -= 1;
        this.#onError(error);
      })
      .finally(() => {
        this.#busy = false;
        this.#pump();
      });
  }
}
