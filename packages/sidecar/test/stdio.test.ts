import { test } from 'node:test';
import assert from 'node:assert/strict';
import { splitBuffers } from '../src/transport/stdio.js';

test('request payloads split by the listed buffer lengths, and lengths that do not fit are refused', () => {
  const payload = new Uint8Array([1, 2, 3, 4, 5]);
  assert.deepEqual(
    splitBuffers({ buffers: [2, 3] }, payload).map((part) => [...part]),
    [
      [1, 2],
      [3, 4, 5],
    ],
  );
  assert.deepEqual(splitBuffers({}, payload), []);
  assert.throws(() => splitBuffers({ buffers: [4, 4] }, payload), {
    code: 'protocol',
    message: /buffer lengths \[4,4\] do not fit a payload of 5 bytes/,
  });
  assert.throws(() => splitBuffers({ buffers: [-1] }, payload), { code: 'protocol' });
});
