// The kernel's answer to a frame request of a window it renders: the shared-memory slot holding the pixels, or
// why there is no frame. Checked here, at the boundary.
import { InputError } from '../../errors.js';
import { side, text, type Params } from '../../kernel/params.js';

export type Delivery =
  | {
      seq: number;
      shm: string;
      width: number;
      height: number;
      rows: 'bottom-up' | 'top-down';
      readback_ms: number;
    }
  | { seq: number; error: string };

// A POSIX shared-memory name as Python's multiprocessing.shared_memory makes them: one path segment.
const SHM_NAME = /^[A-Za-z0-9_.-]{1,200}$/;

export function delivery(params: Params): Delivery {
  const seq = params['seq'];
  if (typeof seq !== 'number' || !Number.isInteger(seq) || seq < 1) {
    throw new InputError(`"seq" must be a positive integer, got ${String(seq)}`, { code: 'invalid_type' });
  }
  if (params['error'] !== undefined) return { seq, error: text(params, 'error') };
  const shm = text(params, 'shm').replace(/^\//, '');
  if (!SHM_NAME.test(shm)) throw new InputError(`"shm" must name a shared-memory segment, got ${JSON.stringify(shm)}`);
  const rows = params['rows'] ?? 'bottom-up';
  if (rows !== 'bottom-up' && rows !== 'top-down') {
    throw new InputError(`"rows" must be "bottom-up" or "top-down", got ${JSON.stringify(rows)}`);
  }
  const readback = params['readback_ms'];
  return {
    seq,
    shm,
    width: side(params, 'width'),
    height: side(params, 'height'),
    rows,
    readback_ms: typeof readback === 'number' && readback >= 0 ? readback : 0,
  };
}
