// Give memory back once the sidecar is idle. V8's young generation grows to 32 MB while frames are made (a drag,
// a still) and V8 does not shrink it while nothing runs, for it shrinks it only at a collection that finds the
// allocation rate of the last 5 s low, and an idle sidecar makes no collections: it kept about 20 MB of RSS it did
// not use. After IDLE_MS without GL work or requests, a full collection (a few milliseconds on an idle heap), and
// IDLE_MS later a second one: the first still counts what the last frames allocated, the second finds the rate low
// and shrinks. The next activity starts a new idle period.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

// Longer than V8's 5 s window of allocation throughput.
export const IDLE_MS = 6_000;

const COLLECTIONS = 2;

export class IdleTrim {
  readonly #trim: () => void;
  readonly #idleMs: number;
  #timer: NodeJS.Timeout | undefined;
  #left = COLLECTIONS;

  // `trim` is what runs when idle (tests replace it).
  constructor(trim: () => void = collect, idleMs = IDLE_MS) {
    this.#trim = trim;
    this.#idleMs = idleMs;
    this.#arm();
  }

  // Something ran: the idle period starts again.
  busy(): void {
    this.#left = COLLECTIONS;
    this.#arm();
  }

  dispose(): void {
    clearTimeout(this.#timer);
    this.#left = 0;
  }

  #arm(): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#trim();
      this.#left -= 1;
      if (this.#left > 0) this.#arm();
    }, this.#idleMs);
    this.#timer.unref();
  }
}

let gc: (() => void) | undefined;

function collect(): void {
  if (gc === undefined) {
    setFlagsFromString('--expose-gc');
    gc = runInNewContext('gc') as () => void;
  }
  gc();
}
