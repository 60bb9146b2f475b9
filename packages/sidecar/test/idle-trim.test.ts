// The idle trim: collections run only once the sidecar has been idle, twice per idle period, and activity starts
// a new period.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IDLE_MS, IdleTrim } from '../src/kernel/idle-trim.js';

test('two collections per idle period, none while busy, and a new period after activity', (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  let collections = 0;
  const trim = new IdleTrim(() => {
    collections += 1;
  });
  for (let i = 0; i < 10; i += 1) {
    t.mock.timers.tick(IDLE_MS - 1);
    trim.busy();
  }
  assert.equal(collections, 0, 'nothing runs while work keeps coming');
  t.mock.timers.tick(IDLE_MS);
  assert.equal(collections, 1);
  t.mock.timers.tick(IDLE_MS);
  assert.equal(collections, 2);
  t.mock.timers.tick(10 * IDLE_MS);
  assert.equal(collections, 2, 'an idle period has two collections');
  trim.busy();
  t.mock.timers.tick(IDLE_MS);
  t.mock.timers.tick(IDLE_MS);
  assert.equal(collections, 4);
  trim.busy();
  trim.dispose();
  t.mock.timers.tick(10 * IDLE_MS);
  assert.equal(collections, 4, 'a disposed trim runs nothing');
});
