// The direct channel: widgets connect to ws://127.0.0.1:<port>/view/<id>?key=<ticket> (straight from a
// browser on this machine, or through jupyter-server-proxy), so frames and input skip the kernel.
// Each websocket message is one protocol message: EVENTs in, HELLO and FRAMEs out. A connection is accepted only
// with an unused ticket of its view (direct-tickets.ts), which it uses up; its HELLO carries the ticket for the
// next connection. The ticket is `key`, not `token`: behind jupyter-server-proxy the Jupyter server would read
// `token` as its own login token.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { decodeMessage, encodeHead, Kind, type InputEvent } from '@glstream/protocol';
import { checkInput } from './input-check.js';
import { WebSocketServer, type WebSocket } from 'ws';
import { Tickets } from './direct-tickets.js';
import { HELLO } from './hello.js';

const MAX_EVENT_BYTES = 64 * 1024;
const PATH = /^\/view\/([A-Za-z0-9_.-]{1,64})$/;
// The close code of a connection the kernel revoked (the view's transport became "comm", or it asked anew).
export const REVOKED = 4403;

// Where a connected widget's messages go and how its frames reach it.
export interface DirectPeer {
  input(event: InputEvent): void;
  closed(): void;
}

// Looks up a view for a connecting widget; undefined when there is no such view.
export type ViewDirectory = (
  view: string,
  send: (kind: Kind, meta: object, payload?: Uint8Array) => void,
  hangUp: (reason: string) => void,
) => DirectPeer | undefined;

// A loopback-only websocket server that admits one connection per ticket.
export class DirectServer {
  readonly #http: Server;
  readonly #ws = new WebSocketServer({ noServer: true, maxPayload: MAX_EVENT_BYTES, perMessageDeflate: false });
  readonly #directory: ViewDirectory;
  readonly #tickets: Tickets;
  readonly #clients = new Map<string, Set<WebSocket>>();

  // `now` is the clock tickets expire by (tests pass their own).
  constructor(directory: ViewDirectory, now?: () => number) {
    this.#directory = directory;
    this.#tickets = new Tickets(now);
    this.#http = createServer((_request, response) => {
      response.writeHead(426, { 'content-type': 'text/plain' }).end('glstream: connect with a websocket\n');
    });
    this.#http.on('upgrade', (request, socket, head) => this.#upgrade(request, socket, head));
  }

  // Listen on 127.0.0.1 on a free port; resolves with the port.
  async listen(): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.#http.once('error', (error) =>
        reject(new Error('could not open the direct websocket port on 127.0.0.1', { cause: error })),
      );
      this.#http.listen(0, '127.0.0.1', resolve);
    });
    return (this.#http.address() as AddressInfo).port;
  }

  // A fresh single-use ticket for a connection to `view`.
  ticket(view: string): string {
    return this.#tickets.issue(view);
  }

  // Forget `view`'s tickets and close its open connections: what was handed out before no longer reaches it.
  revoke(view: string): void {
    this.#tickets.revoke(view);
    for (const client of [...(this.#clients.get(view) ?? [])])
      client.close(REVOKED, 'the kernel revoked this connection');
  }

  // Open websocket connections and outstanding tickets, all views together.
  get usage(): { connections: number; tickets: number } {
    return { connections: this.#ws.clients.size, tickets: this.#tickets.outstanding };
  }

  // Close every connection and stop listening.
  async close(): Promise<void> {
    for (const client of this.#ws.clients) client.terminate();
    this.#ws.close();
    await new Promise<void>((resolve) => this.#http.close(() => resolve()));
  }

  #upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = parseTarget(request.url ?? '');
    const match = url === undefined ? null : PATH.exec(url.pathname);
    // Once the answer is written the socket is destroyed, not merely ended: a client that keeps its side open
    // would otherwise hold it, and the server's close, forever.
    const refuse = (status: string, why: string): void => {
      const path = JSON.stringify((url?.pathname ?? request.url ?? '').slice(0, 80));
      console.warn(`glstream: refused a direct websocket to ${path}: ${why}`);
      socket.once('finish', () => socket.destroy());
      socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    const key = url?.searchParams.get('key') ?? null;
    if (match === null) refuse('404 Not Found', 'not a view path');
    else if (key === null || !this.#tickets.consume(match[1]!, key)) {
      refuse('403 Forbidden', 'no unused ticket of that view (wrong, expired, used or revoked)');
    } else this.#ws.handleUpgrade(request, socket, head, (client) => this.#connected(client, match[1]!));
  }

  #connected(client: WebSocket, viewId: string): void {
    const send = (kind: Kind, meta: object, payload?: Uint8Array): void => {
      if (client.readyState !== client.OPEN) return;
      const head = encodeHead(kind, meta, payload?.byteLength ?? 0);
      client.send(payload === undefined ? head : Buffer.concat([head, payload]));
    };
    const peer = this.#directory(viewId, send, (reason) => client.close(4410, reason));
    if (peer === undefined) {
      console.warn(`glstream: closed a direct websocket to view ${viewId}: there is no such view`);
      client.close(4404, `no view ${viewId}`);
      return;
    }
    const open = this.#clients.get(viewId) ?? new Set();
    open.add(client);
    this.#clients.set(viewId, open);
    send(Kind.HELLO, { ...HELLO, key: this.#tickets.issue(viewId) });
    client.on('message', (data, isBinary) => {
      try {
        if (!isBinary) throw new TypeError('expected a binary message');
        const message = decodeMessage(data as Buffer);
        if (message.kind !== Kind.EVENT) throw new TypeError(`expected an EVENT, got message kind ${message.kind}`);
        peer.input(checkInput(message.meta));
      } catch (error) {
        console.error(
          `glstream: closed a direct connection to view ${viewId}: it sent something that is not a glstream event`,
          error,
        );
        client.close(1003, 'not a glstream event');
      }
    });
    client.on('error', (error) => console.error(`glstream: direct connection to view ${viewId} failed`, error));
    client.on('close', () => {
      open.delete(client);
      if (open.size === 0 && this.#clients.get(viewId) === open) this.#clients.delete(viewId);
      peer.closed();
    });
  }
}

// The request's target as a URL; undefined when it is none (e.g. "//:/x", which the URL parser rejects).
function parseTarget(target: string): URL | undefined {
  try {
    return new URL(target, 'http://127.0.0.1');
  } catch {
    return undefined;
  }
}
