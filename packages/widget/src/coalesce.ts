// Input coalescing: at most one pointer move and one wheel event (its deltas summed) per animation frame,
// the newest position winning; any other event sends what is pending first, so the order is kept. And on the
// kernel's comm, acks riding on input.
import {
  type AckInput,
  type InputEvent,
  LIMITS,
  type PointerInput,
  type WheelInput,
  type WithAcks,
} from '@glstream/protocol';

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

// During a drag, an ack waits up to one animation frame for a move to ride on; a move waits for the ack of a frame
// still to come (one showing input sent before it) up to twice the recent time between acks, within these bounds,
// in case that frame never comes (a window that did not redraw).
export const ACK_HOLD_MS = 17;
export const MOVE_HOLD_MS = { min: 50, max: 500 };

// What goes to the kernel's comm. Each message there costs a trip through the Jupyter server and the kernel's
// shell, and the kernel's busy and idle news for it travel back to the page, which JupyterLab shows: messages, not
// bytes, are what the comm path pays for. So while the user drags, the newest pointer move rides on the ack of the
// next frame (the sidecar applies the move, then lets a frame out, which shows it): one message a frame. A move
// goes at once while fewer moves sent are still to be shown than the sidecar lets frames be in flight (the window
// the last frame named), so a drag that starts or resumes is not held up and each frame in flight shows a newer
// move; with one move ahead frames would go one at a time (a move, its frame, its ack: 18 fps where two gave 30).
// Everything else goes at once, after what is held; acks outside a drag go at once.
export class KernelOutbox {
  readonly #send: (message: WithAcks) => void;
  readonly #schedule: (task: () => void, ms: number) => () => void;
  readonly #acks: number[] = [];
  #move: PointerInput | undefined;
  #cancel: (() => void) | undefined;
  #dragging = false;
  // The moves sent that no acked frame shows yet, oldest first, and how many may be.
  readonly #unshown: number[] = [];
  #ahead = LIMITS.frames_in_flight.min;
  readonly #now: () => number;
  #lastAck: number | undefined;
  #ackInterval = MOVE_HOLD_MS.min / 2;

  constructor(
    send: (message: WithAcks) => void,
    schedule: (task: () => void, ms: number) => () => void,
    now: () => number = () => performance.now(),
  ) {
    this.#send = send;
    this.#schedule = schedule;
    this.#now = now;
  }

  // Send an input event, or hold a move during a drag for the ack of a frame on its way.
  event(event: InputEvent): void {
    if (this.#dragging && event.type === 'pointer' && event.phase === 'move') {
      this.#move = event;
      if (this.#acks.length > 0 || this.#unshown.length < this.#ahead) this.flush();
      else this.#arm(Math.min(MOVE_HOLD_MS.max, Math.max(MOVE_HOLD_MS.min, 2 * this.#ackInterval)));
      return;
    }
    if (event.type === 'pointer' && event.phase !== 'move') this.#dragging = event.phase === 'down';
    this.flush();
    this.#send(event);
  }

  // Send the ack of a frame that shows input up to `shows` (its input_seq) and left when `window` frames could be in
  // flight, or hold it during a drag for a move.
  ack(ack: AckInput, shows: number, window: number): void {
    this.#acks.push(ack.seq);
    this.#ahead = window;
    while (this.#unshown.length > 0 && this.#unshown[0]! <= shows) this.#unshown.shift();
    const now = this.#now();
    if (this.#dragging && this.#lastAck !== undefined)
      this.#ackInterval += (now - this.#lastAck - this.#ackInterval) / 4;
    this.#lastAck = now;
    if (!this.#dragging || this.#move !== undefined || this.#acks.length > LIMITS.piggyback_acks_max) this.flush();
    else this.#arm(ACK_HOLD_MS);
  }

  // Send what is held: the move carrying the acks, or the acks alone.
  flush(): void {
    this.#cancel?.();
    this.#cancel = undefined;
    const move = this.#move;
    this.#move = undefined;
    const [first, ...others] = this.#acks.splice(0);
    if (move !== undefined) {
      // Older ones beyond the window change nothing, and a window that never redraws must not grow the list.
      if (this.#unshown.push(move.seq) > LIMITS.frames_in_flight.max) this.#unshown.shift();
      this.#send(carrying(move, first === undefined ? [] : [first, ...others]));
    } else if (first !== undefined) this.#send(carrying({ type: 'ack', seq: first }, others));
  }

  #arm(ms: number): void {
    this.#cancel ??= this.#schedule(() => {
      this.#cancel = undefined;
      this.flush();
    }, ms);
  }
}

function carrying(event: InputEvent, acks: number[]): WithAcks {
  return acks.length === 0 ? event : { ...event, acks };
}
