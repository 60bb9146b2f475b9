// A test client that runs the real sidecar (`serve --stdio`) and speaks the protocol to it.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { encodeMessage, Kind, MessageReader, PROTOCOL_VERSION, type Message, type Meta } from '@glstream/protocol';

const CLI = fileURLToPath(new URL('../src/cli.ts', import.meta.url));

// The sidecar under test, its messages, and helpers to wait on them.
export class SidecarClient {
  readonly process: ChildProcess;
  readonly messages: Message[] = [];
  stderr = '';
  #next = 1;
  #waiters = new Set<() => void>();

  // Run the sidecar with `env` added to this process' environment.
  constructor(env: NodeJS.ProcessEnv = {}) {
    this.process = spawn(process.execPath, ['--import', 'tsx', CLI, 'serve', '--stdio'], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, ...env },
    });
    const reader = new MessageReader();
    this.process.stdout!.on('data', (chunk: Buffer) => {
      this.messages.push(...reader.push(chunk));
      for (const wake of this.#waiters) wake();
    });
    this.process.stderr!.on('data', (chunk: Buffer) => {
      this.stderr += chunk.toString();
    });
    this.process.on('exit', () => {
      for (const wake of this.#waiters) wake();
    });
  }

  // Wait until a message matches, or fail after `timeoutMs` with the sidecar's stderr.
  async waitFor(match: (message: Message) => boolean, timeoutMs = 30_000): Promise<Message> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.messages.find(match);
      if (found !== undefined) return found;
      if (this.process.exitCode !== null || this.process.signalCode !== null)
        throw new Error(`sidecar exited (${this.process.exitCode ?? this.process.signalCode}):\n${this.stderr}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for a message; stderr:\n${this.stderr}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(wake, left);
        function wake() {
          clearTimeout(timer);
          resolve();
        }
        this.#waiters.add(wake);
      }).finally(() => this.#waiters.clear());
    }
  }

  send(kind: Kind, meta: Meta, payload?: Uint8Array): void {
    this.process.stdin!.write(encodeMessage(kind, meta, payload));
  }

  // Greet and start with `params`; returns the start reply's result, or throws the error reply.
  async start(params: Meta = {}): Promise<Meta> {
    await this.waitFor((message) => message.kind === Kind.HELLO);
    this.send(Kind.HELLO, { protocol: PROTOCOL_VERSION, name: 'test', version: '0' });
    const reply = await this.call('start', params, [], 60_000);
    if (reply.meta['ok'] !== true)
      throw new Error(`start failed: ${JSON.stringify(reply.meta['error'])}\n${this.stderr}`);
    return reply.meta['result'] as Meta;
  }

  // Send a request and wait for its reply.
  async call(method: string, params: Meta = {}, buffers: Uint8Array[] = [], timeoutMs = 30_000): Promise<Message> {
    const id = this.#next++;
    this.send(
      Kind.REQUEST,
      { id, method, params, buffers: buffers.map((buffer) => buffer.byteLength) },
      Buffer.concat(buffers),
    );
    return this.waitFor((message) => message.kind === Kind.REPLY && message.meta['id'] === id, timeoutMs);
  }

  // Frames received so far for `view`.
  frames(view: string): Message[] {
    return this.messages.filter((message) => message.kind === Kind.FRAME && message.meta['view'] === view);
  }

  // Resolve with the exit code (or signal) once the process has exited.
  exited(): Promise<number | string> {
    if (this.process.exitCode !== null || this.process.signalCode !== null)
      return Promise.resolve(this.process.exitCode ?? this.process.signalCode!);
    return new Promise((resolve) => this.process.once('exit', (code, signal) => resolve(code ?? signal!)));
  }
}

// The error of a failed reply.
export function errorOf(reply: Message): { code: string; message: string; hint?: string } {
  assert.equal(reply.meta['ok'], false, `expected an error reply, got ${JSON.stringify(reply.meta)}`);
  return reply.meta['error'] as { code: string; message: string; hint?: string };
}

// A unit cube: 8 vertices, 12 triangles, as raw little-endian bytes.
export function cube(): { vertices: Uint8Array; faces: Uint8Array } {
  const vertices = new Float32Array([0, 0, 0, 1, 0, 0, 1, 1, 0, 0, 1, 0, 0, 0, 1, 1, 0, 1, 1, 1, 1, 0, 1, 1]);
  const faces = new Uint32Array([
    0, 2, 1, 0, 3, 2, 4, 5, 6, 4, 6, 7, 0, 1, 5, 0, 5, 4, 2, 3, 7, 2, 7, 6, 1, 2, 6, 1, 6, 5, 0, 4, 7, 0, 7, 3,
  ]);
  return { vertices: new Uint8Array(vertices.buffer), faces: new Uint8Array(faces.buffer) };
}

// A UV sphere of radius 1 with `rings` x `segments` quads, two triangles each.
export function sphere(rings: number, segments: number): { positions: Float32Array; indices: Uint32Array } {
  const positions: number[] = [];
  for (let r = 0; r <= rings; r += 1) {
    const theta = (Math.PI * r) / rings;
    for (let s = 0; s <= segments; s += 1) {
      const phi = (2 * Math.PI * s) / segments;
      positions.push(Math.sin(theta) * Math.cos(phi), Math.cos(theta), Math.sin(theta) * Math.sin(phi));
    }
  }
  const indices: number[] = [];
  for (let r = 0; r < rings; r += 1) {
    for (let s = 0; s < segments; s += 1) {
      const a = r * (segments + 1) + s;
      const b = a + segments + 1;
      indices.push(a, b, a + 1, b, b + 1, a + 1);
    }
  }
  return { positions: Float32Array.from(positions), indices: Uint32Array.from(indices) };
}

// Whether a process is still running (a zombie waiting for a reaper has ended; a container's init may never reap it).
export function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

// Poll a condition until it holds, failing after `timeoutMs`.
export async function until(
  condition: () => boolean | Promise<boolean>,
  timeoutMs = 10_000,
  what = 'condition',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
