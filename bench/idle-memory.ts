// Resident memory of an idle sidecar with one small view, and of its X server: a real sidecar (`dist/cli.js serve
// --stdio`, its own Xvfb, the malloc setting the Python package starts it with) shows a cube in a 320x240 view
// until its still is acked, then the figures are read from /proc once it is idle and its RSS has stopped moving.
// PSS shares the pages of libraries both map (Mesa and LLVM are in both) between them. Alone:
// `node --import tsx bench/idle-memory.ts` (prints figures and JSON; GLSTREAM_SCREEN=WxHxD sizes the X screen).
import { readFileSync } from 'node:fs';
import { Kind } from '@glstream/protocol';
import { cube } from '../test/support/meshes.js';
import { waitFor } from '../test/support/wait.js';
import { SidecarClient } from '../test/support/sidecar-client.js';

// RSS is "at rest" once two readings this far apart differ by less than STABLE_KB, and IDLE_MS after the still
// was acked: the sidecar gives memory back once it has been idle for 12 s (kernel/idle-trim.ts).
const IDLE_MS = 14_000;
const STEADY_MS = 1_000;
const STABLE_KB = 512;
const SETTLE_TIMEOUT_MS = 30_000;

// RENDERER_MALLOC of python-shim/glstream/_sidecar.py.
const RENDERER_MALLOC = { MALLOC_MMAP_THRESHOLD_: String(1 << 16) };

// One process' resident memory in MB: all of it, its anonymous, file-backed and shared parts, and its PSS.
export interface Resident {
  rss_mb: number;
  pss_mb: number;
  anon_mb: number;
  file_mb: number;
  shmem_mb: number;
  threads: number;
}

export interface IdleMemory {
  sidecar: Resident;
  xserver: Resident | null;
  screen: string | null;
}

// Start a sidecar, show a small view, wait until it is idle, and read its resident memory and its X server's.
export async function measureIdleMemory(): Promise<IdleMemory> {
  const sidecar = new SidecarClient({ entry: 'built', env: RENDERER_MALLOC, timeoutMs: 60_000 });
  try {
    await sidecar.start();
    const pid = sidecar.process.pid!;
    sidecar.resultOf(await sidecar.call('create_view', { view: 'v', width: 320, height: 240, background: '#1e1e1e' }));
    sidecar.resultOf(await sidecar.addMesh('v', 'cube', '#44aa88', cube()));
    sidecar.event({ view: 'v', type: 'resize', width: 320, height: 240, dpr: 1 });
    const still = await sidecar.waitFor((m) => m.kind === Kind.FRAME && m.meta['still'] === true);
    sidecar.event({ view: 'v', type: 'ack', seq: still.meta['seq'] });
    const acked = performance.now();
    let last = -Infinity;
    await waitFor(
      async () => {
        const now = resident(pid).rss_mb * 1024;
        const steady = Math.abs(now - last) < STABLE_KB && performance.now() - acked > IDLE_MS;
        last = now;
        if (!steady) await new Promise((resolve) => setTimeout(resolve, STEADY_MS));
        return steady;
      },
      SETTLE_TIMEOUT_MS,
      'the sidecar RSS to settle',
    );
    const xserver = sidecar.xserver;
    return {
      sidecar: resident(pid),
      xserver: xserver === null ? null : resident(xserver),
      screen: xserver === null ? null : screenOf(xserver),
    };
  } finally {
    await sidecar.stop();
  }
}

// /proc/<pid>/status' resident figures, in MB.
export function resident(pid: number): Resident {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? Number.NaN);
  const mb = (key: string) => Math.round((kb(key) / 1024) * 10) / 10;
  const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
  const pss = Number(/^Pss:\s+(\d+)/m.exec(rollup)?.[1] ?? Number.NaN);
  return {
    rss_mb: mb('VmRSS'),
    pss_mb: Math.round((pss / 1024) * 10) / 10,
    anon_mb: mb('RssAnon'),
    file_mb: mb('RssFile'),
    shmem_mb: mb('RssShmem'),
    threads: kb('Threads'),
  };
}

// The -screen argument of the X server's command line.
function screenOf(pid: number): string | null {
  const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
  const at = args.indexOf('-screen');
  return at === -1 ? null : (args[at + 2] ?? null);
}

function line(name: string, r: Resident): string {
  const parts = `anon ${r.anon_mb}, file ${r.file_mb}, shmem ${r.shmem_mb}`;
  return `${name.padEnd(9)} ${r.rss_mb} MB RSS (${parts}), ${r.pss_mb} MB PSS, ${r.threads} threads`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await measureIdleMemory();
  console.log(line('sidecar', result.sidecar));
  if (result.xserver !== null) console.log(line(`X server`, result.xserver), `screen ${result.screen}`);
  console.log(JSON.stringify(result));
}
