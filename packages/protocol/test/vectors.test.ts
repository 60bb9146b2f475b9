import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  decodeMessage,
  encodeHead,
  encodeMessage,
  HEADER_SIZE,
  Kind,
  MessageReader,
  ProtocolError,
  type Meta,
} from '../src/index.js';

interface Vector {
  name: string;
  kind: Kind;
  meta: Meta;
  payload: string;
  bytes: string;
}

const { vectors } = JSON.parse(readFileSync(new URL('../vectors.json', import.meta.url), 'utf8')) as {
  vectors: Vector[];
};
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const unhex = (text: string) => new Uint8Array(Buffer.from(text, 'hex'));

for (const vector of vectors) {
  test(`encodes the shared vector "${vector.name}"`, () => {
    assert.equal(hex(encodeMessage(vector.kind, vector.meta, unhex(vector.payload))), vector.bytes);
  });

  test(`header and metadata, then the payload as it is, make the shared vector "${vector.name}"`, () => {
    const payload = unhex(vector.payload);
    assert.equal(hex(encodeHead(vector.kind, vector.meta, payload.byteLength)) + vector.payload, vector.bytes);
  });

  test(`decodes the shared vector "${vector.name}"`, () => {
    const message = decodeMessage(unhex(vector.bytes));
    assert.equal(message.kind, vector.kind);
    assert.deepEqual(message.meta, vector.meta);
    assert.equal(hex(message.payload), vector.payload);
  });
}

test('the reader reassembles messages split at every byte boundary', () => {
  const stream = Buffer.concat(vectors.map((vector) => unhex(vector.bytes)));
  for (const size of [1, 3, 16, 17, 1000]) {
    const reader = new MessageReader();
    const seen = [];
    for (let offset = 0; offset < stream.byteLength; offset += size)
      seen.push(...reader.push(stream.subarray(offset, offset + size)));
    assert.deepEqual(
      seen.map((message) => message.meta),
      vectors.map((vector) => vector.meta),
      `chunk size ${size}`,
    );
    assert.equal(reader.pending, 0);
  }
});

test('bad magic names the likely cause', () => {
  const bytes = unhex(vectors[0]!.bytes);
  bytes[0] = 0x7b;
  assert.throws(
    () => decodeMessage(bytes),
    (error: unknown) => error instanceof ProtocolError && /not speaking the glstream protocol/.test(error.message),
  );
});

test('unknown kinds and truncated messages are rejected', () => {
  const bytes = unhex(vectors[0]!.bytes);
  assert.throws(() => decodeMessage(bytes.subarray(0, HEADER_SIZE + 2)), ProtocolError);
  bytes[4] = 99;
  assert.throws(() => decodeMessage(bytes), /Unknown message kind 99/);
  assert.throws(() => encodeMessage(42 as Kind, {}), TypeError);
});

test('flags and reserved bytes must be 0, as in Python', () => {
  for (const offset of [5, 6, 7]) {
    const bytes = unhex(vectors[0]!.bytes);
    bytes[offset] = 1;
    assert.throws(() => decodeMessage(bytes), /flags \d+ and reserved \d+ must both be 0/);
  }
});

test('metadata must be a JSON object', () => {
  const text = new TextEncoder().encode('[1]');
  const bytes = Buffer.concat([encodeMessage(Kind.NOTICE, {}).subarray(0, HEADER_SIZE), text]);
  bytes.writeUInt32LE(text.byteLength, 8);
  assert.throws(() => decodeMessage(bytes), /must be a JSON object/);
});
