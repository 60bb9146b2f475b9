import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { InputEvent, PointerInput, WheelInput } from '@glstream/protocol';
import { InputCoalescer } from '../src/coalesce.js';

const keys = { ctrl: false, shift: false, alt: false, meta: false };
const move = (seq: number, x: number): PointerInput => ({
  type: 'pointer',
  phase: 'move',
  x,
  y: 0,
  button: 0,
  buttons: 1,
  seq,
  t: seq,
  ...keys,
});
const press = (seq: number, phase: 'down' | 'up'): PointerInput => ({
  type: 'pointer',
  phase,
  x: 0,
  y: 0,
  button: 0,
  buttons: phase === 'down' ? 1 : 0,
  seq,
  t: seq,
  ...keys,
});
const wheel = (seq: number, dy: number): WheelInput => ({ type: 'wheel', x: 0, y: 0, dx: 0, dy, seq, t: seq, ...keys });

function harness() {
  const sent: InputEvent[] = [];
  const frames: (() => void)[] = [];
  const coalescer = new InputCoalescer(
    (event) => sent.push(event),
    (flush) => frames.push(flush),
  );
  const frame = () => {
    for (const flush of frames.splice(0)) flush();
  };
  return { sent, frames, coalescer, frame };
}

test('a thousand moves within one animation frame send one move, the newest', () => {
  const { sent, frames, coalescer, frame } = harness();
  for (let i = 1; i <= 1000; i += 1) coalescer.push(move(i, i));
  assert.equal(sent.length, 0);
  assert.equal(frames.length, 1, 'one callback scheduled, not one per move');
  frame();
  assert.deepEqual(sent, [move(1000, 1000)]);
});

test('a press or release sends the pending move first, keeping the order', () => {
  const { sent, coalescer, frame } = harness();
  coalescer.push(press(1, 'down'));
  coalescer.push(move(2, 5));
  coalescer.push(move(3, 9));
  coalescer.push(press(4, 'up'));
  assert.deepEqual(
    sent.map((event) => ('seq' in event ? event.seq : undefined)),
    [1, 3, 4],
  );
  frame();
  assert.equal(sent.length, 3, 'nothing left to send at the next frame');
});

test('wheel turns within a frame are summed; a move after them sends them first', () => {
  const { sent, coalescer, frame } = harness();
  coalescer.push(wheel(1, 100));
  coalescer.push(wheel(2, 100));
  coalescer.push(wheel(3, -50));
  coalescer.push(move(4, 1));
  assert.deepEqual(sent, [{ ...wheel(3, 150) }]);
  frame();
  assert.deepEqual(
    sent.map((event) => event.seq),
    [3, 4],
  );
});
