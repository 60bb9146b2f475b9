// The widget's end of the direct websocket: try each endpoint in turn, keep the first whose sidecar says
// HELLO in our protocol version, then receive frames and send input on it until it closes.
import { decodeMessage, encodeMessage, Kind, PROTOCOL_VERSION, type InputEvent } from '@glstream/protocol';
import type { Endpoint } from './endpoints.js';
import { readFrame, type Frame } from './frame.js';

const OPEN_TIMEOUT_MS = 4000;

// The browser's WebSocket, or a compatible class (tests pass ws').
export type SocketClass = new (url: string) => WebSocket;

// An open direct connection.
export interface DirectLink {
  readonly route: Endpoint['route'];
  // The ticket the sidecar's HELLO gave for the next connection (the one this link used is spent).
  readonly next: string | undefined;
  // Bytes sent but not yet handed to the network (a stalled link grows it).
  readonly backlog: number;
  send(event: InputEvent): void;
  close(): void;
}

// Where an open link delivers what it receives.
export interface LinkHandlers {
  frame(frame: Frame): void;
  // The connection ended (not by close()): frames go back to the kernel's comm.
  lost(reason: string): void;
  warn(error: Error): void;
}

// Try `endpoints` in order; resolve with the first link that opened, or undefined (with the reasons
// passed to `warn`) when none did or `signal` aborted.
export async function openDirect(
  endpoints: readonly Endpoint[],
  handlers: LinkHandlers,
  signal: AbortSignal,
  Socket: SocketClass = WebSocket,
  timeoutMs = OPEN_TIMEOUT_MS,
): Promise<DirectLink | undefined> {
  for (const endpoint of endpoints) {
    if (signal.aborted) return undefined;
    try {
      return await open(new Socket(endpoint.url), endpoint.route, handlers, signal, timeoutMs);
    } catch (error) {
      handlers.warn(new Error(`the ${endpoint.route} websocket did not open; trying the next way`, { cause: error }));
    }
  }
  return undefined;
}

// One socket: it opens once the sidecar's HELLO in our protocol version arrives (else it is closed and the
// promise rejects); from then on its FRAMEs go to `handlers`, and an unasked-for close is reported as lost.
function open(
  socket: WebSocket,
  route: Endpoint['route'],
  handlers: LinkHandlers,
  signal: AbortSignal,
  timeoutMs: number,
): Promise<DirectLink> {
  socket.binaryType = 'arraybuffer';
  return new Promise((resolve, reject) => {
    let link: DirectLink | undefined;
    let closing = false;
    const close = (): void => {
      closing = true;
      clearTimeout(timer);
      socket.close();
    };
    const fail = (error: Error): void => {
      close();
      signal.removeEventListener('abort', onAbort);
      reject(error);
    };
    const onAbort = (): void => (link === undefined ? fail(new Error('the view was removed')) : close());
    const timer = setTimeout(() => fail(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    signal.addEventListener('abort', onAbort, { once: true });
    socket.addEventListener('message', (event: MessageEvent) => {
      if (closing) return;
      try {
        const message = decodeMessage(new Uint8Array(event.data as ArrayBuffer));
        if (link === undefined) {
          if (message.kind !== Kind.HELLO) throw new Error(`expected HELLO, got message kind ${message.kind}`);
          if (message.meta['protocol'] !== PROTOCOL_VERSION)
            throw new Error(
              `the sidecar speaks protocol ${String(message.meta['protocol'])}, this widget ${PROTOCOL_VERSION}`,
            );
          clearTimeout(timer);
          const send = (input: InputEvent): void => {
            if (socket.readyState === socket.OPEN) socket.send(encodeMessage(Kind.EVENT, input));
          };
          const next = message.meta['key'];
          link = {
            route,
            next: typeof next === 'string' && next !== '' ? next : undefined,
            send,
            close,
            get backlog() {
              return socket.bufferedAmount;
            },
          };
          resolve(link);
          return;
        }
        const frame = message.kind === Kind.FRAME ? readFrame(message.meta, [message.payload], route) : undefined;
        if (frame !== undefined) handlers.frame(frame);
      } catch (error) {
        if (link === undefined) fail(new Error('the first message was not a glstream HELLO', { cause: error }));
        else handlers.warn(new Error('ignored a malformed message on the direct websocket', { cause: error }));
      }
    });
    // A refused or broken connection fires error, then close: the close says what happened.
    socket.addEventListener('error', () => undefined);
    socket.addEventListener('close', (event: CloseEvent) => {
      const reason = `closed with code ${event.code}${event.reason ? `: ${event.reason}` : ''}`;
      if (link === undefined) fail(new Error(reason));
      else if (!closing) {
        signal.removeEventListener('abort', onAbort);
        handlers.lost(`the direct websocket ${reason}`);
      }
    });
  });
}
