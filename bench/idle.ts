// Idle CPU of a running sidecar: start it, show a mesh, let it settle, then read its CPU time from /proc over 3 s.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { encodeMessage, Kind, MessageReader, PROTOCOL_VERSION, type Message, type Meta } from '@glstream/protocol';
import { bytes, type SceneArrays } from './meshes.js';

const CLI = fileURLToPath(new URL('../packages/sidecar/dist/cli.js', import.meta.url));
const SETTLE_MS = 1500;
const IDLE_MS = 3000;

// CPU percent (of one core) of the sidecar and of its X server while nothing changes.
export async function measureIdle(arrays: SceneArrays): Promise<{ sidecar: number; xserver: number | null }> {
  const child = spawn(process.execPath, [CLI, 'serve', '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
  const messages: Message[] = [];
  const reader = new MessageReader();
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => messages.push(...reader.push(chunk)));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let next = 1;
  const waitFor = async (match: (m: Message) => boolean, timeoutMs = 60_000): Promise<Message> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = messages.find(match);
      if (found !== undefined) return found;
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`sidecar: no reply (exit ${child.exitCode}); stderr:\n${stderr}`);
      await sleep(20);
    }
  };
  const call = async (method: string, params: Meta, buffers: Uint8Array[] = []): Promise<Meta> => {
    const id = next++;
    child.stdin.write(encodeMessage(Kind.REQUEST, { id, method, params, buffers: buffers.map((b) => b.byteLength) }, Buffer.concat(buffers)));
    const reply = await waitFor((m) => m.kind === Kind.REPLY && m.meta['id'] === id);
    if (reply.meta['ok'] !== true) throw new Error(`${method} failed: ${JSON.stringify(reply.meta['error'])}`);
    return (reply.meta['result'] ?? {}) as Meta;
  };
  let xserver: number | null = null;
  try {
    await waitFor((m) => m.kind === Kind.HELLO);
    child.stdin.write(encodeMessage(Kind.HELLO, { protocol: PROTOCOL_VERSION, name: 'bench', version: '0' }));
    const started = await call('start', {});
    xserver = typeof started['xserver_pid'] === 'number' ? started['xserver_pid'] : null;
    await call('create_view', { view: 'v', width: 640, height: 480, background: '#1e1e1e' });
    const { positions, indices } = arrays;
    await call('add_mesh', { view: 'v', mesh: 'm', color: '#44aa88', vertices: { dtype: 'float32', shape: [positions.length / 3, 3] }, faces: { dtype: 'uint32', shape: [indices.length / 3, 3] } }, [bytes(positions), bytes(indices)]);
    await sleep(SETTLE_MS);
    const before = [cpuTicks(child.pid!), xserver === null ? 0 : cpuTicks(xserver)];
    await sleep(IDLE_MS);
    const after = [cpuTicks(child.pid!), xserver === null ? 0 : cpuTicks(xserver)];
    const percent = (i: number) => Math.round((((after[i]! - before[i]!) * 10) / IDLE_MS) * 100 * 100) / 100; // a tick is 10 ms
    return { sidecar: percent(0), xserver: xserver === null ? null : percent(1) };
  } finally {
    child.stdin.end();
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
    if (xserver !== null) await reap(xserver);
  }
}

// The sidecar stops its X server on exit; make sure, so the bench leaves nothing running.
async function reap(pid: number): Promise<void> {
  for (let i = 0; i < 40 && running(pid); i += 1) await sleep(50);
  if (running(pid)) {
    console.error(`bench: the sidecar left its X server ${pid} running; stopping it`);
    process.kill(pid, 'SIGTERM');
  }
}

function running(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat[stat.lastIndexOf(')') + 2] !== 'Z';
  } catch {
    return false;
  }
}

// utime + stime of a process, in clock ticks (1/100 s on Linux).
function cpuTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
