// Where one view's input goes and its frames come from: the direct websocket while one is open, else the
// kernel's comm. Acks go back the way their frame came; input is coalesced unless a healthy link carries it, and
// on the comm acks ride on input while the user drags (KernelOutbox).
// A link that drops is tried again with backoff, with the ticket its HELLO gave; an attempt that fails asks the
// kernel for a fresh ticket (a browser does not say why a websocket was refused, so every failure may be one).
import type { InputEvent, Transport } from '@glstream/protocol';
import { KernelOutbox } from './coalesce.js';
import { openDirect, type DirectLink, type SocketClass } from './direct.js';
import { endpoints, type DirectInfo, type TransportChoice } from './endpoints.js';
import type { Frame } from './frame.js';
import type { Offer } from './offers.js';
import { readPageConfig, serverWsUrl } from './page-config.js';

// Bytes waiting in a link's send buffer beyond which it counts as stalled.
const STALLED_BYTES = 16 * 1024;
// The wait before the first retry, doubled after each failure up to the last.
export const RETRY_FIRST_MS = 250;
export const RETRY_MAX_MS = 8000;
// Failed attempts in a row after which the view stays on the comm until the kernel offers again (a restart, a
// change of `transport`): where the direct path never works (a hub without jupyter-server-proxy), trying on every
// few seconds would cost a ticket and a kernel round trip each time, for nothing.
export const RETRY_LIMIT = 8;

// What a ViewConnection needs from its view.
export interface ConnectionOptions {
  // Input for the kernel's comm (acks of other frames may ride on it: WithAcks).
  toKernel(event: InputEvent): void;
  // Ask the kernel for a fresh offer (it answers with one, see offers.ts).
  ask(): void;
  receive(frame: Frame): void;
  // The path frames take changed.
  transport(transport: Transport): void;
  signal: AbortSignal;
  // The page's host name and the Jupyter server's websocket base URL (default: this page's).
  page?: () => { host: string; wsBase: string };
  // The WebSocket class (tests pass ws').
  Socket?: SocketClass;
  // Run `task` after `ms`, returning what cancels it; and a number in [0, 1) for the jitter (tests pass their own).
  schedule?: (task: () => void, ms: number) => () => void;
  random?: () => number;
}

const thisPage = () => ({ host: location.hostname, wsBase: serverWsUrl(readPageConfig(), location.href) });
const later = (task: () => void, ms: number): (() => void) => {
  const timer = setTimeout(task, ms);
  return () => clearTimeout(timer);
};

// The wait before retry number `failures` (0 for the first): doubling from RETRY_FIRST_MS up to RETRY_MAX_MS,
// each between half and all of that, so that views which dropped together do not come back together.
export function retryDelay(failures: number, random: () => number): number {
  const ceiling = Math.min(RETRY_MAX_MS, RETRY_FIRST_MS * 2 ** Math.min(failures, 16));
  return ceiling * (0.5 + 0.5 * random());
}

// Routes one view's traffic and switches paths as links open and close.
export class ViewConnection {
  readonly #options: ConnectionOptions;
  #link: DirectLink | undefined;
  #attempt: AbortController | undefined;
  #lastResize: InputEvent | undefined;
  #choice: TransportChoice = 'auto';
  // Where to connect next: the server and an unspent ticket; null when there is none.
  #direct: DirectInfo | null = null;
  // Attempts that failed since a link last opened.
  #failures = 0;
  #cancelRetry: (() => void) | undefined;
  readonly #outbox: KernelOutbox;

  constructor(options: ConnectionOptions) {
    this.#options = options;
    this.#outbox = new KernelOutbox((message) => options.toKernel(message), options.schedule ?? later);
    options.signal.addEventListener('abort', () => this.#cancelRetry?.(), { once: true });
  }

  // Send input on the current path.
  send(event: InputEvent): void {
    if (event.type === 'resize') this.#lastResize = event;
    if (this.#link === undefined) this.#outbox.event(event);
    else this.#link.send(event);
  }

  // Acknowledge a frame on the path it came by (dropped if that link has closed: the sidecar starts afresh).
  ack(frame: Frame): void {
    const ack = { type: 'ack', seq: frame.meta.seq } as const;
    if (frame.via === 'comm') this.#outbox.ack(ack, frame.meta.input_seq, frame.meta.window);
    else this.#link?.send(ack);
  }

  // Whether moves should be coalesced: through the kernel, or on a stalled link.
  get coalescing(): boolean {
    return this.#link === undefined || this.#link.backlog > STALLED_BYTES;
  }

  // The Viewer's `transport` trait; the kernel follows a change with an offer, which connects.
  set choice(choice: TransportChoice) {
    this.#choice = choice;
  }

  // The kernel's offer (undefined: it offered one, but another view of this model took the ticket). Connect afresh
  // and say the view's size again on whichever path is then in use: after a renderer restart the new view needs it.
  async offer(offer: Offer | undefined): Promise<void> {
    this.#cancelRetry?.();
    this.#cancelRetry = undefined;
    if (offer === undefined) {
      this.#resendSize();
      this.#options.ask();
      return;
    }
    this.#direct = offer;
    if (!(await this.#connect())) this.#resendSize();
  }

  #resendSize(): void {
    if (this.#lastResize !== undefined) this.send(this.#lastResize);
  }

  // Use the comm now, then try the direct endpoints the choice allows; resolves with whether a link opened.
  async #connect(): Promise<boolean> {
    const { signal, receive, transport, page = thisPage, Socket = WebSocket } = this.#options;
    this.#attempt?.abort();
    this.#link = undefined;
    transport('comm');
    const { host, wsBase } = page();
    const direct = this.#direct;
    const found = endpoints(direct, this.#choice, host, wsBase);
    if (found.length === 0 || signal.aborted) return false;
    // The ticket is spent by trying it, whatever the outcome.
    this.#direct = null;
    const attempt = new AbortController();
    this.#attempt = attempt;
    signal.addEventListener('abort', () => attempt.abort(), { once: true, signal: attempt.signal });
    const linkSignal = attempt.signal;
    const opened = await openDirect(
      found,
      {
        frame: receive,
        lost: (reason) => {
          if (this.#link !== opened) return;
          console.warn(`glstream: ${reason}; frames come through the kernel until it reconnects`);
          this.#link = undefined;
          transport('comm');
          this.#retry(() => void this.#connect());
        },
        warn: (error) => console.warn('glstream:', error),
      },
      linkSignal,
      Socket,
    );
    if (linkSignal.aborted) return false;
    if (opened === undefined) {
      this.#failures += 1;
      if (this.#failures < RETRY_LIMIT) this.#retry(() => this.#options.ask());
      else console.warn(`glstream: no direct websocket after ${this.#failures} tries; frames keep using the kernel`);
      return false;
    }
    this.#failures = 0;
    this.#link = opened;
    if (opened.next !== undefined && direct !== null) this.#direct = { ...direct, key: opened.next };
    transport(opened.route);
    // The size may have gone through a kernel that is busy running a cell: say it again on the fast path.
    if (this.#lastResize !== undefined) opened.send(this.#lastResize);
    return true;
  }

  // After the backoff wait: reconnect with the ticket in hand, or ask the kernel when there is none (or the last
  // attempt failed, `next` says which).
  #retry(next: () => void): void {
    if (this.#options.signal.aborted) return;
    const { schedule = later, random = Math.random } = this.#options;
    this.#cancelRetry?.();
    const task = this.#direct === null ? () => this.#options.ask() : next;
    this.#cancelRetry = schedule(
      () => {
        this.#cancelRetry = undefined;
        task();
      },
      retryDelay(this.#failures, random),
    );
  }
}
