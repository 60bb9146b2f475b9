// limits.json is the one source of the limits and lists both runtimes use: its lists hold exactly the members of
// the TypeScript unions that name them, and its ranges are sound.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  type Backend,
  type ErrorCode,
  type FrameSourceKind,
  type InputEvent,
  LIMITS,
  type StillKind,
  type Transport,
} from '../src/index.js';

// Every member of each union, as the keys of a record the compiler holds complete.
const STILL_KINDS: Record<StillKind, true> = { lossless: true, 'near-lossless': true };
const BACKENDS: Record<Backend, true> = { xvfb: true, xpra: true };
const TRANSPORTS: Record<Transport, true> = { comm: true, loopback: true, proxy: true };
const SOURCES: Record<FrameSourceKind, true> = { scene: true, x: true, vtk: true };
const INPUT_TYPES: Record<InputEvent['type'], true> = {
  pointer: true,
  wheel: true,
  key: true,
  resize: true,
  ack: true,
};
const ERROR_CODES: Record<ErrorCode, true> = {
  invalid_argument: true,
  invalid_type: true,
  out_of_range: true,
  not_found: true,
  display_unavailable: true,
  source_gone: true,
  protocol: true,
  internal: true,
};

const sorted = (list: readonly string[]) => [...list].sort();

test('each list in limits.json holds exactly the members of its type', () => {
  assert.deepEqual(sorted(LIMITS.still_kinds), sorted(Object.keys(STILL_KINDS)));
  assert.deepEqual(sorted(LIMITS.backends), sorted(Object.keys(BACKENDS)));
  assert.deepEqual(sorted(LIMITS.transports), sorted(Object.keys(TRANSPORTS)));
  assert.deepEqual(sorted(LIMITS.sources), sorted(Object.keys(SOURCES)));
  assert.deepEqual(sorted(LIMITS.input_types), sorted(Object.keys(INPUT_TYPES)));
  assert.deepEqual(sorted(LIMITS.error_codes), sorted(Object.keys(ERROR_CODES)));
});

test('the ranges are sound and the lists have no repeats', () => {
  const { side, frame_rate } = LIMITS;
  assert.ok(Number.isInteger(side.min) && side.min >= 1 && side.max > side.min);
  assert.ok(frame_rate.min > 0 && frame_rate.min <= frame_rate.default && frame_rate.default <= frame_rate.max);
  for (const list of [LIMITS.still_kinds, LIMITS.backends, LIMITS.transports, LIMITS.input_types, LIMITS.error_codes]) {
    assert.equal(new Set(list).size, list.length);
  }
});

test('the module reads the file as it is', () => {
  const file = JSON.parse(readFileSync(new URL('../src/limits.json', import.meta.url), 'utf8')) as unknown;
  assert.deepEqual(LIMITS, file);
});
