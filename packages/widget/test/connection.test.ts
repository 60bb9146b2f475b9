// ViewConnection against a websocket server standing in for the sidecar: input and acks take the path
// their frame came by, the size is said again when the link opens, and a dropped link falls back to the comm.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import type { AddressInfo } from 'node:net';
import WebSocket, { WebSocketServer } from 'ws';
import { decodeMessage, type InputEvent, type Message } from '@glstream/protocol';
import { ViewConnection } from '../src/connection.js';
import type { SocketClass } from '../src/direct.js';
import { hello, until } from './stand-in.js';
import { frameOf } from './frames.js';

const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
const sockets: WebSocket[] = [];
const received: Message[] = [];
wss.on('connection', (socket) => {
  sockets.push(socket);
  socket.on('message', (data) => received.push(decodeMessage(data as Buffer)));
  socket.send(hello());
});

after(() => {
  for (const socket of sockets) socket.terminate();
  wss.close();
});

test('the comm until the link opens, then the link; acks follow their frame; a dropped link falls back', async () => {
  await new Promise((resolve) => (wss.address() === null ? wss.once('listening', resolve) : resolve(undefined)));
  const port = (wss.address() as AddressInfo).port;
  const toKernel: InputEvent[] = [];
  const transports: string[] = [];
  const connection = new ViewConnection({
    toKernel: (event) => toKernel.push(event),
    receive: () => undefined,
    transport: (transport) => transports.push(transport),
    signal: new AbortController().signal,
    page: () => ({ host: '127.0.0.1', wsBase: '' }),
    Socket: WebSocket as unknown as SocketClass,
  });
  const resize: InputEvent = { type: 'resize', width: 300, height: 200, dpr: 2 };
  connection.send(resize);
  assert.deepEqual(toKernel, [resize], 'before any link, input goes to the kernel');
  assert.equal(connection.coalescing, true);

  await connection.connect({ port, key: 'k', view: 'v1' }, 'auto');
  assert.deepEqual(transports, ['comm', 'loopback']);
  assert.equal(connection.coalescing, false);
  await until(() => received.length === 1);
  assert.deepEqual(received[0]!.meta, resize, 'the size is said again on the link');

  connection.ack(frameOf(7, 'comm'));
  connection.ack(frameOf(8, 'loopback'));
  connection.send({ type: 'key', key: 'r', seq: 1, t: 1, ctrl: false, shift: false, alt: false, meta: false });
  await until(() => received.length === 3);
  assert.deepEqual(toKernel.slice(1), [{ type: 'ack', seq: 7 }], 'a frame that came through the kernel is acked there');
  assert.deepEqual(
    received.slice(1).map((message) => message.meta['type']),
    ['ack', 'key'],
  );

  sockets[0]!.close(4410, 'view v1 was closed');
  await until(() => transports.length === 3);
  assert.equal(transports[2], 'comm');
  connection.ack(frameOf(9, 'loopback'));
  connection.send({ type: 'key', key: 'x', seq: 2, t: 2, ctrl: false, shift: false, alt: false, meta: false });
  assert.deepEqual(
    toKernel.at(-1),
    { type: 'key', key: 'x', seq: 2, t: 2, ctrl: false, shift: false, alt: false, meta: false },
    'input goes to the kernel again',
  );
  assert.equal(toKernel.length, 3, 'an ack for a frame of the dropped link goes nowhere');
});

test('the comm choice never opens a link', async () => {
  const transports: string[] = [];
  const connection = new ViewConnection({
    toKernel: () => undefined,
    receive: () => undefined,
    transport: (t) => transports.push(t),
    signal: new AbortController().signal,
    page: () => ({ host: '127.0.0.1', wsBase: 'ws://127.0.0.1:1/' }),
    Socket: WebSocket as unknown as SocketClass,
  });
  const before = sockets.length;
  await connection.connect({ port: (wss.address() as AddressInfo).port, key: 'k', view: 'v1' }, 'comm');
  assert.deepEqual(transports, ['comm']);
  assert.equal(sockets.length, before);
});
