// What the path from a view to its widget carries, measured from its own frames and their acks: the round trip
// (send to ack, so it includes the frame's transfer and its decode in the browser) and the delivery rate. The
// rate samples are BBR's (Cardwell et al., "Delivery rate estimation"): bytes acked over the longer of the
// send and the ack intervals they span, so a burst sent at once is not mistaken for a fast link. The rate kept
// is the most of recent samples and the round trip the least, as a frame that met no queue shows the path best.
// A queue that never drains would hide the least round trip and let it creep up, so, as BBR's ProbeRTT, once
// the least is a window old the estimate asks the pacer to hold back (`probing`) until a frame sent meanwhile
// is acked, and that frame's round trip is the new least.

export interface LinkEstimateOptions {
  // How long a sample counts, in milliseconds with frames in flight (idle time does not age the estimate).
  windowMs?: number;
}

// A frame sent and not yet acked, with the delivery state when it left.
interface InFlight {
  bytes: number;
  at: number;
  delivered: number;
  deliveredAt: number;
  firstSentAt: number;
}

// Acks of frames that never come (a widget reloaded) must not keep their entries forever.
const MAX_TRACKED = 64;

// A windowed maximum (or minimum) over timed samples, kept as a monotonic queue.
class WindowedExtreme {
  readonly #better: (a: number, b: number) => boolean;
  readonly #windowMs: number;
  #samples: Array<{ at: number; value: number }> = [];

  constructor(better: (a: number, b: number) => boolean, windowMs: number) {
    this.#better = better;
    this.#windowMs = windowMs;
  }

  add(value: number, at: number): void {
    // A sample no better than the new one can never be the extreme again; an old one has left the window.
    const kept = this.#samples.filter(
      (sample) => this.#better(sample.value, value) && sample.at >= at - this.#windowMs,
    );
    this.#samples = [...kept, { value, at }];
  }

  get value(): number | null {
    return this.#samples[0]?.value ?? null;
  }

  clear(): void {
    this.#samples = [];
  }
}

// Round trip and delivery rate of one path, from `sent` and `acked` of its frames (times in ms, one clock).
export class LinkEstimate {
  readonly #inFlight = new Map<number, InFlight>();
  readonly #windowMs: number;
  readonly #rate: WindowedExtreme;
  #minRtt: number | null = null;
  #minRttAt = 0;
  // While probing: frames sent from this time on measure the round trip without a queue.
  #probeFrom: number | null = null;
  #smoothedRtt: number | null = null;
  #lastRtt: number | null = null;
  #inFlightBytes = 0;
  #delivered = 0;
  #deliveredAt = 0;
  #firstSentAt = 0;
  // Milliseconds during which frames were in flight: the clock the samples age by.
  #active = 0;
  #lastEvent = 0;

  constructor(options: LinkEstimateOptions = {}) {
    const windowMs = options.windowMs ?? 10_000;
    if (!(windowMs > 0)) throw new TypeError(`windowMs must be a positive number, got ${windowMs}`);
    this.#windowMs = windowMs;
    this.#rate = new WindowedExtreme((a, b) => a > b, windowMs);
  }

  // A frame of `bytes` left at `at`.
  sent(seq: number, bytes: number, at: number): void {
    if (this.#inFlight.size === 0) {
      // After an idle spell the intervals start now, not at the last ack.
      this.#deliveredAt = at;
      this.#firstSentAt = at;
      this.#lastEvent = at;
    }
    this.#forget(seq);
    this.#inFlight.set(seq, {
      bytes,
      at,
      delivered: this.#delivered,
      deliveredAt: this.#deliveredAt,
      firstSentAt: this.#firstSentAt,
    });
    this.#inFlightBytes += bytes;
    if (this.#inFlight.size > MAX_TRACKED) this.#forget(this.#inFlight.keys().next().value as number);
  }

  // The widget acked frame `seq` at `at`; returns its round trip, or null for a frame not in flight (sent
  // before a reset, or acked twice).
  acked(seq: number, at: number): number | null {
    const frame = this.#inFlight.get(seq);
    if (frame === undefined) return null;
    this.#active += Math.max(0, at - this.#lastEvent);
    this.#lastEvent = Math.max(this.#lastEvent, at);
    this.#forget(seq);
    const rtt = Math.max(0, at - frame.at);
    this.#lastRtt = rtt;
    this.#smoothedRtt = this.#smoothedRtt === null ? rtt : 0.875 * this.#smoothedRtt + 0.125 * rtt;
    this.#keepRtt(rtt, frame.at, at);
    this.#delivered += frame.bytes;
    this.#deliveredAt = at;
    this.#firstSentAt = frame.at;
    const interval = Math.max(frame.at - frame.firstSentAt, at - frame.deliveredAt);
    if (interval > 0) this.#rate.add(((this.#delivered - frame.delivered) * 1000) / interval, this.#active);
    return rtt;
  }

  // The least round trip of recent frames, in ms.
  get rttMs(): number | null {
    return this.#minRtt;
  }

  // The least round trip is a window old: the pacer keeps the fewest frames in flight until it is measured again.
  get probing(): boolean {
    return this.#probeFrom !== null;
  }

  // The round trip smoothed over recent frames (RFC 6298's gain of 1/8), in ms.
  get smoothedRttMs(): number | null {
    return this.#smoothedRtt;
  }

  // The last frame's round trip, in ms.
  get lastRttMs(): number | null {
    return this.#lastRtt;
  }

  // The most bytes per second recently delivered.
  get bytesPerSecond(): number | null {
    return this.#rate.value;
  }

  // The bandwidth-delay product in bytes: what the path holds when it is full and no queue builds.
  get bdpBytes(): number | null {
    const rtt = this.#minRtt;
    const rate = this.#rate.value;
    return rtt === null || rate === null ? null : (rate * rtt) / 1000;
  }

  // Frames and bytes sent and not yet acked.
  get inFlight(): number {
    return this.#inFlight.size;
  }

  get inFlightBytes(): number {
    return this.#inFlightBytes;
  }

  // Frames in flight will not be acked (the view restarted its window, e.g. on a resize); the samples stand.
  dropInFlight(): void {
    this.#inFlight.clear();
    this.#inFlightBytes = 0;
  }

  // The path changed (a direct connection opened or closed): the old samples say nothing of the new one.
  reset(): void {
    this.dropInFlight();
    this.#minRtt = null;
    this.#probeFrom = null;
    this.#rate.clear();
    this.#smoothedRtt = null;
    this.#lastRtt = null;
  }

  #keepRtt(rtt: number, sentAt: number, at: number): void {
    if (this.#probeFrom !== null && sentAt >= this.#probeFrom) {
      this.#probeFrom = null;
      this.#minRtt = rtt;
      this.#minRttAt = this.#active;
    } else if (this.#minRtt === null || rtt <= this.#minRtt) {
      this.#minRtt = rtt;
      this.#minRttAt = this.#active;
    }
    if (this.#probeFrom === null && this.#active - this.#minRttAt > this.#windowMs) this.#probeFrom = at;
  }

  #forget(seq: number): void {
    const frame = this.#inFlight.get(seq);
    if (frame === undefined) return;
    this.#inFlight.delete(seq);
    this.#inFlightBytes -= frame.bytes;
  }
}
