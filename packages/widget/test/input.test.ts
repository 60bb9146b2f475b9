import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ownsKey } from '../src/controls.js';
import { InputEncoder, LINE_HEIGHT, type PointerSource, type WheelSource } from '../src/input.js';

const NO_KEYS = { ctrlKey: false, shiftKey: false, altKey: false, metaKey: false };
const origin = { left: 100, top: 40 };

function pointer(fields: Partial<PointerSource>): PointerSource {
  return { ...NO_KEYS, clientX: 0, clientY: 0, button: 0, buttons: 0, timeStamp: 0, ...fields };
}

function wheel(fields: Partial<WheelSource>): WheelSource {
  return { ...NO_KEYS, clientX: 0, clientY: 0, deltaX: 0, deltaY: 0, deltaMode: 0, timeStamp: 0, ...fields };
}

test('a pointer press is placed relative to the canvas and keeps buttons, modifiers and time', () => {
  const event = pointer({
    clientX: 150.5,
    clientY: 90,
    button: 2,
    buttons: 2,
    shiftKey: true,
    altKey: true,
    timeStamp: 1234.5,
  });
  assert.deepEqual(new InputEncoder().pointer(event, 'down', origin), {
    type: 'pointer',
    phase: 'down',
    x: 50.5,
    y: 50,
    button: 2,
    buttons: 2,
    ctrl: false,
    shift: true,
    alt: true,
    meta: false,
    seq: 1,
    t: 1234.5,
  });
});

test('sequence numbers start at 1 and increase across every kind of event', () => {
  const encoder = new InputEncoder();
  const seqs = [
    encoder.pointer(pointer({}), 'down', origin).seq,
    encoder.pointer(pointer({ buttons: 1 }), 'move', origin).seq,
    encoder.wheel(wheel({ deltaY: 1 }), origin, 500).seq,
    encoder.key({ ...NO_KEYS, key: 'r', timeStamp: 5 }).seq,
    encoder.pointer(pointer({}), 'up', origin).seq,
  ];
  assert.deepEqual(seqs, [1, 2, 3, 4, 5]);
});

test('wheel deltas are converted to CSS pixels', () => {
  const encoder = new InputEncoder();
  const pixels = encoder.wheel(
    wheel({ clientX: 110, clientY: 45, deltaX: -3, deltaY: 120, ctrlKey: true }),
    origin,
    500,
  );
  assert.deepEqual([pixels.x, pixels.y, pixels.dx, pixels.dy, pixels.ctrl], [10, 5, -3, 120, true]);
  const lines = encoder.wheel(wheel({ deltaY: 3, deltaMode: 1 }), origin, 500);
  assert.equal(lines.dy, 3 * LINE_HEIGHT);
  const pages = encoder.wheel(wheel({ deltaY: -1, deltaMode: 2 }), origin, 500);
  assert.equal(pages.dy, -500);
});

test('a key press carries its key name and modifiers', () => {
  const message = new InputEncoder().key({ ...NO_KEYS, metaKey: true, key: 'ArrowLeft', timeStamp: 7 });
  assert.deepEqual(message, {
    type: 'key',
    key: 'ArrowLeft',
    ctrl: false,
    shift: false,
    alt: false,
    meta: true,
    seq: 1,
    t: 7,
  });
});

test('Tab and Ctrl/Meta shortcuts stay with the page', () => {
  assert.equal(ownsKey({ key: 'r', ctrlKey: false, metaKey: false }), true);
  assert.equal(ownsKey({ key: 'Tab', ctrlKey: false, metaKey: false }), false);
  assert.equal(ownsKey({ key: 'c', ctrlKey: true, metaKey: false }), false);
  assert.equal(ownsKey({ key: 'v', ctrlKey: false, metaKey: true }), false);
});
