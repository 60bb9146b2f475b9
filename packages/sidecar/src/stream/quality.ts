// Interactive frame quality: the render-size ratio and JPEG quality follow the measured frame time
// (render + read-back + encode) and the ack round trip, against the target frame interval.

export interface QualityOptions {
  targetFps?: number;
}

// How to make the next interactive frame.
export interface Quality {
  scale: number;
  jpegQuality: number;
}

const MIN_SCALE = 0.5;
const MAX_SCALE = 1;
const START_SCALE = 0.75;
const STEP = 0.125;
const MIN_JPEG = 60;
const MAX_JPEG = 85;
const SMOOTHING = 0.3;

// Learns from each interactive frame's cost and each ack's round trip; pure, no clocks of its own.
export class QualityController {
  readonly #budgetMs: number;
  #scale = START_SCALE;
  #frameMs: number | null = null;
  #roundTripMs: number | null = null;

  constructor(options: QualityOptions = {}) {
    const fps = options.targetFps ?? 60;
    if (!(fps > 0) || !Number.isFinite(fps))
      throw new TypeError(`targetFps must be a positive number, got ${String(fps)}`);
    this.#budgetMs = 1000 / fps;
  }

  // The size ratio and JPEG quality for the next interactive frame.
  get current(): Quality {
    const load = Math.max((this.#frameMs ?? 0) / this.#budgetMs, (this.#roundTripMs ?? 0) / (2 * this.#budgetMs));
    const pressure = Math.min(1, Math.max(0, load - 0.5));
    return { scale: this.#scale, jpegQuality: Math.round(MAX_JPEG - (MAX_JPEG - MIN_JPEG) * pressure) };
  }

  // An interactive frame at the current scale took `ms` to make: shrink when over the frame interval,
  // grow when the larger size is predicted (cost ~ pixel count) to fit with 15% to spare.
  frameTook(ms: number): void {
    this.#frameMs = smooth(this.#frameMs, ms);
    const scale = this.#scale;
    if (this.#frameMs > this.#budgetMs) this.#scale = Math.max(MIN_SCALE, scale - STEP);
    else if (scale < MAX_SCALE && this.#frameMs * ((scale + STEP) / scale) ** 2 < 0.85 * this.#budgetMs)
      this.#scale = Math.min(MAX_SCALE, scale + STEP);
    if (this.#scale !== scale) this.#frameMs *= (this.#scale / scale) ** 2;
  }

  // A frame was acknowledged `ms` after it was sent.
  ackTook(ms: number): void {
    this.#roundTripMs = smooth(this.#roundTripMs, ms);
  }
}

function smooth(previous: number | null, sample: number): number {
  return previous === null ? sample : previous + SMOOTHING * (sample - previous);
}
