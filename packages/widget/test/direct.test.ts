// openDirect against small websocket servers (ws) standing in for the sidecar: the fallback from one
// endpoint to the next, the HELLO check, frames in, events out, and losing the link.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import type { AddressInfo } from 'node:net';
import WebSocket, { WebSocketServer } from 'ws';
import { decodeMessage, encodeMessage, Kind, PROTOCOL_VERSION, type Message } from '@glstream/protocol';
import { openDirect, type SocketClass } from '../src/direct.js';
import type { Frame } from '../src/frame.js';
import { hello, until } from './stand-in.js';

const Socket = WebSocket as unknown as SocketClass;
const servers: WebSocketServer[] = [];
const FRAME = {
  type: 'frame',
  view: 'v1',
  seq: 1,
  mime: 'image/png',
  width: 2,
  height: 1,
  still: true,
  input_seq: 0,
  t_input: null,
  window: 2,
  timings: { render_ms: 1, readback_ms: 1, encode_ms: 1 },
  stand_in: false,
  source: 'scene',
};

// A server that runs `greet` on each connection; resolves with its ws:// URL.
async function server(
  greet: (socket: WebSocket, received: Message[]) => void,
  received: Message[] = [],
): Promise<string> {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  servers.push(wss);
  wss.on('connection', (socket) => {
    socket.on('message', (data) => received.push(decodeMessage(data as Buffer)));
    greet(socket, received);
  });
  await new Promise((resolve) => wss.once('listening', resolve));
  return `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/view/v1`;
}

after(() => {
  for (const wss of servers) {
    for (const client of wss.clients) client.terminate();
    wss.close();
  }
});

test('a refused endpoint is passed over; the next one that says HELLO carries frames and events', async () => {
  const refusing = await server((socket) => socket.close(4404, 'no view v1'));
  const received: Message[] = [];
  const sockets: WebSocket[] = [];
  const good = await server((socket) => {
    sockets.push(socket);
    socket.send(hello());
    socket.send(encodeMessage(Kind.FRAME, FRAME, new Uint8Array([1, 2, 3])));
  }, received);
  const frames: Frame[] = [];
  const lost: string[] = [];
  const warnings: Error[] = [];
  const link = await openDirect(
    [
      { route: 'loopback', url: refusing },
      { route: 'proxy', url: good },
    ],
    {
      frame: (frame) => frames.push(frame),
      lost: (reason) => lost.push(reason),
      warn: (error) => warnings.push(error),
    },
    new AbortController().signal,
    Socket,
  );
  assert.equal(link?.route, 'proxy');
  assert.equal(link?.backlog, 0, 'nothing waits to be sent');
  assert.match(String((warnings[0]!.cause as Error).message), /4404: no view v1/);
  await until(() => frames.length === 1);
  assert.equal(frames[0]!.via, 'proxy', 'its ack goes back the same way');
  assert.deepEqual([...(frames[0]!.bytes as Uint8Array)], [1, 2, 3]);
  link!.send({ type: 'ack', seq: 1 });
  await until(() => received.length === 1);
  assert.deepEqual([received[0]!.kind, received[0]!.meta], [Kind.EVENT, { type: 'ack', seq: 1 }]);
  sockets[0]!.close(4410, 'view v1 was closed');
  await until(() => lost.length === 1);
  assert.match(lost[0]!, /4410: view v1 was closed/);
});

test('a sidecar of another protocol version, or one that never answers, gives no link', async () => {
  const other = await server((socket) => socket.send(hello(PROTOCOL_VERSION + 1)));
  const silent = await server(() => undefined);
  const warnings: Error[] = [];
  const link = await openDirect(
    [
      { route: 'loopback', url: other },
      { route: 'proxy', url: silent },
    ],
    {
      frame: () => assert.fail('no frame expected'),
      lost: () => assert.fail('nothing to lose'),
      warn: (error) => warnings.push(error),
    },
    new AbortController().signal,
    Socket,
    300,
  );
  assert.equal(link, undefined);
  assert.match(String((warnings[0]!.cause as Error).cause), new RegExp(`protocol ${PROTOCOL_VERSION + 1}`));
  assert.match(String((warnings[1]!.cause as Error).message), /no answer within 300 ms/);
});

test('closing the link on purpose is not reported as lost', async () => {
  const url = await server((socket) => socket.send(hello()));
  const lost: string[] = [];
  const controller = new AbortController();
  const link = await openDirect(
    [{ route: 'loopback', url }],
    { frame: () => undefined, lost: (reason) => lost.push(reason), warn: () => undefined },
    controller.signal,
    Socket,
  );
  assert.ok(link);
  let closed = false;
  for (const client of servers.at(-1)!.clients) {
    client.on('close', () => {
      closed = true;
    });
  }
  controller.abort();
  await until(() => closed);
  assert.deepEqual(lost, []);
});
