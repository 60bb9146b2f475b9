// Input coalescing: at most one pointer move and one wheel event (its deltas summed) per animation frame,
// the newest position winning; any other event sends what is pending first, so the order is kept.
import type { InputEvent, PointerInput, WheelInput } from '@glstream/protocol';

type Mergeable = PointerInput | WheelInput;

// Buffers moves and wheel turns until `schedule` calls back (once per animation frame in the browser).
export class InputCoalescer {
  readonly #send: (event: InputEvent) => void;
  readonly #schedule: (flush: () => void) => void;
  #pending: Mergeable | undefined;
  #scheduled = false;

  constructor(send: (event: InputEvent) => void, schedule: (flush: () => void) => void) {
    this.#send = send;
    this.#schedule = schedule;
  }

  // Send `event` now, or fold it into the pending move or wheel turn.
  push(event: InputEvent): void {
    if (event.type === 'pointer' && event.phase === 'move') {
      if (this.#pending?.type === 'wheel') this.flush();
      this.#hold(event);
    } else if (event.type === 'wheel') {
      const pending = this.#pending;
      if (pending?.type === 'wheel') this.#hold({ ...event, dx: pending.dx + event.dx, dy: pending.dy + event.dy });
      else {
        this.flush();
        this.#hold(event);
      }
    } else {
      this.flush();
      this.#send(event);
    }
  }

  // Send the pending move or wheel turn, if any.
  flush(): void {
    const pending = this.#pending;
    this.#pending = undefined;
    if (pending !== undefined) this.#send(pending);
  }

  #hold(event: Mergeable): void {
    this.#pending = event;
    if (this.#scheduled) return;
    this.#scheduled = true;
    this.#schedule(() => {
      this.#scheduled = false;
      this.flush();
    });
  }
}
