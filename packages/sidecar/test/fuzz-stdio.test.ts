// Fuzzing the stdio boundary: a real sidecar (`serve --stdio`, Xvfb, headless-gl) gets thousands of malformed
// messages from a seeded generator. A well-framed request always gets a reply: ok, or an error with a code that is
// not "internal" (internal means a param reached code that did not check it). A bad input event is dropped with a log
// line. Bytes that are not a message are dropped with a log line and the next message is read (see MessageReader).
// Afterwards the sidecar answers, the view made before the storm still renders its cube, and its RSS did not grow
// with the number of messages.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { encodeHeader, encodeMessage, HEADER_SIZE, Kind, LIMITS, type Message } from '@glstream/protocol';
import { HANDLERS } from '../src/kernel/handlers/index.js';
import { checkInput } from '../src/transport/input-check.js';
import { decodeRgb, redShare } from '../../../test/support/images.js';
import { cube } from '../../../test/support/meshes.js';
import { SidecarClient } from '../../../test/support/sidecar-client.js';

const SEED = 1212;
// Requests and events per round; three rounds, the first warms up (see the RSS test).
const REQUESTS = 700;
const EVENTS = 700;
const ROUNDS = 3;
// Largest random payload: a round carries about REQUESTS * PAYLOAD_MAX / 2 bytes (22 MB), so a sidecar that
// kept each request's bytes would grow by far more than RSS_GROWTH_MB over the two measured rounds.
const PAYLOAD_MAX = 64 * 1024;
const RSS_GROWTH_MB = 24;
const INF = '"__infinity__"';
const FIRST_ID = 1_000_000;

// JSON cannot carry Infinity, but a peer can write 1e999, which JSON.parse reads as Infinity.
function withInfinity(meta: object): Uint8Array {
  return new TextEncoder().encode(
    JSON.stringify(meta).replaceAll(INF, '1e999').replaceAll('"__-infinity__"', '-1e999'),
  );
}

function frame(kind: number, metaBytes: Uint8Array, payload = new Uint8Array(0)): Uint8Array {
  return Buffer.concat([encodeHeader(kind as Kind, metaBytes.byteLength, payload.byteLength), metaBytes, payload]);
}

// Values that break a handler that trusts its params.
const nasty = fc.oneof(
  fc.constantFrom(
    0,
    -1,
    1,
    16,
    8193,
    2 ** 31,
    2 ** 53,
    1e308,
    -1e308,
    0.5,
    -0.0,
    '',
    'f',
    'gone',
    'f:a',
    '#ff0000',
    '#zzz',
    null,
    true,
    false,
    [],
    {},
    [0, 0],
    [1, 2, 3],
    ['f', 'f'],
    ['f', 'g'],
    INF.slice(1, -1),
    '__-infinity__',
  ),
  fc.integer(),
  fc.double({ noNaN: true }),
  fc.string({ maxLength: 12 }),
  fc.array(fc.oneof(fc.integer(), fc.double({ noNaN: true }), fc.string({ maxLength: 4 })), { maxLength: 4 }),
);

const PARAM_KEYS = [
  'view',
  'views',
  'object',
  'name',
  'kind',
  'style',
  'arrays',
  'width',
  'height',
  'background',
  'target_fps',
  'still',
  'x',
  'y',
  'position',
  'target',
  'up',
  'fov',
  'title',
  'window',
  'pid',
  'since',
  'reason',
  'seq',
];

const arraySpec = fc.record(
  {
    name: fc.constantFrom('vertices', 'faces', 'points', 'segments', 'scalars', 'volume', 'colors', 'x'),
    dtype: fc.constantFrom('float32', 'uint32', 'uint8', 'int64', 'float64', '<f4', 'object', ''),
    shape: fc.oneof(
      fc.array(fc.integer({ min: -2, max: 40 }), { maxLength: 4 }),
      fc.constantFrom([8193, 8193, 8193], [2 ** 31, 3], [0, 3], [1e308], ['3', 3]),
    ),
  },
  { requiredKeys: [] },
);

// The scratch views the storm may change or close; the kept view "keep" only gets input events.
const viewName = fc.constantFrom('f', 'g', 'gone', '', 'keep-not');

const params = fc.oneof(
  { weight: 6, arbitrary: fc.dictionary(fc.constantFrom(...PARAM_KEYS), nasty, { maxKeys: 8 }) },
  {
    weight: 6,
    arbitrary: fc.record(
      {
        view: viewName,
        object: fc.constantFrom('f:a', 'f:b', 'o', ''),
        name: fc.constantFrom('a', 'b', ''),
        kind: fc.constantFrom('mesh', 'points', 'lines', 'slices', 'teapot', ''),
        style: fc.oneof(fc.dictionary(fc.string({ maxLength: 10 }), nasty, { maxKeys: 4 }), nasty),
        arrays: fc.oneof(fc.array(arraySpec, { maxLength: 3 }), nasty),
        width: fc.constantFrom(0, -1, 1, 16, 64, 8193, 1e9, 1.5, '64', null, INF.slice(1, -1)),
        height: fc.constantFrom(0, -1, 1, 16, 48, 8193, 1e9, 1.5, '48', null),
        background: fc.constantFrom('#000000', '#zzz', '', 5),
        x: nasty,
        y: nasty,
        position: nasty,
        up: nasty,
        fov: nasty,
      },
      { requiredKeys: [] },
    ),
  },
  { weight: 1, arbitrary: fc.oneof(fc.array(nasty, { maxLength: 3 }), fc.constantFrom(null, 3, 'p', true)) },
);

// Handlers' names, unknown ones and names that are not strings; never "shutdown", which ends the sidecar.
const method = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom(...HANDLERS.keys()) },
  { weight: 1, arbitrary: fc.string({ maxLength: 16 }).filter((name) => name !== 'shutdown' && !HANDLERS.has(name)) },
  { weight: 1, arbitrary: fc.constantFrom(null, 7, ['start'], { method: 'start' }, '__proto__', 'constructor') },
);

const request = fc.record({
  method,
  params,
  // the buffer lengths listed: matching the payload, not matching it, or not a list of lengths
  lengths: fc.oneof(
    { weight: 6, arbitrary: fc.constant('match' as const) },
    {
      weight: 1,
      arbitrary: fc.array(fc.oneof(fc.integer({ min: -5, max: PAYLOAD_MAX * 2 }), nasty), { maxLength: 4 }),
    },
    { weight: 1, arbitrary: nasty },
  ),
  payloadBytes: fc.integer({ min: 0, max: PAYLOAD_MAX }),
  cut: fc.integer({ min: 0, max: 3 }),
});

// Events that pass checkInput with extreme numbers: they reach the camera's math.
const extreme = fc.constantFrom(0, -0.0, 1e-300, 1e308, -1e308, 2 ** 53, -(2 ** 31), 0.5, 5000);
const wellFormed = fc.oneof(
  fc.record({
    view: fc.constant('keep'),
    type: fc.constant('pointer'),
    phase: fc.constantFrom('down', 'move', 'move', 'up'),
    x: extreme,
    y: extreme,
    button: fc.constantFrom(-1, 0, 1, 2, 2 ** 31),
    buttons: fc.constantFrom(0, 1, 2, 4, 7, 2 ** 31),
    seq: fc.nat(),
    t: extreme,
    ctrl: fc.boolean(),
    shift: fc.boolean(),
    alt: fc.boolean(),
    meta: fc.boolean(),
  }),
  fc.record({
    view: fc.constant('keep'),
    type: fc.constant('wheel'),
    x: extreme,
    y: extreme,
    dx: extreme,
    dy: extreme,
    seq: fc.nat(),
    t: extreme,
    ctrl: fc.boolean(),
    shift: fc.boolean(),
    alt: fc.boolean(),
    meta: fc.boolean(),
  }),
  fc.record({ view: fc.constant('keep'), type: fc.constant('ack'), seq: fc.oneof(fc.nat(), fc.constant(2 ** 53)) }),
);

const event = fc.oneof(
  wellFormed,
  fc.record(
    {
      view: fc.constantFrom('keep', 'keep', 'keep', 'f', 'gone', 3, null),
      type: fc.oneof(fc.constantFrom(...LIMITS.input_types), nasty),
      phase: fc.oneof(fc.constantFrom('down', 'move', 'up'), nasty),
      x: nasty,
      y: nasty,
      dx: nasty,
      dy: nasty,
      button: nasty,
      buttons: nasty,
      seq: nasty,
      t: nasty,
      key: nasty,
      width: nasty,
      height: nasty,
      dpr: nasty,
      ctrl: fc.oneof(fc.boolean(), nasty),
      shift: fc.boolean(),
      alt: fc.boolean(),
      meta: fc.boolean(),
    },
    { requiredKeys: [] },
  ),
);

// Bytes that are not a message: each must be dropped, and the message after it read.
const junk: fc.Arbitrary<Uint8Array> = fc.oneof(
  fc.uint8Array({ minLength: 1, maxLength: 300 }).filter((bytes) => !Buffer.from(bytes).includes('GLST')),
  fc.integer({ min: 1, max: HEADER_SIZE - 1 }).map((n) => encodeMessage(Kind.REQUEST, { id: 0 }).subarray(0, n)),
  fc.tuple(fc.constantFrom(4, 5, 6, 7), fc.integer({ min: 1, max: 255 })).map(([offset, value]) => {
    const bytes = encodeMessage(Kind.REQUEST, { id: 0, method: 'get_camera', params: { view: 'keep' } });
    bytes[offset] = offset === 4 && value <= 7 ? 0 : value;
    return bytes;
  }),
  fc.constantFrom((1 << 20) + 1, 1 << 21, 2 ** 32 - 1).map((length) => {
    const bytes = encodeMessage(Kind.REQUEST, { id: 0 });
    new DataView(bytes.buffer).setUint32(8, length, true);
    return bytes;
  }),
  fc.constantFrom(2 ** 30 + 1, 2 ** 32 - 1).map((length) => {
    const bytes = encodeMessage(Kind.REQUEST, { id: 0 });
    new DataView(bytes.buffer).setUint32(12, length, true);
    return bytes;
  }),
);

// Well-framed messages whose metadata is not a JSON object, or of kinds the kernel does not send (a HELLO after the
// handshake among them, with any protocol number).
const badMeta: fc.Arbitrary<Uint8Array> = fc.oneof(
  fc.constantFrom(Uint8Array.of(0xff, 0xfe, 0x7b), Uint8Array.of(0xc3, 0x28)).map((meta) => frame(Kind.REQUEST, meta)),
  fc.string({ maxLength: 30 }).map((text) => frame(Kind.REQUEST, new TextEncoder().encode(`{"id":${text}`))),
  fc
    .constantFrom('[1]', 'null', '3', '"s"', 'true', '', ' ')
    .map((text) => frame(Kind.EVENT, new TextEncoder().encode(text))),
  fc
    .tuple(
      fc.constantFrom(Kind.HELLO, Kind.REPLY, Kind.FRAME, Kind.NOTICE, Kind.CAPTURE),
      fc.dictionary(fc.string(), nasty),
    )
    .map(([kind, meta]) => frame(kind, withInfinity(meta), Uint8Array.of(1, 2, 3))),
);

const requests = fc.sample(request, { seed: SEED, numRuns: REQUESTS * ROUNDS });
const events = fc.sample(event, { seed: SEED + 1, numRuns: EVENTS * ROUNDS });
type RequestSample = (typeof requests)[number];

function rss(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmRSS:\s+(\d+) kB/m);
  assert.ok(line, 'VmRSS in /proc/<pid>/status');
  return Number(line[1]) / 1024;
}

function count(text: string, pattern: RegExp): number {
  return text.match(pattern)?.length ?? 0;
}

describe('the sidecar over stdio under a storm of malformed messages', { timeout: 240_000 }, () => {
  let client: SidecarClient;
  let nextId = FIRST_ID;
  const rssAfterRound: number[] = [];

  before(async () => {
    client = new SidecarClient({ timeoutMs: 60_000 });
    await client.start();
    // frames of the kept view, which input events move, are not kept
    client.onFrame(() => {});
    client.resultOf(await client.call('create_view', { view: 'keep', width: 96, height: 72, background: '#000000' }));
    client.resultOf(await client.addMesh('keep', 'cube', '#ff0000', cube()));
    client.resultOf(await client.call('create_view', { view: 'f', width: 32, height: 32, background: '#000000' }));
  });

  after(async () => {
    await client.stop();
  });

  // Send a request's raw meta and payload; returns its id.
  function sendRequest(sample: RequestSample): number {
    const id = nextId++;
    const payload = new Uint8Array(sample.payloadBytes).fill(0x3f);
    const buffers =
      sample.lengths === 'match'
        ? [sample.payloadBytes - (sample.payloadBytes >> sample.cut), sample.payloadBytes >> sample.cut]
        : sample.lengths;
    const meta = withInfinity({ id, method: sample.method, params: sample.params, buffers });
    client.process.stdin.write(frame(Kind.REQUEST, meta, payload));
    return id;
  }

  const storm = `${REQUESTS * ROUNDS} malformed requests each get a reply with a code, bad events are logged`;
  test(storm, async () => {
    const codes = new Map<string, number>();
    let dropLogs = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const expectedDrops = events.slice(round * EVENTS, (round + 1) * EVENTS).filter((sample) => {
        if (sample.view !== 'keep') return false;
        try {
          checkInput(sample);
          return false;
        } catch {
          return true;
        }
      }).length;
      const logsBefore = count(client.stderr, /dropped an input event/g);
      for (let batch = 0; batch < REQUESTS; batch += 50) {
        const ids: number[] = [];
        for (let i = batch; i < batch + 50; i++) {
          ids.push(sendRequest(requests[round * REQUESTS + i]!));
          const sample = events[round * EVENTS + i]!;
          client.process.stdin.write(frame(Kind.EVENT, withInfinity(sample)));
        }
        for (const id of ids) {
          const reply = await client.waitFor((message) => message.kind === Kind.REPLY && message.meta['id'] === id);
          if (reply.meta['ok'] === true) {
            codes.set('ok', (codes.get('ok') ?? 0) + 1);
            continue;
          }
          const error = reply.meta['error'] as { code: string; message: string };
          const sent = requests[id - FIRST_ID]!;
          assert.ok(
            LIMITS.error_codes.includes(error.code as never) && error.code !== 'internal',
            `request ${JSON.stringify({ method: sent.method, params: sent.params, lengths: sent.lengths })} got ` +
              `${JSON.stringify(error)}\n${client.stderr.slice(-3000)}`,
          );
          assert.ok(error.message.length > 0);
          codes.set(error.code, (codes.get(error.code) ?? 0) + 1);
        }
        // replies are matched; dropping them keeps the client's list short
        client.messages.splice(0, client.messages.length, ...client.messages.filter((m) => m.kind !== Kind.REPLY));
      }
      // the events were written before the last batch's requests, whose replies came: all were read
      dropLogs += count(client.stderr, /dropped an input event/g) - logsBefore;
      assert.ok(
        count(client.stderr, /dropped an input event/g) - logsBefore >= expectedDrops,
        `each bad event for the kept view is logged (${expectedDrops} expected)`,
      );
      rssAfterRound.push(rss(client.process.pid!));
    }
    console.error(
      `fuzz-stdio replies by code: ${JSON.stringify(Object.fromEntries(codes))}; events dropped: ${dropLogs}`,
    );
    assert.ok((codes.get('ok') ?? 0) < REQUESTS * ROUNDS, 'most fuzzed requests are refused');
  });

  test('bytes that are not a message are dropped with a log line, and the message after them is answered', async () => {
    const bad = [
      ...fc.sample(junk, { seed: SEED + 2, numRuns: 600 }),
      ...fc.sample(badMeta, { seed: SEED + 3, numRuns: 400 }),
    ];
    // the reader logs bytes it skips; serve logs messages of a kind the kernel does not send
    const DROPPED = /dropped (\d+ bytes|a second HELLO|a \w+ message) from the kernel/g;
    const logsBefore = count(client.stderr, DROPPED);
    for (const [i, bytes] of bad.entries()) {
      const id = nextId++;
      client.process.stdin.write(bytes);
      client.process.stdin.write(encodeMessage(Kind.REQUEST, { id, method: 'get_camera', params: { view: 'keep' } }));
      const reply = await client.waitFor(
        (message: Message) => message.kind === Kind.REPLY && message.meta['id'] === id,
      );
      assert.equal(
        reply.meta['ok'],
        true,
        `the request after bad bytes #${i} ${Buffer.from(bytes).toString('hex').slice(0, 80)}`,
      );
    }
    const logged = count(client.stderr, DROPPED) - logsBefore;
    assert.ok(logged >= bad.length, `every bad part is logged; ${logged} lines for ${bad.length} parts`);
  });

  test('after the storm the sidecar answers, the kept view shows its cube, RSS did not grow', async () => {
    const camera = client.resultOf(await client.call('get_camera', { view: 'keep' }));
    // input may have turned and panned the camera anywhere, but never to NaN or infinity
    const numbers = ['position', 'target', 'up'].flatMap((key) => camera[key] as number[]);
    assert.ok(
      numbers.length === 9 && numbers.every(Number.isFinite),
      `the camera after the storm: ${JSON.stringify(camera)}`,
    );
    client.resultOf(await client.call('reset_camera', { view: 'keep' }));
    const reply = await client.call('snapshot', { view: 'keep' });
    client.resultOf(reply);
    const red = redShare(await decodeRgb(reply.payload));
    assert.ok(red > 1 / 20, `the cube covers part of the view (${(red * 100).toFixed(1)} % red pixels)`);
    // the first round warms up (V8's heap, glibc's arenas, sharp's caches); two more rounds, each about 22 MB of
    // payloads, must not add more than RSS_GROWTH_MB between them
    const [warm, , last] = rssAfterRound;
    console.error(
      `fuzz-stdio sidecar RSS after each round, MB: ${rssAfterRound.map((mb) => mb.toFixed(1)).join(', ')}`,
    );
    assert.ok(last! - warm! < RSS_GROWTH_MB, `RSS grew from ${warm} to ${last} MB over two rounds`);
  });
});
