import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ResizeInput } from '@glstream/protocol';
import { dedupeResize, fitSize } from '../src/layout.js';

test('the canvas takes the requested width when the cell is wider', () => {
  assert.deepEqual(fitSize({ width: 800, height: 500 }, 1200), { width: 800, height: 500 });
});

test('the canvas narrows to the available width, keeping the requested height', () => {
  assert.deepEqual(fitSize({ width: 800, height: 500 }, 640.7), { width: 640, height: 500 });
});

test('nothing is laid out before the container has a width', () => {
  assert.equal(fitSize({ width: 800, height: 500 }, 0), null);
  assert.equal(fitSize({ width: 0, height: 500 }, 900), null);
});

test('a resize equal to the last one sent is skipped', () => {
  const sent: ResizeInput[] = [];
  const send = dedupeResize((message) => sent.push(message));
  assert.equal(send({ type: 'resize', width: 800, height: 500, dpr: 1 }), true);
  assert.equal(send({ type: 'resize', width: 800, height: 500, dpr: 1 }), false);
  assert.equal(send({ type: 'resize', width: 800, height: 500, dpr: 2 }), true);
  assert.equal(send({ type: 'resize', width: 640, height: 500, dpr: 2 }), true);
  assert.equal(send({ type: 'resize', width: 800, height: 500, dpr: 1 }), true);
  assert.deepEqual(
    sent.map((m) => [m.width, m.dpr]),
    [
      [800, 1],
      [800, 2],
      [640, 2],
      [800, 1],
    ],
  );
});

test('the same size is sent again once the page knows it decodes video', () => {
  const sent: ResizeInput[] = [];
  const send = dedupeResize((message) => sent.push(message));
  assert.equal(send({ type: 'resize', width: 800, height: 500, dpr: 1, codecs: [] }), true);
  assert.equal(send({ type: 'resize', width: 800, height: 500, dpr: 1, codecs: ['h264'] }), true);
  assert.equal(send({ type: 'resize', width: 800, height: 500, dpr: 1, codecs: ['h264'] }), false);
  assert.deepEqual(
    sent.map((m) => m.codecs),
    [[], ['h264']],
  );
});
