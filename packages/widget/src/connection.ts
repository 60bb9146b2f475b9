// Where one view's input goes and its frames come from: the direct websocket while one is open, else the
// kernel's comm. Acks go back the way their frame came; input is coalesced unless a healthy link carries it.
import type { InputEvent, Transport } from '@glstream/protocol';
import { openDirect, type DirectLink, type SocketClass } from './direct.js';
import { endpoints, readDirect, type TransportChoice } from './endpoints.js';
import type { Frame } from './frame.js';
import { readPageConfig, serverWsUrl } from './page-config.js';

// Bytes waiting in a link's send buffer beyond which it counts as stalled.
const STALLED_BYTES = 16 * 1024;

// What a ViewConnection needs from its view.
export interface ConnectionOptions {
  toKernel(event: InputEvent): void;
  receive(frame: Frame): void;
  // The path frames take changed.
  transport(transport: Transport): void;
  signal: AbortSignal;
  // The page's host name and the Jupyter server's websocket base URL (default: this page's).
  page?: () => { host: string; wsBase: string };
  // The WebSocket class (tests pass ws').
  Socket?: SocketClass;
}

const thisPage = () => ({ host: location.hostname, wsBase: serverWsUrl(readPageConfig(), location.href) });

// Routes one view's traffic and switches paths as links open and close.
export class ViewConnection {
  readonly #options: ConnectionOptions;
  #link: DirectLink | undefined;
  #attempt: AbortController | undefined;
  #lastResize: InputEvent | undefined;

  constructor(options: ConnectionOptions) {
    this.#options = options;
  }

  // Send input on the current path.
  send(event: InputEvent): void {
    if (event.type === 'resize') this.#lastResize = event;
    if (this.#link === undefined) this.#options.toKernel(event);
    else this.#link.send(event);
  }

  // Acknowledge a frame on the path it came by (dropped if that link has closed: the sidecar starts afresh).
  ack(frame: Frame): void {
    const ack = { type: 'ack', seq: frame.meta.seq } as const;
    if (frame.via === 'comm') this.#options.toKernel(ack);
    else this.#link?.send(ack);
  }

  // Whether moves should be coalesced: through the kernel, or on a stalled link.
  get coalescing(): boolean {
    return this.#link === undefined || this.#link.backlog > STALLED_BYTES;
  }

  // Use the comm now, then try the direct endpoints `choice` allows for the `_direct` trait's value.
  async connect(direct: unknown, choice: TransportChoice): Promise<void> {
    const { signal, receive, transport, page = thisPage, Socket = WebSocket } = this.#options;
    this.#attempt?.abort();
    this.#link = undefined;
    transport('comm');
    const { host, wsBase } = page();
    const found = endpoints(readDirect(direct), choice, host, wsBase);
    if (found.length === 0 || signal.aborted) return;
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
          console.warn(`glstream: ${reason}; frames come through the kernel again`);
          this.#link = undefined;
          transport('comm');
        },
        warn: (error) => console.warn('glstream:', error),
      },
      linkSignal,
      Socket,
    );
    if (opened === undefined || linkSignal.aborted) return;
    this.#link = opened;
    transport(opened.route);
    // The size may have gone through a kernel that is busy running a cell: say it again on the fast path.
    if (this.#lastResize !== undefined) opened.send(this.#lastResize);
  }
}
