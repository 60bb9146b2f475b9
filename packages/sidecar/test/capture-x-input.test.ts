import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { KeyInput, PointerInput, WheelInput } from '@glstream/protocol';
import {
  BUTTON_PRESS,
  BUTTON_RELEASE,
  fake,
  KEY_PRESS,
  KEY_RELEASE,
  MOTION,
  type Fake,
} from '../src/capture/x/input.js';
import type { KeyStroke } from '../src/capture/x/keyboard.js';
import { keysymOf } from '../src/capture/x/keysyms.js';
import { bgrxToRgba } from '../src/capture/x/swizzle.js';

const none = { ctrl: false, shift: false, alt: false, meta: false };
const place = { x: 700, y: 100, width: 400, height: 300 };
const half = { width: 200, height: 150 };
// A US keyboard as Xvfb has it: a/A on 38, Return 36, Shift_L 50, Control_L 37, Alt_L 64, Super_L 133.
const keys = new Map<number, KeyStroke>([
  [0x61, { keycode: 38, shift: false }],
  [0x41, { keycode: 38, shift: true }],
  [0xff0d, { keycode: 36, shift: false }],
  [0xffe1, { keycode: 50, shift: false }],
  [0xffe3, { keycode: 37, shift: false }],
  [0xffe9, { keycode: 64, shift: false }],
  [0xffeb, { keycode: 133, shift: false }],
]);
const stroke = (keysym: number) => keys.get(keysym);

function pointer(phase: PointerInput['phase'], x: number, y: number, more: Partial<PointerInput> = {}): PointerInput {
  return { type: 'pointer', phase, x, y, button: 0, buttons: 1, seq: 1, t: 0, ...none, ...more };
}

function wheel(dx: number, dy: number): WheelInput {
  return { type: 'wheel', x: 10, y: 10, dx, dy, seq: 1, t: 0, ...none };
}

function key(name: string, more: Partial<KeyInput> = {}): KeyInput {
  return { type: 'key', key: name, seq: 1, t: 0, ...none, ...more };
}

const press = (detail: number): Fake => ({ type: KEY_PRESS, detail, x: 0, y: 0 });
const release = (detail: number): Fake => ({ type: KEY_RELEASE, detail, x: 0, y: 0 });
const down = (detail: number): Fake => ({ type: BUTTON_PRESS, detail, x: 0, y: 0 });
const up = (detail: number): Fake => ({ type: BUTTON_RELEASE, detail, x: 0, y: 0 });

describe('X input: pointer', () => {
  test('a canvas point becomes a root position, scaled from the canvas to the window', () => {
    const { focus, fakes } = fake(pointer('move', 50, 40), half, place, stroke);
    assert.equal(focus, false);
    assert.deepEqual(fakes, [{ type: MOTION, detail: 0, x: 800, y: 180 }]);
    const same = fake(pointer('move', 50, 40), { width: 400, height: 300 }, place, stroke);
    assert.deepEqual(same.fakes, [{ type: MOTION, detail: 0, x: 750, y: 140 }]);
  });

  test('a point past the canvas edge stays on the window', () => {
    const { fakes } = fake(pointer('move', 250, -5), half, place, stroke);
    assert.deepEqual(fakes, [{ type: MOTION, detail: 0, x: 1099, y: 100 }]);
  });

  test('browser buttons main, middle, secondary are X buttons 1, 2, 3; a press takes the focus', () => {
    const pressed = fake(pointer('down', 0, 0, { button: 2 }), half, place, stroke);
    assert.equal(pressed.focus, true);
    assert.deepEqual(pressed.fakes.slice(1), [down(3)]);
    assert.deepEqual(fake(pointer('up', 0, 0, { button: 1 }), half, place, stroke).fakes.slice(1), [up(2)]);
    assert.deepEqual(fake(pointer('up', 0, 0, { button: 0 }), half, place, stroke).fakes.slice(1), [up(1)]);
  });

  test('modifiers are held around a press and released after it', () => {
    const { fakes } = fake(pointer('down', 0, 0, { ctrl: true, shift: true }), half, place, stroke);
    assert.deepEqual(fakes.slice(1), [press(50), press(37), down(1), release(37), release(50)]);
  });
});

describe('X input: wheel', () => {
  test('up, down, left and right are buttons 4, 5, 6, 7, one click per notch of 100', () => {
    assert.deepEqual(fake(wheel(0, -100), half, place, stroke).fakes.slice(1), [down(4), up(4)]);
    assert.deepEqual(fake(wheel(0, 30), half, place, stroke).fakes.slice(1), [down(5), up(5)]);
    assert.deepEqual(fake(wheel(0, 200), half, place, stroke).fakes.slice(1), [down(5), up(5), down(5), up(5)]);
    assert.deepEqual(fake(wheel(-100, 0), half, place, stroke).fakes.slice(1), [down(6), up(6)]);
    assert.deepEqual(fake(wheel(100, 0), half, place, stroke).fakes.slice(1), [down(7), up(7)]);
    assert.equal(fake(wheel(0, 1e6), half, place, stroke).fakes.length, 1 + 2 * 10, 'at most 10 clicks');
  });
});

describe('X input: keys', () => {
  test('a key is pressed and released, with Shift when its keysym is on the shifted column', () => {
    assert.deepEqual(fake(key('a'), half, place, stroke), { focus: true, fakes: [press(38), release(38)] });
    assert.deepEqual(fake(key('A', { shift: true }), half, place, stroke).fakes, [
      press(50),
      press(38),
      release(38),
      release(50),
    ]);
    assert.deepEqual(fake(key('Enter', { alt: true }), half, place, stroke).fakes, [
      press(64),
      press(36),
      release(36),
      release(64),
    ]);
  });

  test('a key with no keysym, or none on the keyboard, fakes nothing', () => {
    assert.deepEqual(fake(key('Unidentified'), half, place, stroke).fakes, []);
    assert.deepEqual(fake(key('z'), half, place, stroke).fakes, []);
  });

  test('browser key names and characters map to X keysyms', () => {
    const expected: [string, number | undefined][] = [
      ['a', 0x61],
      ['A', 0x41],
      [' ', 0x20],
      ['Enter', 0xff0d],
      ['Backspace', 0xff08],
      ['Tab', 0xff09],
      ['Escape', 0xff1b],
      ['ArrowLeft', 0xff51],
      ['ArrowDown', 0xff54],
      ['F1', 0xffbe],
      ['F12', 0xffc9],
      ['é', 0xe9],
      ['€', 0x10020ac],
      ['😀', 0x101f600],
      ['Dead', undefined],
      ['Unidentified', undefined],
      ['F36', undefined],
      ['ab', undefined],
    ];
    for (const [name, keysym] of expected) assert.equal(keysymOf(name), keysym, name);
  });
});

describe('X pixels', () => {
  test('BGRX becomes opaque RGBA, also from a buffer that does not start on a word boundary', () => {
    const bgrx = [0x10, 0x20, 0x30, 0x00, 0xff, 0x80, 0x00, 0x7f];
    const rgba = [0x30, 0x20, 0x10, 0xff, 0x00, 0x80, 0xff, 0xff];
    for (const offset of [0, 1]) {
      const source = new Uint8Array(offset + bgrx.length);
      source.set(bgrx, offset);
      const target = new Uint32Array(2);
      bgrxToRgba(source.subarray(offset), target, 2);
      assert.deepEqual([...new Uint8Array(target.buffer)], rgba, `offset ${offset}`);
    }
  });
});
