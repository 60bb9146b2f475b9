// Idle CPU of a running sidecar: start it, show a mesh until its still frame is acked, let it settle, then read
// its CPU time from /proc over 3 s.
import { Kind } from '@glstream/protocol';
import { cpuTicks } from '../test/support/proc.js';
import type { SceneArrays } from './meshes.js';
import { show, startSidecar } from './sidecar.js';

const SETTLE_MS = 1500;
const IDLE_MS = 3000;

// CPU percent (of one core) of the sidecar and of its X server while nothing changes.
export async function measureIdle(arrays: SceneArrays): Promise<{ sidecar: number; xserver: number | null }> {
  const sidecar = await startSidecar();
  const { xserver } = sidecar;
  try {
    await show(sidecar, 'v', arrays, 640, 480);
    sidecar.event({ view: 'v', type: 'resize', width: 640, height: 480, dpr: 1 });
    const still = await sidecar.waitFor((m) => m.kind === Kind.FRAME && m.meta['still'] === true);
    sidecar.event({ view: 'v', type: 'ack', seq: still.meta['seq'] });
    await sleep(SETTLE_MS);
    const before = [cpuTicks(sidecar.process.pid!), xserver === null ? 0 : cpuTicks(xserver)];
    await sleep(IDLE_MS);
    const after = [cpuTicks(sidecar.process.pid!), xserver === null ? 0 : cpuTicks(xserver)];
    // A clock tick is 10 ms.
    const percent = (i: number) => Math.round((((after[i]! - before[i]!) * 10) / IDLE_MS) * 100 * 100) / 100;
    return { sidecar: percent(0), xserver: xserver === null ? null : percent(1) };
  } finally {
    await sidecar.stop();
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
