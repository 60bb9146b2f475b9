// The RGBA buffers of a capture's frames: a frame's buffer is the view's from grab to release (while it encodes),
// and is then reused by a later grab, so a steady stream allocates nothing.

// Released buffers kept: one being encoded and one being filled is the most a view needs.
const KEPT = 2;

export class RgbaBuffers {
  #spare: ArrayBuffer[] = [];

  // A buffer of at least `size` bytes, and the function that hands it back (only its first call counts).
  take(size: number): { buffer: ArrayBuffer; release: () => void } {
    // Buffers too small for the window as it is now are dropped.
    this.#spare = this.#spare.filter((buffer) => buffer.byteLength >= size);
    const buffer = this.#spare.pop() ?? new ArrayBuffer(size);
    let held = true;
    const release = () => {
      if (held && this.#spare.length < KEPT) this.#spare.push(buffer);
      held = false;
    };
    return { buffer, release };
  }
}
