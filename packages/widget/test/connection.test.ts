// ViewConnection against a websocket server standing in for the sidecar, which admits one connection per ticket
// and gives the next ticket in its HELLO: input and acks take the path their frame came by, the size is said again
// when a link opens and on every offer, a dropped link falls back to the comm and comes back after a backoff wait,
// and a refused attempt asks the kernel for a fresh ticket. Waits are run by hand (no timers, no sleeps).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { AddressInfo } from 'node:net';
import WebSocket, { WebSocketServer } from 'ws';
import { decodeMessage, type InputEvent, type Message } from '@glstream/protocol';
import { retryDelay, RETRY_FIRST_MS, RETRY_LIMIT, RETRY_MAX_MS, ViewConnection } from '../src/connection.js';
import type { SocketClass } from '../src/direct.js';
import { hello, until } from './stand-in.js';
import { frameOf } from './frames.js';

// The stand-in sidecar: the tickets it would admit, the keys tried, the open sockets and what they received.
const tickets = new Set<string>();
const tried: string[] = [];
const sockets: WebSocket[] = [];
const received: Message[][] = [];
let issued = 0;
const wss = new WebSocketServer({
  port: 0,
  host: '127.0.0.1',
  verifyClient: (info, done) => {
    const key = new URL(info.req.url ?? '/', 'http://127.0.0.1').searchParams.get('key') ?? '';
    tried.push(key);
    if (tickets.delete(key)) done(true);
    else done(false, 403);
  },
});
wss.on('connection', (socket) => {
  const messages: Message[] = [];
  sockets.push(socket);
  received.push(messages);
  socket.on('message', (data) => messages.push(decodeMessage(data as Buffer)));
  issued += 1;
  const next = `next-${issued}`;
  tickets.add(next);
  socket.send(hello(undefined, { key: next }));
});
let port = 0;

before(async () => {
  await new Promise((resolve) => (wss.address() === null ? wss.once('listening', resolve) : resolve(undefined)));
  port = (wss.address() as AddressInfo).port;
});

after(() => {
  for (const socket of sockets) socket.terminate();
  wss.close();
});

// A connection with recorded effects and a hand-run scheduler; `random` is the jitter's draw.
function connectionUnderTest(random = 0.5) {
  const toKernel: InputEvent[] = [];
  const transports: string[] = [];
  const waits: { ms: number; task: () => void; cancelled: boolean }[] = [];
  let asked = 0;
  const controller = new AbortController();
  const connection = new ViewConnection({
    toKernel: (event) => toKernel.push(event),
    ask: () => (asked += 1),
    receive: () => undefined,
    transport: (transport) => transports.push(transport),
    signal: controller.signal,
    page: () => ({ host: '127.0.0.1', wsBase: '' }),
    Socket: WebSocket as unknown as SocketClass,
    schedule: (task, ms) => {
      const wait = { ms, task, cancelled: false };
      waits.push(wait);
      return () => {
        wait.cancelled = true;
      };
    },
    random: () => random,
  });
  // Run the one pending wait, checking how long it was.
  const runWait = (ms: number): void => {
    const pending = waits.filter((wait) => !wait.cancelled);
    assert.equal(pending.length, 1, `one pending wait, got ${pending.length}`);
    assert.equal(pending[0]!.ms, ms);
    pending[0]!.cancelled = true;
    pending[0]!.task();
  };
  const pendingWaits = () => waits.filter((wait) => !wait.cancelled).length;
  return { connection, toKernel, transports, asked: () => asked, runWait, pendingWaits, controller };
}

const ticket = (key: string) => {
  tickets.add(key);
  return { port, key, view: 'v1' };
};
const resize: InputEvent = { type: 'resize', width: 300, height: 200, dpr: 2 };
const key = (name: string, seq: number): InputEvent => ({
  type: 'key',
  key: name,
  seq,
  t: seq,
  ctrl: false,
  shift: false,
  alt: false,
  meta: false,
});

test('the comm until the link opens, then the link; acks follow their frame; a dropped link falls back', async () => {
  const { connection, toKernel, transports, controller } = connectionUnderTest();
  connection.send(resize);
  assert.deepEqual(toKernel, [resize], 'before any link, input goes to the kernel');
  assert.equal(connection.coalescing, true);

  const first = sockets.length;
  await connection.offer(ticket('t-a'));
  assert.deepEqual(transports, ['comm', 'loopback']);
  assert.equal(connection.coalescing, false);
  await until(() => received[first]!.length === 1);
  assert.deepEqual(received[first]![0]!.meta, resize, 'the size is said again on the link');

  connection.ack(frameOf(7, 'comm'));
  connection.ack(frameOf(8, 'loopback'));
  connection.send(key('r', 1));
  await until(() => received[first]!.length === 3);
  assert.deepEqual(toKernel.slice(1), [{ type: 'ack', seq: 7 }], 'a frame that came through the kernel is acked there');
  assert.deepEqual(
    received[first]!.slice(1).map((message) => message.meta['type']),
    ['ack', 'key'],
  );

  sockets[first]!.close(4410, 'view v1 was closed');
  await until(() => transports.length === 3);
  assert.equal(transports[2], 'comm');
  connection.ack(frameOf(9, 'loopback'));
  connection.send(key('x', 2));
  assert.deepEqual(toKernel.at(-1), key('x', 2), 'input goes to the kernel again');
  assert.equal(toKernel.length, 3, 'an ack for a frame of the dropped link goes nowhere');
  controller.abort();
});

test('the comm choice never opens a link, and the offer says the size again on the comm', async () => {
  const { connection, toKernel, transports, controller } = connectionUnderTest();
  connection.choice = 'comm';
  connection.send(resize);
  const before = sockets.length;
  const triedBefore = tried.length;
  await connection.offer(ticket('t-comm'));
  assert.deepEqual(transports, ['comm']);
  assert.equal(sockets.length, before);
  assert.equal(tried.length, triedBefore, 'nothing was tried');
  assert.deepEqual(toKernel, [resize, resize]);
  await connection.offer(null);
  assert.deepEqual(toKernel, [resize, resize, resize], '"comm only" says the size again too');
  tickets.delete('t-comm');
  controller.abort();
});

test('a dropped link comes back after the backoff wait with the ticket its HELLO gave, and says the size', async () => {
  const { connection, transports, runWait, pendingWaits, asked, controller } = connectionUnderTest(0);
  connection.send(resize);
  const first = sockets.length;
  await connection.offer(ticket('t-b'));
  assert.equal(transports.at(-1), 'loopback');
  sockets[first]!.terminate();
  await until(() => transports.at(-1) === 'comm');
  assert.equal(sockets.length, first + 1, 'no reconnection before the wait');
  runWait(RETRY_FIRST_MS / 2);
  await until(() => transports.at(-1) === 'loopback');
  assert.equal(tried.at(-1), `next-${issued - 1}`, "the HELLO's ticket was used");
  await until(() => received[first + 1]!.length === 1);
  assert.deepEqual(received[first + 1]![0]!.meta, resize, 'the size is said again on the new link');
  assert.equal(asked(), 0, 'the kernel was not asked');
  assert.equal(pendingWaits(), 0);
  controller.abort();
});

test('a refused attempt asks the kernel for a fresh ticket after a longer wait; its offer connects', async () => {
  const { connection, transports, runWait, pendingWaits, asked, toKernel, controller } = connectionUnderTest(0);
  connection.send(resize);
  const first = sockets.length;
  await connection.offer(ticket('t-c'));
  // The sidecar forgets the view's tickets and hangs up, as when the kernel revokes them.
  tickets.clear();
  sockets[first]!.close(4403, 'revoked');
  await until(() => transports.at(-1) === 'comm');
  runWait(RETRY_FIRST_MS / 2);
  await until(() => pendingWaits() === 1);
  assert.equal(tried.at(-1), `next-${issued}`, "the HELLO's ticket was tried and refused");
  assert.equal(asked(), 0);
  assert.deepEqual(toKernel, [resize], 'nothing else went to the kernel');
  runWait(RETRY_FIRST_MS);
  assert.equal(asked(), 1, 'the kernel was asked for a fresh ticket');
  await connection.offer(ticket('t-fresh'));
  assert.equal(transports.at(-1), 'loopback');
  assert.equal(tried.at(-1), 't-fresh');
  // Once a link opened the wait starts short again.
  sockets.at(-1)!.terminate();
  await until(() => transports.at(-1) === 'comm');
  runWait(RETRY_FIRST_MS / 2);
  await until(() => transports.at(-1) === 'loopback');
  controller.abort();
});

test('failures in a row wait longer each time, up to the ceiling, and stop after RETRY_LIMIT', async () => {
  const { connection, runWait, pendingWaits, asked, controller } = connectionUnderTest(0);
  let expected = RETRY_FIRST_MS;
  for (let failures = 1; failures < RETRY_LIMIT; failures += 1) {
    // A ticket nobody admits: the server refuses it.
    await connection.offer({ port, key: `refused-${failures}`, view: 'v1' });
    expected = Math.min(RETRY_MAX_MS, RETRY_FIRST_MS * 2 ** failures);
    runWait(expected / 2);
    assert.equal(asked(), failures);
  }
  assert.equal(expected, RETRY_MAX_MS);
  await connection.offer({ port, key: 'refused-last', view: 'v1' });
  assert.equal(pendingWaits(), 0, 'no retry after RETRY_LIMIT failures in a row');
  assert.equal(asked(), RETRY_LIMIT - 1, 'the kernel was not asked again');
  // The kernel's next offer (a restart, a change of transport) is still tried.
  const before = tried.length;
  await connection.offer(ticket('t-after'));
  assert.equal(tried.length, before + 1);
  assert.equal(tried.at(-1), 't-after');
  controller.abort();
});

test('a removed view stops trying', async () => {
  const { connection, pendingWaits, controller } = connectionUnderTest(0);
  await connection.offer({ port, key: 'refused-once', view: 'v1' });
  assert.equal(pendingWaits(), 1);
  controller.abort();
  assert.equal(pendingWaits(), 0, 'the pending wait was cancelled with the view');
});

test('the wait doubles from 250 ms to 8 s, each between half and all of its ceiling', () => {
  assert.equal(
    retryDelay(0, () => 0),
    125,
  );
  assert.ok(Math.abs(retryDelay(0, () => 0.999_999) - 249.999_875) < 1e-9);
  assert.equal(
    retryDelay(3, () => 0),
    1000,
  );
  assert.equal(
    retryDelay(5, () => 0.5),
    6000,
  );
  assert.equal(
    retryDelay(6, () => 0),
    4000,
  );
  assert.ok(Math.abs(retryDelay(1000, () => 0.999_999) - 7999.996) < 1e-9);
});

test('an offer whose ticket another view took says the size again and asks for one of its own', async () => {
  const { connection, toKernel, asked, controller } = connectionUnderTest();
  connection.send(resize);
  await connection.offer(undefined);
  assert.equal(asked(), 1);
  assert.deepEqual(toKernel, [resize, resize]);
  controller.abort();
});
