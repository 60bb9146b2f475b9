// A client that runs the real sidecar (`serve --stdio`) and speaks the protocol to it: the sidecar's tests run its
// TypeScript source, the benchmarks its build.
import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { encodeMessage, Kind, MessageReader, PROTOCOL_VERSION, type Message, type Meta } from '@glstream/protocol';
import { bytes, meshSpecs, type Mesh } from './meshes.js';
import { alive } from './proc.js';
import { waitFor } from './wait.js';

const ENTRIES = {
  source: fileURLToPath(new URL('../../packages/sidecar/src/cli.ts', import.meta.url)),
  built: fileURLToPath(new URL('../../packages/sidecar/dist/cli.js', import.meta.url)),
};
// After stdin ends: how long the sidecar may take to exit, then its X server, before each is killed.
const EXIT_GRACE_MS = 5_000;
const XSERVER_GRACE_MS = 2_000;

// Which sidecar runs: its TypeScript source through tsx, or its build (dist/cli.js, what users run).
export type Entry = keyof typeof ENTRIES;

// Node's arguments that run the sidecar from `entry` with the command line `args`.
export function sidecarArgs(entry: Entry, args: string[]): string[] {
  return entry === 'source' ? ['--import', 'tsx', ENTRIES.source, ...args] : [ENTRIES.built, ...args];
}

// How to run the sidecar: which entry, what to add to this process' environment, how long to wait for a message,
// and fds of this process it inherits as its fds 3, 4...
export interface SidecarOptions {
  entry?: Entry;
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
  fds?: number[];
}

// The sidecar, its messages, and helpers to send it requests and events and wait on what it sends back.
export class SidecarClient {
  readonly process: ChildProcessWithoutNullStreams;
  // Everything received, but for frames taken by a frame listener.
  readonly messages: Message[] = [];
  stderr = '';
  // The X server the sidecar started, as its start reply named it.
  xserver: number | null = null;
  readonly #timeoutMs: number;
  #next = 1;
  #waiters = new Set<() => void>();
  #onFrame: ((frame: Message) => void) | undefined;
  readonly #closed: Promise<number | string>;

  constructor({ entry = 'source', env = {}, timeoutMs = 30_000, fds = [] }: SidecarOptions = {}) {
    this.#timeoutMs = timeoutMs;
    this.process = spawn(process.execPath, sidecarArgs(entry, ['serve', '--stdio']), {
      stdio: ['pipe', 'pipe', 'pipe', ...fds],
      env: { ...process.env, ...env },
    }) as ChildProcessWithoutNullStreams;
    const reader = new MessageReader();
    this.process.stdout.on('data', (chunk: Buffer) => {
      for (const message of reader.push(chunk)) {
        if (message.kind === Kind.FRAME && this.#onFrame !== undefined) this.#onFrame(message);
        else this.messages.push(message);
      }
      this.#wake();
    });
    this.process.stderr.on('data', (chunk: Buffer) => {
      this.stderr += chunk.toString();
    });
    this.process.on('exit', () => this.#wake());
    this.#closed = new Promise((resolve) => this.process.once('close', (code, signal) => resolve(code ?? signal!)));
  }

  // Wait until a message matches, or fail (after `timeoutMs`, or once the sidecar exits) with the sidecar's stderr.
  async waitFor(match: (message: Message) => boolean, timeoutMs = this.#timeoutMs): Promise<Message> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.messages.find(match);
      if (found !== undefined) return found;
      if (this.process.exitCode !== null || this.process.signalCode !== null)
        throw new Error(`sidecar exited (${this.process.exitCode ?? this.process.signalCode}):\n${this.stderr}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for a message; stderr:\n${this.stderr}`);
      await new Promise<void>((resolve) => {
        const wake = () => {
          clearTimeout(timer);
          this.#waiters.delete(wake);
          resolve();
        };
        const timer = setTimeout(wake, left);
        this.#waiters.add(wake);
      });
    }
  }

  // Send one message of any kind.
  send(kind: Kind, meta: Meta, payload?: Uint8Array): void {
    this.process.stdin.write(encodeMessage(kind, meta, payload));
  }

  // Send an input event, as the kernel forwards the widget's.
  event(meta: Meta): void {
    this.send(Kind.EVENT, meta);
  }

  // Greet and start with `params`; returns the start reply's result, or throws the error reply.
  async start(params: Meta = {}): Promise<Meta> {
    await this.waitFor((message) => message.kind === Kind.HELLO);
    this.send(Kind.HELLO, { protocol: PROTOCOL_VERSION, name: 'test', version: '0' });
    // Starting sets up a display and a GL context: the slowest request by far.
    const result = this.resultOf(await this.call('start', params, [], 2 * this.#timeoutMs));
    this.xserver = typeof result['xserver_pid'] === 'number' ? result['xserver_pid'] : null;
    return result;
  }

  // Send a request and wait for its reply.
  async call(
    method: string,
    params: Meta = {},
    buffers: Uint8Array[] = [],
    timeoutMs = this.#timeoutMs,
  ): Promise<Message> {
    const id = this.#next++;
    this.send(
      Kind.REQUEST,
      { id, method, params, buffers: buffers.map((buffer) => buffer.byteLength) },
      Buffer.concat(buffers),
    );
    return this.waitFor((message) => message.kind === Kind.REPLY && message.meta['id'] === id, timeoutMs);
  }

  // The result of a successful reply; a failed one throws its error, with the sidecar's stderr.
  resultOf(reply: Message): Meta {
    if (reply.meta['ok'] !== true)
      throw new Error(`request ${reply.meta['id']} failed: ${JSON.stringify(reply.meta['error'])}\n${this.stderr}`);
    return (reply.meta['result'] ?? {}) as Meta;
  }

  // Add `mesh` to `view` as `name` in `color`; returns the reply.
  addMesh(view: string, name: string, color: string, mesh: Mesh, timeoutMs = this.#timeoutMs): Promise<Message> {
    const buffers = [bytes(mesh.positions), bytes(mesh.indices)];
    const params = { view, object: `${view}:${name}`, name, kind: 'mesh', style: { color }, arrays: meshSpecs(mesh) };
    return this.call('add_object', params, buffers, timeoutMs);
  }

  // Add a scene object of `kind` to `view`: `id` names it in the sidecar, `name` in the view; `arrays` go as
  // buffers in their order. Returns the reply.
  addObject(
    view: string,
    id: string,
    name: string,
    kind: string,
    style: Meta,
    arrays: NamedArray[],
    timeoutMs = this.#timeoutMs,
  ): Promise<Message> {
    const params = { view, object: id, name, kind, style, arrays: arrays.map(arraySpec) };
    return this.call('add_object', params, arrays.map(rawBytes), timeoutMs);
  }

  // Change object `id` in place: `style` holds the keys that change, `arrays` the data that does. Returns the reply.
  updateObject(id: string, style: Meta, arrays: NamedArray[], timeoutMs = this.#timeoutMs): Promise<Message> {
    const params = { object: id, style, arrays: arrays.map(arraySpec) };
    return this.call('update_object', params, arrays.map(rawBytes), timeoutMs);
  }

  // Frames received so far for `view`.
  frames(view: string): Message[] {
    return this.messages.filter((message) => message.kind === Kind.FRAME && message.meta['view'] === view);
  }

  // Hand frames to `listener` as they arrive instead of keeping them (undefined: keep them again); a long drag
  // sends more frames than are worth holding.
  onFrame(listener: ((frame: Message) => void) | undefined): void {
    this.#onFrame = listener;
  }

  // Resolve with the exit code (or signal) once the process has exited and all it wrote has been read: 'exit' can
  // come before the last bytes on stdout, which lost the reply the sidecar wrote just before it exited.
  exited(): Promise<number | string> {
    return this.#closed;
  }

  // End stdin, as a closing kernel does: the sidecar exits and stops its X server. Either one that lingers is
  // killed, and said so on stderr, so that nothing outlives the caller.
  async stop(): Promise<void> {
    this.process.stdin.end();
    const kill = setTimeout(() => {
      console.error(`the sidecar did not exit ${EXIT_GRACE_MS} ms after its stdin ended; killing it`);
      this.process.kill('SIGKILL');
    }, EXIT_GRACE_MS);
    await this.exited();
    clearTimeout(kill);
    const pid = this.xserver;
    if (pid === null) return;
    await waitFor(() => !alive(pid), XSERVER_GRACE_MS, `X server ${pid} to exit`).catch(() => {
      console.error(`the sidecar left its X server ${pid} running; stopping it`);
      process.kill(pid, 'SIGTERM');
    });
  }

  #wake(): void {
    for (const wake of this.#waiters) wake();
  }
}

// One array of add_object or update_object: its name in the request, its values and its shape.
export interface NamedArray {
  name: string;
  data: Float32Array | Uint32Array | Uint8Array;
  shape: number[];
}

// How params.arrays describes `array`.
function arraySpec({ name, data, shape }: NamedArray): { name: string; dtype: string; shape: number[] } {
  const dtype = data instanceof Float32Array ? 'float32' : data instanceof Uint32Array ? 'uint32' : 'uint8';
  return { name, dtype, shape };
}

function rawBytes({ data }: NamedArray): Uint8Array {
  return data instanceof Uint8Array ? data : bytes(data);
}

// The error of a failed reply.
export function errorOf(reply: Message): { code: string; message: string; hint?: string } {
  assert.equal(reply.meta['ok'], false, `expected an error reply, got ${JSON.stringify(reply.meta)}`);
  return reply.meta['error'] as { code: string; message: string; hint?: string };
}
