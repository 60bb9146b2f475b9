// Read-back buffers of frames in flight. A frame's pixels go to a buffer of their own, so the GL queue is free
// for the next frame as soon as they are read back, and the encoder gives the buffer back once it is done.

// How many free buffers of the current size are kept: a frame being encoded and one being read back, with one
// to spare.
const KEEP = 3;

// Buffers of one size at a time: when the size changes, those of the old size are dropped.
export class PixelPool {
  #bytes = 0;
  readonly #free: Uint8Array[] = [];

  // A buffer of `bytes` bytes that no one else writes until it is given back.
  take(bytes: number): Uint8Array {
    if (bytes !== this.#bytes) {
      this.#bytes = bytes;
      this.#free.length = 0;
    }
    return this.#free.pop() ?? new Uint8Array(bytes);
  }

  // The holder is done with `buffer`; it is kept for a later take() when it is of the current size.
  give(buffer: Uint8Array): void {
    if (buffer.byteLength === this.#bytes && this.#free.length < KEEP && !this.#free.includes(buffer)) {
      this.#free.push(buffer);
    }
  }
}
