// Read a frame from a shared-memory slot the kernel filled (a file in /dev/shm): one pread into a buffer that is
// reused while the size stays the same.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { InputError } from '../../errors.js';

const SHM_DIR = '/dev/shm';

export function readSlot(name: string, width: number, height: number, reuse: Uint8Array): Uint8Array {
  const size = width * height * 4;
  const pixels = reuse.byteLength === size ? reuse : new Uint8Array(size);
  let fd: number;
  try {
    fd = openSync(`${SHM_DIR}/${name}`, 'r');
  } catch (error) {
    throw new InputError(`shared-memory slot ${name} cannot be opened`, { code: 'not_found', cause: error });
  }
  try {
    const available = fstatSync(fd).size;
    if (available < size) {
      throw new InputError(`shared-memory slot ${name} holds ${available} bytes, not ${width}x${height} RGBA`, {
        code: 'out_of_range',
      });
    }
    for (let offset = 0; offset < size; ) {
      const read = readSync(fd, pixels, offset, size - offset, offset);
      if (read === 0) throw new InputError(`shared-memory slot ${name} ended early`, { code: 'out_of_range' });
      offset += read;
    }
  } finally {
    closeSync(fd);
  }
  return pixels;
}
