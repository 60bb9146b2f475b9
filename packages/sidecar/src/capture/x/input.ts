// What XTEST must fake for one input event from the widget: pointer moves and buttons at the window's place on
// the screen, wheel turns as button clicks, keys with the modifiers held around them.
import type { KeyInput, Modifiers, PointerInput, WheelInput } from '@glstream/protocol';
import type { Canvas } from '../../stream/source.js';
import type { KeyStroke } from './keyboard.js';
import { keysymOf } from './keysyms.js';

// The XTEST FakeInput types (the core event codes).
export const KEY_PRESS = 2;
export const KEY_RELEASE = 3;
export const BUTTON_PRESS = 4;
export const BUTTON_RELEASE = 5;
export const MOTION = 6;

// One FakeInput: its type, the keycode or button, and the root position of a motion.
export interface Fake {
  type: number;
  detail: number;
  x: number;
  y: number;
}

// Where the window's contents are on the root window, and their size.
export interface Place {
  x: number;
  y: number;
  width: number;
  height: number;
}

// The fakes for an event, and whether the window should take the keyboard focus (and come to the top) first.
export interface Faked {
  focus: boolean;
  fakes: Fake[];
}

// X buttons of the browser's (PointerEvent.button): main, middle, secondary, back, forward.
const BUTTONS = [1, 2, 3, 8, 9];

// Wheel buttons: up, down, left, right.
const WHEEL = { up: 4, down: 5, left: 6, right: 7 };

// CSS pixels per wheel notch (what browsers report for one notch at a device pixel ratio of 1), and the most
// clicks one event becomes.
const NOTCH = 100;
const MAX_CLICKS = 10;

// Modifier keysyms: Shift_L, Control_L, Alt_L, Super_L.
const MODIFIERS: [keyof Modifiers, number][] = [
  ['shift', 0xffe1],
  ['ctrl', 0xffe3],
  ['alt', 0xffe9],
  ['meta', 0xffeb],
];

// The fakes for `event`, made on `canvas`, to a window at `place`; `stroke` finds the key of a keysym.
export function fake(
  event: PointerInput | WheelInput | KeyInput,
  canvas: Canvas,
  place: Place,
  stroke: (keysym: number) => KeyStroke | undefined,
): Faked {
  if (event.type === 'key') return { focus: true, fakes: key(event, stroke) };
  const move = motion(event, canvas, place);
  if (event.type === 'wheel') return { focus: false, fakes: [move, ...held(event, stroke, wheel(event))] };
  if (event.phase === 'move') return { focus: false, fakes: [move] };
  const detail = BUTTONS[event.button];
  if (detail === undefined) return { focus: false, fakes: [move] };
  const click = act(event.phase === 'down' ? BUTTON_PRESS : BUTTON_RELEASE, detail);
  return { focus: event.phase === 'down', fakes: [move, ...held(event, stroke, [click])] };
}

// A motion to the root position of the event's canvas point, scaled from the canvas' size to the window's.
function motion(event: { x: number; y: number }, canvas: Canvas, place: Place): Fake {
  const along = (at: number, canvasSide: number, side: number) => {
    const scaled = canvasSide > 0 ? (at * side) / canvasSide : at;
    return Math.min(Math.max(Math.floor(scaled), 0), Math.max(side - 1, 0));
  };
  return {
    type: MOTION,
    detail: 0,
    x: place.x + along(event.x, canvas.width, place.width),
    y: place.y + along(event.y, canvas.height, place.height),
  };
}

// A key or button fake (it acts where the pointer is).
function act(type: number, detail: number): Fake {
  return { type, detail, x: 0, y: 0 };
}

// Press and release of a wheel button per notch, on each axis that turned.
function wheel(event: WheelInput): Fake[] {
  const clicks = (delta: number, less: number, more: number): Fake[] => {
    if (delta === 0) return [];
    const button = delta < 0 ? less : more;
    const count = Math.min(Math.max(Math.round(Math.abs(delta) / NOTCH), 1), MAX_CLICKS);
    return Array.from({ length: count }, () => [act(BUTTON_PRESS, button), act(BUTTON_RELEASE, button)]).flat();
  };
  return [...clicks(event.dy, WHEEL.up, WHEEL.down), ...clicks(event.dx, WHEEL.left, WHEEL.right)];
}

// A press and release of the key that types the event's key, with Shift if that key needs it.
function key(event: KeyInput, stroke: (keysym: number) => KeyStroke | undefined): Fake[] {
  const keysym = keysymOf(event.key);
  const found = keysym === undefined ? undefined : stroke(keysym);
  if (found === undefined) return [];
  const press = [act(KEY_PRESS, found.keycode), act(KEY_RELEASE, found.keycode)];
  return held({ ...event, shift: event.shift || found.shift }, stroke, press);
}

// `fakes` with the event's modifier keys pressed before and released after, so none stays down.
function held(modifiers: Modifiers, stroke: (keysym: number) => KeyStroke | undefined, fakes: Fake[]): Fake[] {
  const keycodes = MODIFIERS.filter(([name]) => modifiers[name])
    .map(([, keysym]) => stroke(keysym)?.keycode)
    .filter((keycode) => keycode !== undefined);
  return [
    ...keycodes.map((keycode) => act(KEY_PRESS, keycode)),
    ...fakes,
    ...keycodes.reverse().map((keycode) => act(KEY_RELEASE, keycode)),
  ];
}
