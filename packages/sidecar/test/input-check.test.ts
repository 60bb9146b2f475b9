// Input events are checked field by field before they move a camera.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LIMITS } from '@glstream/protocol';
import { checkInput } from '../src/transport/input-check.js';

const MODS = { ctrl: false, shift: false, alt: false, meta: false };
const GOOD = [
  { type: 'ack', seq: 3 },
  { type: 'resize', width: 640, height: 400, dpr: 2, codecs: ['h264', 'av1-from-a-newer-widget'] },
  { type: 'pointer', phase: 'move', x: 10.5, y: -3, button: -1, buttons: 1, seq: 7, t: 1234.5, ...MODS },
  { type: 'wheel', x: 1, y: 2, dx: 0, dy: -120, seq: 8, t: 1240, ...MODS },
  { type: 'key', key: 'r', seq: 9, t: 1250, ...MODS, view: 'v1' },
];

test('well-formed events pass as they are, one of every shared input type', () => {
  for (const event of GOOD) assert.equal(checkInput(event), event);
  assert.deepEqual(GOOD.map((event) => event.type).sort(), [...LIMITS.input_types].sort());
  const { codecs: _codecs, ...plain } = GOOD[1] as { codecs: string[] };
  assert.equal(checkInput(plain), plain, 'a resize need not list codecs');
});

test('a bad event is refused naming the field', () => {
  const cases: Array<[unknown, RegExp]> = [
    [null, /must be a JSON object/],
    [[1], /must be a JSON object/],
    [{ type: 'teleport' }, /unknown input event type "teleport"/],
    [{ type: 'ack', seq: -1 }, /"seq" must be a non-negative integer/],
    [{ type: 'resize', width: Number.NaN, height: 1, dpr: 1 }, /"width" must be a finite number from 0/],
    [{ type: 'resize', width: 1, height: 1, dpr: 0 }, /"dpr" must be above 0/],
    [{ type: 'resize', width: 1, height: 1, dpr: 100 }, /"dpr" must be a finite number from 0 to 16/],
    [{ ...GOOD[1], codecs: 'h264' }, /"codecs" must be a list of at most 8 strings/],
    [{ ...GOOD[1], codecs: ['h264', 264] }, /"codecs" must be a list of at most 8 strings/],
    [{ ...GOOD[1], codecs: Array(9).fill('h264') }, /"codecs" must be a list of at most 8 strings/],
    [{ ...GOOD[2], phase: 'hover' }, /"phase" must be down, move or up/],
    [{ ...GOOD[2], x: '10' }, /"x" must be a finite number/],
    [{ ...GOOD[2], buttons: 1.5 }, /"buttons" must be a non-negative integer/],
    [{ ...GOOD[2], button: -2 }, /"button" must be an integer from -1/],
    [{ ...GOOD[3], dy: Infinity }, /"dy" must be a finite number/],
    // a drag across -1e308..1e308 would turn the camera by an infinite angle and leave it at NaN
    [{ ...GOOD[2], x: 1e308 }, /"x" must be a finite number from -1000000 to 1000000, got 1e\+308/],
    [{ ...GOOD[3], dx: -2e6 }, /"dx" must be a finite number from -1000000 to 1000000/],
    [{ ...GOOD[4], key: 3 }, /"key" must be a string/],
    [{ ...GOOD[4], shift: 'yes' }, /"shift" must be true or false/],
  ];
  for (const [event, message] of cases)
    assert.throws(() => checkInput(event), { code: 'invalid_argument', message }, JSON.stringify(event));
});
