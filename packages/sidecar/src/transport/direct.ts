// The direct channel: widgets connect to ws://127.0.0.1:<port>/view/<id>?key=<secret> (straight from a
// browser on this machine, or through jupyter-server-proxy), so frames and input skip the kernel.
// Each websocket message is one protocol message: EVENTs in, HELLO and FRAMEs out. The secret is `key`,
// not `token`: behind jupyter-server-proxy the Jupyter server would read `token` as its own login token.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { decodeMessage, encodeHead, Kind, type InputEvent } from '@glstream/protocol';
import { checkInput } from './input-check.js';
import { WebSocketServer, type WebSocket } from 'ws';
import { HELLO } from './hello.js';

const MAX_EVENT_BYTES = 64 * 1024;
const PATH = /^\/view\/([A-Za-z0-9_.-]{1,64})$/;

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

// A loopback-only websocket server guarded by a random key.
export class DirectServer {
  readonly key = randomBytes(24).toString('base64url');
  readonly #http: Server;
  readonly #ws = new WebSocketServer({ noServer: true, maxPayload: MAX_EVENT_BYTES, perMessageDeflate: false });
  readonly #directory: ViewDirectory;

  constructor(directory: ViewDirectory) {
    this.#directory = directory;
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

  // Close every connection and stop listening.
  async close(): Promise<void> {
    for (const client of this.#ws.clients) client.terminate();
    this.#ws.close();
    await new Promise<void>((resolve) => this.#http.close(() => resolve()));
  }

  #upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const match = PATH.exec(url.pathname);
    // Once the answer is written the socket is destroyed, not merely ended: a client that keeps its side open
    // would otherwise hold it, and the server's close, forever.
    const refuse = (status: string): void => {
      socket.once('finish', () => socket.destroy());
      socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    if (!this.#accepts(url.searchParams.get('key'))) refuse('403 Forbidden');
    else if (match === null) refuse('404 Not Found');
    else this.#ws.handleUpgrade(request, socket, head, (client) => this.#connected(client, match[1]!));
  }

  #accepts(key: string | null): boolean {
    if (key === null) return false;
    const given = Buffer.from(key);
    const expected = Buffer.from(this.key);
    return given.byteLength === expected.byteLength && timingSafeEqual(given, expected);
  }

  #connected(client: WebSocket, viewId: string): void {
    const send = (kind: Kind, meta: object, payload?: Uint8Array): void => {
      if (client.readyState !== client.OPEN) return;
      const head = encodeHead(kind, meta, payload?.byteLength ?? 0);
      client.send(payload === undefined ? head : Buffer.concat([head, payload]));
    };
    send(Kind.HELLO, HELLO);
    const peer = this.#directory(viewId, send, (reason) => client.close(4410, reason));
    if (peer === undefined) {
      client.close(4404, `no view ${viewId}`);
      return;
    }
    client.on('message', (data, isBinary) => {
      try {
        if (!isBinary) throw new TypeError('expected a binary message');
        const message = decodeMessage(data as Buffer);
        if (message.kind === Kind.EVENT) peer.input(checkInput(message.meta));
      } catch (error) {
        console.error(
          `glstream: closed a direct connection to view ${viewId}: it sent something that is not a glstream event`,
          error,
        );
        client.close(1003, 'not a glstream event');
      }
    });
    client.on('error', (error) => console.error(`glstream: direct connection to view ${viewId} failed`, error));
    client.on('close', () => peer.closed());
  }
}
