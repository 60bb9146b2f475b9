// Fuzzing the direct websocket: a real sidecar's view gets hundreds of connections, each with a valid ticket, each
// sending one message from a seeded generator (random bytes, text, bad frames, other kinds, events with random
// fields, messages over the size limit). A good event keeps its connection; anything else closes it (1003, or 1009
// over the size limit) with a log line, as the widget then reconnects. Afterwards the sidecar answers, the view made
// before shows its cube, and a fresh connection's drag is taken.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import WebSocket from 'ws';
import { decodeMessage, encodeHeader, encodeMessage, Kind, LIMITS } from '@glstream/protocol';
import { checkInput } from '../src/transport/input-check.js';
import { pointerInput } from '../../../test/support/input-events.js';
import { decodeRgb, redShare } from '../../../test/support/images.js';
import { cube } from '../../../test/support/meshes.js';
import { SidecarClient } from '../../../test/support/sidecar-client.js';
import { waitFor } from '../../../test/support/wait.js';

const SEED = 1213;
const CONNECTIONS = 300;
// ws closes a connection whose message is over the server's maxPayload with 1009; the server closes one that sent
// something that is not a glstream event with 1003.
const CLOSED = new Set([1003, 1009]);
const MAX_EVENT_BYTES = 64 * 1024;

// `promise`, or a failure naming `what` after 10 s.
async function within<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after 10 s waiting for ${what}`)), 10_000);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

const value = fc.oneof(
  fc.constantFrom(0, -1, 1, 2 ** 53, 1e308, -1e308, 0.5, '', 'x', null, true, [], {}),
  fc.integer(),
  fc.double({ noNaN: true }),
  fc.string({ maxLength: 8 }),
);
const eventMeta = fc.record(
  {
    type: fc.oneof(fc.constantFrom(...LIMITS.input_types), value),
    phase: fc.oneof(fc.constantFrom('down', 'move', 'up'), value),
    x: fc.oneof(fc.double({ min: -10, max: 100, noNaN: true }), value),
    y: fc.oneof(fc.double({ min: -10, max: 100, noNaN: true }), value),
    dx: value,
    dy: value,
    button: fc.oneof(fc.constantFrom(-1, 0, 2), value),
    buttons: fc.oneof(fc.constantFrom(0, 1), value),
    seq: fc.oneof(fc.nat(), value),
    t: fc.oneof(fc.double({ min: 0, max: 1e9, noNaN: true }), value),
    key: value,
    width: value,
    height: value,
    dpr: value,
    ack: value,
    ctrl: fc.oneof(fc.boolean(), value),
    shift: fc.boolean(),
    alt: fc.boolean(),
    meta: fc.boolean(),
  },
  { requiredKeys: [] },
);

const stamp = {
  seq: fc.nat(),
  t: fc.double({ min: 0, max: 1e9, noNaN: true }),
  ctrl: fc.boolean(),
  shift: fc.boolean(),
  alt: fc.boolean(),
  meta: fc.boolean(),
};
const coordinate = fc.double({ min: -1e6, max: 1e6, noNaN: true });
// Events that pass the check, with values anywhere in their ranges.
const goodEvent = fc.oneof(
  fc.record({
    type: fc.constant('pointer'),
    phase: fc.constantFrom('down', 'move', 'up'),
    x: coordinate,
    y: coordinate,
    button: fc.integer({ min: -1, max: 4 }),
    buttons: fc.nat(7),
    ...stamp,
  }),
  fc.record({ type: fc.constant('wheel'), x: coordinate, y: coordinate, dx: coordinate, dy: coordinate, ...stamp }),
  fc.record({ type: fc.constant('key'), key: fc.string({ maxLength: 8 }), ...stamp }),
  fc.record({ type: fc.constant('ack'), seq: fc.nat() }),
  fc.record({
    type: fc.constant('resize'),
    width: fc.integer({ min: 0, max: 200 }),
    height: fc.integer({ min: 0, max: 200 }),
    dpr: fc.double({ min: 0.25, max: 3, noNaN: true }),
  }),
);

// One websocket message: binary or text.
const message: fc.Arbitrary<Uint8Array | string> = fc.oneof(
  { weight: 4, arbitrary: eventMeta.map((meta) => encodeMessage(Kind.EVENT, meta)) },
  { weight: 3, arbitrary: goodEvent.map((meta) => encodeMessage(Kind.EVENT, meta)) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 200 }) },
  { weight: 1, arbitrary: fc.string({ maxLength: 100 }) },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom(Kind.HELLO, Kind.REQUEST, Kind.REPLY, Kind.FRAME, Kind.NOTICE, Kind.CAPTURE)
      .map((kind) => encodeMessage(kind, { id: 1, method: 'shutdown', view: 'd' })),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom('[1]', 'null', '{', '\u00ff').map((text) => {
      const meta = Buffer.from(text, 'latin1');
      return Buffer.concat([encodeHeader(Kind.EVENT, meta.byteLength, 0), meta]);
    }),
  },
  { weight: 1, arbitrary: fc.constant(encodeMessage(Kind.EVENT, { type: 'key', key: 'x'.repeat(70_000) })) },
);

// Whether the server should keep the connection after `sent`.
function acceptable(sent: Uint8Array | string): boolean {
  if (typeof sent === 'string' || sent.byteLength > MAX_EVENT_BYTES) return false;
  try {
    const decoded = decodeMessage(sent);
    return decoded.kind === Kind.EVENT && checkInput(decoded.meta) !== undefined;
  } catch {
    return false;
  }
}

describe('the direct websocket under malformed messages', { timeout: 180_000 }, () => {
  let client: SidecarClient;

  before(async () => {
    client = new SidecarClient({ timeoutMs: 60_000 });
    await client.start();
    client.onFrame(() => {});
    for (const view of ['keep', 'd']) {
      client.resultOf(await client.call('create_view', { view, width: 96, height: 72, background: '#000000' }));
      client.resultOf(await client.addMesh(view, 'cube', '#ff0000', cube()));
    }
  });

  after(async () => {
    await client.stop();
  });

  // A connection to `view` with a fresh ticket, open once its HELLO came; `closed` resolves with its close code.
  async function connect(
    view: string,
  ): Promise<{ socket: WebSocket; code: () => number | undefined; closed: Promise<number> }> {
    const result = client.resultOf(await client.call('direct', { view })) as { port: number; key: string };
    const socket = new WebSocket(`ws://127.0.0.1:${result.port}/view/${view}?key=${encodeURIComponent(result.key)}`);
    socket.on('error', () => undefined);
    let code: number | undefined;
    const closed = new Promise<number>((resolve) =>
      socket.on('close', (closeCode) => {
        code = closeCode;
        resolve(closeCode);
      }),
    );
    const hello = new Promise<boolean>((resolve) => socket.once('message', () => resolve(true)));
    const opened = await within(
      Promise.race([hello, closed.then(() => false)]),
      `the HELLO of a connection to ${view}`,
    );
    assert.ok(opened, `connection refused with ${code}`);
    return { socket, code: () => code, closed };
  }

  test(`${CONNECTIONS} connections each send one fuzzed message: good events kept, the rest closed`, async () => {
    const samples = fc.sample(message, { seed: SEED, numRuns: CONNECTIONS });
    const logsBefore = client.stderr.match(/closed a direct connection/g)?.length ?? 0;
    let kept = 0;
    for (const [i, sent] of samples.entries()) {
      const { socket, code, closed } = await connect('d');
      socket.send(sent, { binary: typeof sent !== 'string' });
      if (acceptable(sent)) {
        kept += 1;
        // the server reads a socket's messages before a request sent to it afterwards is answered
        client.resultOf(await client.call('get_camera', { view: 'd' }));
        assert.equal(code(), undefined, `message #${i} is a good event`);
        socket.close();
        await within(closed, `connection #${i} to close`);
      } else {
        const closeCode = await within(closed, `the server to close connection #${i}`);
        const shown = typeof sent === 'string' ? sent : Buffer.from(sent).toString('hex');
        assert.ok(CLOSED.has(closeCode), `message #${i} ${shown.slice(0, 80)} closed with ${closeCode}`);
      }
    }
    const logged = (client.stderr.match(/closed a direct connection/g)?.length ?? 0) - logsBefore;
    console.error(`fuzz-direct: ${kept} of ${CONNECTIONS} messages were good events; ${logged} connections closed`);
    assert.ok(kept > 0 && kept < CONNECTIONS);
    // ws itself closes a connection over the size limit, before the sidecar sees a message
    const refused = samples.filter(
      (sent) => !acceptable(sent) && (typeof sent === 'string' || sent.byteLength <= MAX_EVENT_BYTES),
    );
    assert.equal(logged, refused.length, 'each connection closed for what it sent is logged');
  });

  test('afterwards the sidecar answers, a view made before draws its cube, and a fresh connection drags', async () => {
    const before = client.resultOf(await client.call('get_camera', { view: 'keep' }));
    const { socket, code } = await connect('keep');
    let seq = 1;
    for (const [phase, x] of [
      ['down', 20],
      ['move', 40],
      ['up', 40],
    ] as const)
      socket.send(encodeMessage(Kind.EVENT, pointerInput(phase, x, 30, seq++, phase === 'up' ? 0 : 1)));
    const moved = await waitFor(
      async () => {
        const camera = client.resultOf(await client.call('get_camera', { view: 'keep' }));
        return JSON.stringify(camera['position']) === JSON.stringify(before['position']) ? undefined : camera;
      },
      10_000,
      'the drag to turn the camera',
    );
    assert.ok((moved['position'] as number[]).every(Number.isFinite));
    assert.equal(code(), undefined);
    socket.close();
    const reply = await client.call('snapshot', { view: 'keep' });
    client.resultOf(reply);
    const red = redShare(await decodeRgb(reply.payload));
    assert.ok(red > 1 / 20, `the cube covers part of the view (${(red * 100).toFixed(1)} % red pixels)`);
  });
});
