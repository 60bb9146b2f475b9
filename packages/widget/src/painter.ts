// Frame ordering: decode every frame as it arrives, paint only frames newer than the last painted,
// and acknowledge each frame once its decode has settled, so the sidecar's flow control moves on.
import type { Frame } from './frame.js';

// A decoded frame; canvas.ts' Picture (an image or a video frame) fits.
export interface Decoded {
  readonly width: number;
  readonly height: number;
  close(): void;
}

// What a FramePainter needs from its surroundings.
export interface PainterOptions<Image extends Decoded> {
  decode(frame: Frame): Promise<Image>;
  draw(image: Image, frame: Frame, painted: number): void;
  ack(frame: Frame): void;
  warn(error: Error): void;
  signal: AbortSignal;
}

// Decodes frames concurrently and paints them in sequence order, dropping stale ones.
export class FramePainter<Image extends Decoded> {
  readonly #options: PainterOptions<Image>;
  #newest = -1;
  #painted = 0;
  // Counts renderer restarts: a frame of an earlier renderer is neither painted nor acked.
  #renderer = 0;

  constructor(options: PainterOptions<Image>) {
    this.#options = options;
  }

  // Frames painted so far.
  get painted(): number {
    return this.#painted;
  }

  // Sequence number of the last painted frame, -1 before the first.
  get newest(): number {
    return this.#newest;
  }

  // The renderer was restarted: the new one numbers frames from 1 again, so the next frame is painted whatever its
  // number, and frames of the old renderer still decoding are dropped.
  restart(): void {
    this.#renderer += 1;
    this.#newest = -1;
  }

  // Decode a frame, paint it unless a newer one was painted meanwhile, then ack it; never rejects.
  async push(frame: Frame): Promise<void> {
    const { decode, signal, warn } = this.#options;
    const { seq, mime } = frame.meta;
    const renderer = this.#renderer;
    let image: Image;
    try {
      image = await decode(frame);
    } catch (error) {
      if (signal.aborted || renderer !== this.#renderer) return;
      warn(new Error(`Could not decode frame ${seq} (${mime})`, { cause: error }));
      this.#options.ack(frame);
      return;
    }
    if (renderer !== this.#renderer) {
      image.close();
      return;
    }
    try {
      if (!signal.aborted && seq > this.#newest) this.#paint(image, frame);
    } catch (error) {
      warn(new Error(`Could not paint frame ${seq}`, { cause: error }));
    } finally {
      image.close();
    }
    if (!signal.aborted) this.#options.ack(frame);
  }

  #paint(image: Image, frame: Frame): void {
    this.#options.draw(image, frame, this.#painted + 1);
    this.#newest = frame.meta.seq;
    this.#painted += 1;
  }
}
