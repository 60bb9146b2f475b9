// Decide when a view gets a frame: only when something changed, never more unacknowledged than the path holds,
// JPEG while input keeps coming, and one lossless still once input has stopped for `stillDelayMs` — or for
// half again the last gap between changes when they come slower than that (a kernel loop updating data a few
// times a second), so that a stream of changes is not cut by a costly full-size still at each gap.

import { FrameWindow, MIN_FRAMES } from './frame-window.js';
import type { LinkEstimate } from './link-estimate.js';

export interface PacerOptions {
  // The measured path: frames in flight follow what it delivers (frame-window.ts).
  link?: LinkEstimate;
  // Without a measured path, a fixed number of frames in flight.
  window?: number;
  stillDelayMs?: number;
  // Milliseconds from some origin, for the gaps between changes (tests drive it).
  now?: () => number;
}

// Changes further apart than this are not a stream: the still follows after stillDelayMs.
const STREAM_GAP_MS = 500;

// Paces the frames of one view; `produce` renders, encodes and sends a frame.
export class FramePacer {
  readonly #produce: (still: boolean) => Promise<void>;
  readonly #onError: (error: unknown) => void;
  // Frames in flight: what the measured path delivers best, or a fixed number without one.
  readonly #window: FrameWindow | number;
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
    this.#window = options.link === undefined ? (options.window ?? MIN_FRAMES) : new FrameWindow(options.link);
    this.#stillDelayMs = options.stillDelayMs ?? 100;
    this.#now = options.now ?? (() => performance.now());
  }

  // Frames not yet acknowledged by the widget.
  get unacked(): number {
    return this.#unacked;
  }

  // The frames that may be in flight now.
  get window(): number {
    return typeof this.#window === 'number' ? this.#window : this.#window.size;
  }

  // The path, not the window, holds the delivery rate (FrameWindow.pathBound); never with a fixed window.
  get pathBound(): boolean {
    return typeof this.#window !== 'number' && this.#window.pathBound;
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
    if (typeof this.#window !== 'number') this.#window.reset();
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
    if (typeof this.#window !== 'number') this.#window.acked(this.#now());
    this.#pump();
  }

  // Stop producing frames.
  dispose(): void {
    this.#active = false;
    clearTimeout(this.#timer);
  }

  #admits(): boolean {
    const window = this.#window;
    if (typeof window === 'number') return this.#unacked < window;
    if (window.admits(this.#unacked)) return true;
    window.full();
    return false;
  }

  #pump(): void {
    if (!this.#active || this.#busy) return;
    if (!this.#dirty && !(this.#stillOwed && !this.#interacting)) return;
    if (!this.#admits()) return;
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
