// Decide when a view gets a frame: only when something changed, never more than `window` unacknowledged,
// JPEG while input keeps coming, and one lossless still once input has stopped for `stillDelayMs`.

export interface PacerOptions {
  window?: number;
  stillDelayMs?: number;
}

// Paces the frames of one view; `produce` renders, encodes and sends a frame.
export class FramePacer {
  readonly #produce: (still: boolean) => Promise<void>;
  readonly #onError: (error: unknown) => void;
  readonly #window: number;
  readonly #stillDelayMs: number;
  #active = false;
  #dirty = false;
  #stillOwed = false;
  #interacting = false;
  #busy = false;
  #unacked = 0;
  #timer: NodeJS.Timeout | undefined;

  constructor(
    produce: (still: boolean) => Promise<void>,
    onError: (error: unknown) => void,
    options: PacerOptions = {},
  ) {
    this.#produce = produce;
    this.#onError = onError;
    this.#window = options.window ?? 2;
    this.#stillDelayMs = options.stillDelayMs ?? 100;
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
      this.#interacting = true;
      clearTimeout(this.#timer);
      this.#timer = setTimeout(() => {
        this.#interacting = false;
        this.#pump();
      }, this.#stillDelayMs);
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

  #pump(): void {
    if (!this.#active || this.#busy || this.#unacked >= this.#window) return;
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
