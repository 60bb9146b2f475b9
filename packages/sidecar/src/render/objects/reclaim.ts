// Give the memory of freed objects back to the system soon. A big object's arrays are ArrayBuffers outside V8's
// heap, which V8 frees only when it next collects, and it sees little reason to while the heap itself is quiet:
// a million-triangle mesh removed from every view would keep its hundreds of MiB until then. So once objects
// are freed, one full collection is run shortly after (several frees in a row share it), through the same
// `gc` hook jest's leak detector uses.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

// Frees within this many milliseconds share one collection.
const DELAY_MS = 200;

let collect: (() => void) | undefined;
let pending: NodeJS.Timeout | undefined;

export function reclaimSoon(): void {
  if (pending !== undefined) return;
  pending = setTimeout(() => {
    pending = undefined;
    gc()();
  }, DELAY_MS);
  pending.unref();
}

function gc(): () => void {
  if (collect === undefined) {
    setFlagsFromString('--expose-gc');
    collect = runInNewContext('gc') as () => void;
  }
  return collect;
}
