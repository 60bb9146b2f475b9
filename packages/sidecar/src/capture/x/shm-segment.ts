// A shared-memory segment the X server writes images into: a /dev/shm file, unlinked at once and handed to the
// server with MIT-SHM AttachFd, read back with pread. The sidecar owns the file, so it is closed on dispose
// even when the connection is already gone.
import { closeSync, ftruncateSync, openSync, readSync, unlinkSync } from 'node:fs';
import { GlstreamError, SourceGoneError } from '../../errors.js';
import type { XConnection } from './connection.js';

const Z_PIXMAP = 2;
const ALL_PLANES = 0xffffffff;
let segments = 0;

// One attached segment of `size` bytes and the buffer its images are read into.
export class ShmSegment {
  readonly size: number;
  readonly #x: XConnection;
  readonly #id: number;
  #fd: number | null;
  readonly #buffer: Uint8Array;

  private constructor(x: XConnection, id: number, fd: number, size: number) {
    this.#x = x;
    this.#id = id;
    this.#fd = fd;
    this.size = size;
    this.#buffer = new Uint8Array(size);
  }

  // Create a segment of `size` bytes and attach it on `x`.
  static async attach(x: XConnection, size: number): Promise<ShmSegment> {
    const shm = x.ext.shm;
    if (shm === null) throw new GlstreamError('internal', `the X display ${x.name} has no usable MIT-SHM`);
    const path = `/dev/shm/glstream-x-${process.pid}-${segments++}`;
    const fd = openSync(path, 'w+', 0o600);
    try {
      unlinkSync(path);
      ftruncateSync(fd, size);
      const id = x.client.AllocID();
      await x.ask(shm, 'AttachFd', id, fd, false);
      return new ShmSegment(x, id, fd, size);
    } catch (error) {
      closeSync(fd);
      throw error;
    }
  }

  // The width x height pixels at (left, top) of `drawable`, 4 bytes each; valid until the next read.
  async read(drawable: number, left: number, top: number, width: number, height: number): Promise<Uint8Array> {
    const shm = this.#x.ext.shm!;
    const size = width * height * 4;
    await this.#x.ask(shm, 'GetImage', drawable, left, top, width, height, ALL_PLANES, Z_PIXMAP, this.#id, 0);
    if (this.#fd === null) throw new SourceGoneError('the capture was closed while it read a frame');
    readSync(this.#fd, this.#buffer, 0, size, 0);
    return this.#buffer.subarray(0, size);
  }

  // Detach it from the server (if still connected) and close the file; the memory goes with the last of both.
  free(): void {
    if (this.#fd === null) return;
    if (this.#x.ended === null) this.#x.ext.shm?.Detach(this.#id);
    closeSync(this.#fd);
    this.#fd = null;
  }
}
