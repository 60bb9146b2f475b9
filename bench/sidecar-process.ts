// A sidecar (`dist/cli.js serve --stdio`) driven the way the kernel drives it, for the benchmarks that need
// the whole process: greet, start, call methods, send events, watch frames, and stop it with its X server.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { encodeMessage, Kind, MessageReader, PROTOCOL_VERSION, type Message, type Meta } from '@glstream/protocol';
import { bytes, type SceneArrays } from './meshes.js';

const CLI = fileURLToPath(new URL('../packages/sidecar/dist/cli.js', import.meta.url));

// A started sidecar.
export class SidecarProcess {
  readonly child: ChildProcessWithoutNullStreams;
  readonly messages: Message[] = [];
  xserver: number | null = null;
  #stderr = '';
  #next = 1;
  #onMessage: ((message: Message) => void) | undefined;
  readonly #exited: Promise<void>;

  private constructor() {
    this.child = spawn(process.execPath, [CLI, 'serve', '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    const reader = new MessageReader();
    this.child.stdout.on('data', (chunk: Buffer) => {
      for (const message of reader.push(chunk)) {
        if (message.kind === Kind.FRAME && this.#onMessage !== undefined) this.#onMessage(message);
        else this.messages.push(message);
      }
    });
    this.child.stderr.on('data', (chunk: Buffer) => (this.#stderr += chunk.toString()));
    this.#exited = new Promise((resolve) => this.child.once('exit', () => resolve()));
  }

  // Spawn, greet and start one.
  static async start(): Promise<SidecarProcess> {
    const sidecar = new SidecarProcess();
    await sidecar.waitFor((m) => m.kind === Kind.HELLO);
    sidecar.child.stdin.write(encodeMessage(Kind.HELLO, { protocol: PROTOCOL_VERSION, name: 'bench', version: '0' }));
    const started = await sidecar.call('start', {});
    sidecar.xserver = typeof started['xserver_pid'] === 'number' ? started['xserver_pid'] : null;
    return sidecar;
  }

  // Frames go to `listener` instead of `messages` (undefined: back to `messages`).
  onFrame(listener: ((frame: Message) => void) | undefined): void {
    this.#onMessage = listener;
  }

  async waitFor(match: (m: Message) => boolean, timeoutMs = 120_000): Promise<Message> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.messages.find(match);
      if (found !== undefined) return found;
      if (this.child.exitCode !== null || Date.now() > deadline)
        throw new Error(`sidecar: no reply (exit ${this.child.exitCode}); stderr:\n${this.#stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  async call(method: string, params: Meta, buffers: Uint8Array[] = []): Promise<Meta> {
    const id = this.#next++;
    this.child.stdin.write(
      encodeMessage(
        Kind.REQUEST,
        { id, method, params, buffers: buffers.map((b) => b.byteLength) },
        Buffer.concat(buffers),
      ),
    );
    const reply = await this.waitFor((m) => m.kind === Kind.REPLY && m.meta['id'] === id);
    if (reply.meta['ok'] !== true) throw new Error(`${method} failed: ${JSON.stringify(reply.meta['error'])}`);
    return (reply.meta['result'] ?? {}) as Meta;
  }

  event(meta: Meta): void {
    this.child.stdin.write(encodeMessage(Kind.EVENT, meta));
  }

  // Create `view` at width x height showing `arrays`.
  async show(view: string, arrays: SceneArrays, width: number, height: number): Promise<void> {
    await this.call('create_view', { view, width, height, background: '#1e1e1e' });
    const { positions, indices } = arrays;
    await this.call(
      'add_mesh',
      {
        view,
        mesh: 'm',
        color: '#44aa88',
        vertices: { dtype: 'float32', shape: [positions.length / 3, 3] },
        faces: { dtype: 'uint32', shape: [indices.length / 3, 3] },
      },
      [bytes(positions), bytes(indices)],
    );
  }

  // Close stdin (the sidecar exits and stops its X server) and make sure both are gone.
  async stop(): Promise<void> {
    this.child.stdin.end();
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000);
    await this.#exited;
    clearTimeout(timer);
    const pid = this.xserver;
    if (pid === null) return;
    for (let i = 0; i < 40 && running(pid); i += 1) await new Promise((resolve) => setTimeout(resolve, 50));
    if (running(pid)) {
      console.error(`bench: the sidecar left its X server ${pid} running; stopping it`);
      process.kill(pid, 'SIGTERM');
    }
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
