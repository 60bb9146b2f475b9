// The one X connection every capture of the sidecar shares: opened on first use on the display the sidecar set
// in DISPLAY, closed when its last user lets go or when the session shuts down.

// The types of the x11 package, for every program that compiles this module (the tests' as well as the build's).
/// <reference path="./x11.d.ts" />
import type { Client, XEvent } from 'x11';
import { DisplayError, type GlstreamError } from '../../errors.js';
import { openClient, type Extensions } from './open-client.js';

// The arguments of an x11 request before its callback, and the value the callback is given.
type Arguments<F> = F extends (...args: infer P) => unknown ? (P extends [...infer A, unknown] ? A : never) : never;
type Answer<F> = F extends (...args: infer P) => unknown
  ? P extends [...unknown[], (error: never, value: infer T) => unknown]
    ? T
    : never
  : never;

// StructureNotify in the core protocol's event masks.
const STRUCTURE_NOTIFY = 0x20000;

// One open connection, its extensions, and who listens to it.
export class XConnection {
  readonly name: string;
  readonly client: Client;
  readonly ext: Extensions;
  readonly root: number;
  // 0 when the server sends pixels least significant byte first (BGRX in memory for 24-bit windows).
  readonly imageByteOrder: number;
  readonly minKeycode: number;
  readonly maxKeycode: number;
  #users = 0;
  #ended: GlstreamError | null = null;
  readonly #pending = new Set<(error: Error) => void>();
  readonly #eventListeners = new Set<(event: XEvent) => void>();
  readonly #endListeners = new Set<(error: GlstreamError) => void>();
  readonly #held = new Map<number, number>();

  constructor(name: string, opened: Awaited<ReturnType<typeof openClient>>) {
    this.name = name;
    this.client = opened.display.client;
    this.ext = opened.ext;
    this.root = opened.display.screen[0]!.root;
    this.imageByteOrder = opened.display.image_byte_order;
    this.minKeycode = opened.display.min_keycode;
    this.maxKeycode = opened.display.max_keycode;
    this.client.on('event', (event) => {
      for (const listener of this.#eventListeners) listener(event);
    });
    const lost = (cause?: unknown) =>
      this.#end(new DisplayError(`the X connection to ${name} was lost`, cause === undefined ? {} : { cause }));
    // A protocol error of a request sent without a callback is expected (a window closed while requests about it
    // were in flight) and has a numeric code; anything else is the socket failing.
    this.client.on('error', (error) => {
      if (typeof error.error !== 'number') lost(error);
    });
    this.client.on('end', () => lost());
    this.client.on('close', () => lost());
  }

  // The error the connection ended with, or null while it is open.
  get ended(): GlstreamError | null {
    return this.#ended;
  }

  // Send request `name` of `target` (the client or an extension) with `args`, and wait for its reply callback;
  // rejects with the X error, or with the connection's end if it ends first.
  ask<O, K extends keyof O>(target: O, name: K, ...args: Arguments<O[K]>): Promise<Answer<O[K]>> {
    if (this.#ended !== null) return Promise.reject(this.#ended);
    return new Promise((resolve, reject) => {
      this.#pending.add(reject);
      const reply = (error: Error | null | undefined, value: Answer<O[K]>) => {
        this.#pending.delete(reject);
        if (error) reject(error);
        else resolve(value);
        // Handled: the client must not emit it as a connection error as well.
        return true;
      };
      (target[name] as (...all: unknown[]) => void).call(target, ...args, reply);
    });
  }

  // Listen to every event; returns the function that stops listening.
  onEvent(listener: (event: XEvent) => void): () => void {
    this.#eventListeners.add(listener);
    return () => this.#eventListeners.delete(listener);
  }

  // Be told once when the connection ends (lost, or closed); returns the function that stops listening.
  onEnd(listener: (error: GlstreamError) => void): () => void {
    this.#endListeners.add(listener);
    return () => this.#endListeners.delete(listener);
  }

  // Redirect `window` off-screen and hear about its structure (destroy, unmap, configure), once for all the
  // captures of that window: the server refuses a second redirection of a window by the same client.
  holdWindow(window: number): void {
    const count = this.#held.get(window) ?? 0;
    this.#held.set(window, count + 1);
    if (count > 0) return;
    this.ext.composite.RedirectWindow(window, this.ext.composite.Redirect.Automatic);
    this.client.ChangeWindowAttributes(window, { eventMask: STRUCTURE_NOTIFY });
  }

  // Undo holdWindow() once; the last one gives the window back.
  releaseWindow(window: number): void {
    const count = this.#held.get(window) ?? 0;
    if (count > 1) return void this.#held.set(window, count - 1);
    this.#held.delete(window);
    if (count === 1 && this.#ended === null) {
      this.ext.composite.UnredirectWindow(window);
      this.client.ChangeWindowAttributes(window, { eventMask: 0 });
    }
  }

  // Count one more user; close() runs when the last one calls the returned function (only once each).
  use(): () => void {
    this.#users++;
    let done = false;
    return () => {
      if (done) return;
      done = true;
      if (--this.#users === 0) this.close();
    };
  }

  // Close now, whoever still uses it: they are told the connection ended.
  close(): void {
    if (this.#ended !== null) return;
    this.#end(new DisplayError(`the X connection to ${this.name} was closed`));
    try {
      this.client.terminate();
    } catch {
      // The socket is already gone.
    }
  }

  #end(error: GlstreamError): void {
    if (this.#ended !== null) return;
    this.#ended = error;
    for (const reject of this.#pending) reject(error);
    this.#pending.clear();
    for (const listener of this.#endListeners) listener(error);
    this.#endListeners.clear();
    this.#eventListeners.clear();
  }
}

let shared: Promise<XConnection> | null = null;

// The shared connection and the function that lets go of it; opens it on first use.
export async function useX(): Promise<{ x: XConnection; done: () => void }> {
  shared ??= open();
  const opening = shared;
  const x = await opening;
  if (x.ended === null) return { x, done: x.use() };
  if (shared === opening) shared = null;
  return useX();
}

// Close the shared connection, if open (at the session's shutdown); captures on it report they are gone.
export async function closeXConnection(): Promise<void> {
  const opening = shared;
  shared = null;
  try {
    (await opening)?.close();
  } catch {
    // It never opened: nothing to close.
  }
}

function open(): Promise<XConnection> {
  const name = process.env['DISPLAY'] ?? '';
  const opening = openClient(name).then((opened) => new XConnection(name, opened));
  // A failed attempt is not kept: the next user tries again (the display may have started since).
  opening.catch(() => {
    if (shared === opening) shared = null;
  });
  return opening;
}
