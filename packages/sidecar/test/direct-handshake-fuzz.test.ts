// The direct websocket server under thousands of malformed connections, in process (so that its connection and
// ticket counts can be read): upgrade requests with random paths and keys, spent and other views' tickets, cut-off
// handshakes, and messages on accepted connections (text, random bytes, cut headers, other kinds, bad JSON, events
// with wrong fields, oversized). Every refusal is an HTTP 4xx with a log line, every bad message closes its
// connection with a code and a log line; meanwhile a well-behaved view keeps receiving frames and its input still
// arrives, and afterwards the server holds only that view's connection and a bounded number of tickets.
// (fuzz-direct.test.ts throws fuzzed messages at a real sidecar; this one is about the handshake and what is left.)
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import fc from 'fast-check';
import WebSocket from 'ws';
import { decodeMessage, encodeHeader, encodeMessage, type InputEvent, Kind, type Message } from '@glstream/protocol';
import { DirectServer } from '../src/transport/direct.js';
import { TICKETS_PER_VIEW } from '../src/transport/direct-tickets.js';
import { waitFor } from '../../../test/support/wait.js';

const SEED = 1214;
const HANDSHAKES = 2000;
const MESSAGES = 2000;

// Wait on `condition`, checking every millisecond (thousands of cases: the shared waitFor's 50 ms polls add up).
async function soon(condition: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}

// Log lines written by the server, counted (and kept off the test's output).
let logged = 0;
const quiet = { error: console.error, warn: console.warn };

// The views the server knows, what each was sent as input, and how to send frames to the well-behaved one.
const inputs: { view: string; event: InputEvent }[] = [];
let victimSend: ((kind: Kind, meta: object, payload?: Uint8Array) => void) | undefined;
const server = new DirectServer((view, send) => {
  if (view !== 'victim' && view !== 'target') return undefined;
  if (view === 'victim') victimSend ??= send;
  return { input: (event) => inputs.push({ view, event }), closed: () => undefined };
});
let port = 0;
let victim: WebSocket;
// This process' open TCP handles once the victim is connected: the fuzz must leave none behind.
let baselineSockets = 0;
const openSockets = () => process.getActiveResourcesInfo().filter((name) => name === 'TCPSocketWrap').length;
const victimFrames: Message[] = [];

before(async () => {
  console.error = () => (logged += 1);
  console.warn = () => (logged += 1);
  port = await server.listen();
  victim = new WebSocket(`ws://127.0.0.1:${port}/view/victim?key=${server.ticket('victim')}`);
  victim.on('message', (data) => victimFrames.push(decodeMessage(data as Buffer)));
  await waitFor(() => victimFrames.length === 1 && victimSend !== undefined, 10_000, "the victim's HELLO");
  baselineSockets = openSockets();
});

after(async () => {
  Object.assign(console, quiet);
  victim?.terminate();
  await server.close();
});

// The victim still gets a frame sent now, and its input still arrives.
async function victimStillServed(round: number): Promise<void> {
  const frames = victimFrames.length;
  victimSend!(Kind.FRAME, { seq: round }, new Uint8Array([round & 255]));
  await soon(() => victimFrames.length > frames, 'a frame to reach the victim');
  const seq = 1_000_000 + round;
  victim.send(encodeMessage(Kind.EVENT, { type: 'ack', seq }));
  await soon(
    () => inputs.some(({ view, event }) => view === 'victim' && event.type === 'ack' && event.seq === seq),
    "the victim's input to arrive",
  );
}

// Send `request` (raw bytes of an HTTP upgrade, possibly cut off) and read what the server answers until it ends.
function rawUpgrade(request: string, end: boolean): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    let answer = '';
    socket.on('data', (chunk: Buffer) => {
      answer += chunk.toString('latin1');
    });
    socket.on('error', () => undefined);
    socket.on('close', () => resolve(answer));
    socket.write(request, 'latin1');
    if (end) socket.end();
    // A cut-off request the server waits on: the client gives up, as one that went away would.
    else setTimeout(() => socket.destroy(), 5);
  });
}

const upgrade = (path: string) =>
  [
    `GET ${path} HTTP/1.1`,
    'Host: 127.0.0.1',
    'Upgrade: websocket',
    'Connection: Upgrade',
    'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
    'Sec-WebSocket-Version: 13',
    '',
    '',
  ].join('\r\n');

test(`${HANDSHAKES} malformed upgrades are refused with 4xx and a log line, never accepted`, async () => {
  const spent = server.ticket('target');
  const used = new WebSocket(`ws://127.0.0.1:${port}/view/target?key=${spent}`);
  await new Promise((resolve) => used.once('message', resolve));
  used.close();
  const key = fc.oneof(fc.string({ maxLength: 64 }), fc.constantFrom(spent, 'x'.repeat(32), ''));
  const path = fc.oneof(
    fc
      .tuple(fc.constantFrom('target', 'victim', 'ghost', '', '..', 'a'.repeat(65)), key)
      .map(([view, k]) => `/view/${view}?key=${encodeURIComponent(k)}`),
    // A live ticket, of another view.
    fc.constant('other').map(() => `/view/target?key=${server.ticket('victim')}`),
    fc.string({ maxLength: 120 }).map((text) => `/${text.replace(/[\s]/g, '')}`),
    // A target the URL parser rejects: it once threw out of the upgrade handler and ended the sidecar.
    fc.constantFrom('//:/n//G////', '//[', 'http://%', '*'),
    fc.webPath(),
  );
  let round = 0;
  await fc.assert(
    fc.asyncProperty(path, fc.option(fc.nat({ max: 200 }), { nil: undefined }), async (target, cut) => {
      round += 1;
      const request = upgrade(target);
      const logs = logged;
      const answer = await rawUpgrade(cut === undefined ? request : request.slice(0, cut), cut === undefined);
      assert.ok(!answer.startsWith('HTTP/1.1 101'), `accepted ${JSON.stringify(target)}: ${answer.slice(0, 40)}`);
      if (cut === undefined && /^HTTP\/1\.1 40[34]/.test(answer)) {
        assert.ok(logged > logs, `the refusal of ${JSON.stringify(target)} was logged`);
      } else if (cut === undefined) {
        // Not even a request line Node's HTTP parser takes: it answers 400 itself, before any of ours.
        assert.match(answer, /^(HTTP\/1\.1 400|$)/, `answer to ${JSON.stringify(target)}`);
      }
      if (round % 200 === 0) await victimStillServed(round);
    }),
    { numRuns: HANDSHAKES, seed: SEED },
  );
  await victimStillServed(round + 1);
});

// A header of any kind byte, known or not.
const header = (kind: number, metaLength: number, payloadLength: number): Uint8Array => {
  const bytes = encodeHeader(Kind.EVENT, metaLength, payloadLength);
  bytes[4] = kind;
  return bytes;
};
const withMeta = (kind: number, text: string, payload = new Uint8Array(0)): Uint8Array => {
  const meta = new TextEncoder().encode(text);
  return Uint8Array.from([...header(kind, meta.byteLength, payload.byteLength), ...meta, ...payload]);
};
const junk = fc.oneof(fc.integer(), fc.double(), fc.string({ maxLength: 8 }), fc.constant(null), fc.boolean());
const message = fc.oneof(
  fc.string({ maxLength: 200 }).map((text) => ({ text })),
  fc.uint8Array({ maxLength: 300 }).map((bytes) => ({ bytes })),
  fc
    .tuple(fc.nat({ max: 40 }))
    .map(([cut]) => ({ bytes: encodeMessage(Kind.EVENT, { type: 'ack', seq: 1 }).slice(0, cut) })),
  fc
    .constantFrom(Kind.HELLO, Kind.FRAME, Kind.NOTICE, Kind.REQUEST, Kind.REPLY, 0, 99, 255)
    .map((kind) => ({ bytes: withMeta(kind, '{"type":"ack","seq":1}') })),
  fc
    .constantFrom('{', 'NaN', '{"type":"ack","seq":NaN}', '[1]', 'null', '"x"', '\u00ff\u00fe', '{"type":')
    .map((text) => ({ bytes: withMeta(Kind.EVENT, text) })),
  fc
    .record({ type: fc.constantFrom('pointer', 'wheel', 'key', 'resize', 'ack', 'bogus'), x: junk, seq: junk })
    .map((meta) => ({ bytes: encodeMessage(Kind.EVENT, meta) })),
  fc
    .nat({ max: 200_000 })
    .map((size) => ({ bytes: encodeMessage(Kind.EVENT, { type: 'ack', seq: 1, pad: 'x'.repeat(size) }) })),
  fc
    .nat({ max: 100_000 })
    .map((size) => ({ bytes: encodeMessage(Kind.EVENT, { type: 'ack', seq: 1 }, new Uint8Array(size)) })),
);

test(`${MESSAGES} malformed messages each close their connection with a code and a log line`, async () => {
  let round = 0;
  let kept = 0;
  await fc.assert(
    fc.asyncProperty(message, async (sent) => {
      round += 1;
      const socket = new WebSocket(`ws://127.0.0.1:${port}/view/target?key=${server.ticket('target')}`);
      let code: number | undefined;
      socket.on('close', (closeCode) => (code = closeCode));
      socket.on('error', () => undefined);
      await new Promise((resolve) => socket.once('message', resolve));
      const logs = logged;
      const arrived = inputs.length;
      if ('text' in sent) socket.send(sent.text);
      else socket.send(sent.bytes, { binary: true });
      await soon(() => code !== undefined || inputs.length > arrived, 'the message to be handled');
      if (code === undefined) {
        // A good event after all (the generator can make one): it arrived and the connection stays.
        kept += 1;
        socket.close();
        await soon(() => code !== undefined, 'our close');
      } else {
        assert.ok([1003, 1007, 1009].includes(code), `closed with ${code}`);
        await soon(() => logged > logs, 'the log line');
      }
      if (round % 150 === 0) await victimStillServed(round);
    }),
    { numRuns: MESSAGES, seed: SEED },
  );
  assert.ok(kept < MESSAGES / 2, `most generated messages are bad (${kept} good events)`);
  await victimStillServed(round + 1);
});

test('afterwards only the victim is connected and the tickets are bounded', async () => {
  await waitFor(() => server.usage.connections === 1, 10_000, 'every fuzzed connection to be gone');
  const { tickets } = server.usage;
  // target and victim each hold at most their limit (unused HELLO tickets, ones the fuzz never used).
  assert.ok(tickets <= 2 * TICKETS_PER_VIEW, `${tickets} tickets outstanding`);
  assert.equal(victim.readyState, WebSocket.OPEN);
  await waitFor(() => openSockets() <= baselineSockets, 10_000, 'the TCP handles to return to the baseline');
  await victimStillServed(1 << 20);
});
