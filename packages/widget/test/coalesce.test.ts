import { test } from 'node:test';
import assert from 'node:assert/strict';
import { type InputEvent, LIMITS, type PointerInput, type WheelInput, type WithAcks } from '@glstream/protocol';
import { ACK_HOLD_MS, InputCoalescer, KernelOutbox, MOVE_HOLD_MS } from '../src/coalesce.js';

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

// An outbox with a hand-run timer and clock: `elapse()` runs what is scheduled, `waits` the delays asked for.
function outbox() {
  const clock = { now: 0 };
  const sent: WithAcks[] = [];
  const timers: (() => void)[] = [];
  const waits: number[] = [];
  const box = new KernelOutbox(
    (message) => sent.push(message),
    (task, ms) => {
      waits.push(ms);
      timers.push(task);
      return () => timers.splice(timers.indexOf(task), 1);
    },
    () => clock.now,
  );
  const elapse = () => {
    for (const task of timers.splice(0)) task();
  };
  return { box, sent, timers, waits, elapse, clock };
}
const ack = (seq: number) => ({ type: 'ack', seq }) as const;

test('outside a drag acks and input go to the kernel at once, each on its own', () => {
  const { box, sent, timers } = outbox();
  box.ack(ack(1), 0, 2);
  box.event(wheel(2, 10));
  box.event(move(3, 4));
  box.ack(ack(2), 3, 2);
  assert.deepEqual(sent, [ack(1), wheel(2, 10), move(3, 4), ack(2)]);
  assert.equal(timers.length, 0);
});

test('during a drag moves go ahead of their frames as far as the window, then each rides on an ack', () => {
  const { box, sent, timers } = outbox();
  box.event(press(1, 'down'));
  box.event(move(2, 5));
  box.event(move(3, 6));
  assert.deepEqual(sent, [press(1, 'down'), move(2, 5), move(3, 6)], 'two frames may fly: two moves go at once');
  box.event(move(4, 7));
  box.event(move(5, 8));
  assert.equal(sent.length, 3, 'the next moves wait for a frame showing move 2 or 3');
  box.ack(ack(7), 2, 2);
  assert.deepEqual(sent.at(-1), { ...move(5, 8), acks: [7] }, 'the newest move carries the ack');
  assert.equal(timers.length, 0, 'the hold timer is cancelled once they went');
  box.ack(ack(8), 3, 2);
  box.ack(ack(9), 5, 2);
  assert.equal(sent.length, 4, 'acks wait for a move');
  box.event(move(6, 9));
  assert.deepEqual(sent.at(-1), { ...move(6, 9), acks: [8, 9] });
});

test('a frame that left in a bigger window lets as many moves go ahead', () => {
  const { box, sent } = outbox();
  box.event(press(1, 'down'));
  box.ack(ack(1), 0, 3);
  box.event(move(2, 5));
  assert.deepEqual(sent.at(-1), { ...move(2, 5), acks: [1] });
  box.event(move(3, 6));
  box.event(move(4, 7));
  assert.deepEqual(sent.slice(-2), [move(3, 6), move(4, 7)], 'three moves ahead in a window of three');
  box.event(move(5, 8));
  assert.equal(sent.length, 4, 'the fourth waits');
});

test('what waits goes on its own after its hold; the release sends what is held first', () => {
  const { box, sent, waits, elapse } = outbox();
  box.event(press(1, 'down'));
  box.event(move(2, 5));
  box.event(move(3, 6));
  box.event(move(4, 7));
  assert.deepEqual(waits, [MOVE_HOLD_MS.min], 'a move waits for a frame that may never come');
  elapse();
  assert.deepEqual(sent.at(-1), move(4, 7));
  box.ack(ack(3), 4, 2);
  box.ack(ack(4), 4, 2);
  assert.deepEqual(waits, [MOVE_HOLD_MS.min, ACK_HOLD_MS], 'one timer for the acks held together');
  elapse();
  assert.deepEqual(sent.at(-1), { ...ack(3), acks: [4] });
  box.event(move(5, 8));
  box.event(move(6, 9));
  assert.deepEqual(sent.slice(-2), [move(5, 8), move(6, 9)], 'every frame acked showed every move: moves go at once');
  box.event(move(7, 9));
  box.ack(ack(5), 5, 2);
  box.event(move(8, 9));
  box.event(press(9, 'up'));
  assert.deepEqual(sent.slice(-3), [{ ...move(7, 9), acks: [5] }, move(8, 9), press(9, 'up')]);
  box.ack(ack(6), 8, 2);
  assert.deepEqual(sent.at(-1), ack(6), 'after the release acks go at once again');
});

test('a move waits about two frames for its ack: as long as frames take, within bounds', () => {
  const { box, waits, clock, elapse } = outbox();
  box.event(press(1, 'down'));
  box.event(move(2, 0));
  for (let seq = 3; seq < 40; seq += 1) {
    clock.now += 120;
    box.event(move(seq, seq));
    box.ack(ack(seq), seq - 1, 2);
  }
  box.event(move(50, 1));
  box.event(move(51, 2));
  elapse();
  const wait = waits.at(-1) ?? 0;
  assert.ok(Math.abs(wait - 240) < 10, `a move waits ${wait} ms when frames come every 120 ms`);
  for (let seq = 60; seq < 100; seq += 1) {
    clock.now += 2000;
    box.ack(ack(seq), 0, 2);
    box.event(move(seq, seq));
  }
  box.event(move(200, 1));
  assert.equal(waits.at(-1), MOVE_HOLD_MS.max);
});

test('a message never carries more acks than the kernel takes, and every ack goes once', () => {
  const { box, sent } = outbox();
  box.event(press(1, 'down'));
  for (let seq = 1; seq <= 3 * LIMITS.piggyback_acks_max; seq += 1) box.ack(ack(seq), 0, 2);
  box.event(move(2, 1));
  for (const message of sent) assert.ok((message.acks?.length ?? 0) <= LIMITS.piggyback_acks_max);
  const acked = sent.flatMap((message) => [...(message.type === 'ack' ? [message.seq] : []), ...(message.acks ?? [])]);
  assert.deepEqual(
    acked,
    Array.from({ length: 3 * LIMITS.piggyback_acks_max }, (_, index) => index + 1),
  );
});
