// Property tests of MessageReader's resynchronisation: whatever bad bytes come between good messages, every good
// message whose bytes are not swallowed by a header that passes its checks comes out, in order and unchanged.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { encodeMessage, HEADER_SIZE, Kind, MessageReader, ProtocolError } from '../src/index.js';

const SEED = 12;
const good = (n: number) => encodeMessage(Kind.REQUEST, { id: n, method: 'ping' }, Uint8Array.of(n & 0xff, 1, 2));

// A header-sized prefix that fails decodeHeader, followed by junk, as an out-of-step writer leaves it.
const badHeader = fc.oneof(
  // not the magic
  fc.uint8Array({ minLength: 1, maxLength: 64 }).filter((bytes) => bytes[0] !== 0x47),
  // a good header with a field broken: kind, flags, reserved, or lengths over the limits
  fc.tuple(fc.constantFrom(4, 5, 6, 7, 11, 15), fc.integer({ min: 1, max: 255 })).map(([offset, value]) => {
    const bytes = encodeMessage(Kind.EVENT, { view: 'v' });
    if (offset === 4) bytes[4] = value < 8 ? 99 : value;
    else bytes[offset] = offset === 11 || offset === 15 ? 0x80 | value : value;
    return bytes;
  }),
  // a header cut short, then whatever follows it
  fc.integer({ min: 1, max: HEADER_SIZE - 1 }).map((n) => encodeMessage(Kind.REQUEST, { id: 0 }).subarray(0, n)),
);

// A well-framed message whose metadata is not a JSON object of UTF-8 text.
const badMeta = fc
  .oneof(
    fc.constant(Uint8Array.of(0xff, 0xfe)),
    fc.string().map((text) => new TextEncoder().encode(`{${text}`)),
    fc.constantFrom('[1]', 'null', '3', '"s"', 'true').map((text) => new TextEncoder().encode(text)),
  )
  .map((meta) => {
    const head = encodeMessage(Kind.REQUEST, {}).subarray(0, HEADER_SIZE);
    const bytes = Buffer.concat([head, meta]);
    bytes.writeUInt32LE(meta.byteLength, 8);
    return new Uint8Array(bytes);
  });

test('after any bad header or bad metadata, the next good message is read, however the stream is chunked', () => {
  fc.assert(
    fc.property(
      fc.array(fc.oneof(badHeader, badMeta), { minLength: 1, maxLength: 8 }),
      fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 20 }),
      (bads, cuts) => {
        const stream = Buffer.concat(bads.flatMap((bad, i) => [bad, good(i)]));
        const drops: number[] = [];
        const reader = new MessageReader((error, dropped) => {
          assert.ok(error instanceof ProtocolError);
          drops.push(dropped);
        });
        const ids: unknown[] = [];
        let offset = 0;
        for (let i = 0; offset < stream.byteLength; i++) {
          const size = cuts[i % cuts.length]!;
          for (const message of reader.push(stream.subarray(offset, offset + size))) ids.push(message.meta['id']);
          offset += size;
        }
        assert.deepEqual(
          ids,
          bads.map((_, i) => i),
        );
        assert.ok(drops.length >= bads.length, 'each bad part is reported');
        assert.equal(reader.pending, 0);
      },
    ),
    { seed: SEED, numRuns: 2000 },
  );
});

test('a reader without a drop listener still throws on the first bad header', () => {
  const reader = new MessageReader();
  assert.throws(() => reader.push(Buffer.concat([Buffer.from('not a frame, at all'), good(1)])), ProtocolError);
});

test('junk without any magic is dropped down to a tail that may begin one, so nothing piles up', () => {
  let dropped = 0;
  const reader = new MessageReader((_error, count) => {
    dropped += count;
  });
  for (let i = 0; i < 1000; i++) reader.push(new Uint8Array(4096).fill(0x41));
  assert.equal(reader.pending, 0);
  assert.equal(dropped, 4096 * 1000);
  reader.push(Buffer.from('GL'));
  assert.deepEqual(
    reader.push(good(7).subarray(2)).map((message) => message.meta['id']),
    [7],
  );
});
