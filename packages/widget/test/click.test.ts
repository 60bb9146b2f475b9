import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CLICK_SLOP, CLICK_TIME, ClickDetector, type ClickSource } from '../src/click.js';

type Step = ['down' | 'move' | 'up' | 'cancel', Partial<ClickSource>];

// Feed a detector a pointer sequence; the clicks it reports, in order.
function clicks(steps: Step[]): { clientX: number; clientY: number }[] {
  const detector = new ClickDetector();
  const found: { clientX: number; clientY: number }[] = [];
  for (const [phase, fields] of steps) {
    const event: ClickSource = {
      pointerId: 1,
      button: phase === 'move' ? -1 : 0,
      buttons: phase === 'up' ? 0 : 1,
      clientX: 100,
      clientY: 50,
      timeStamp: 0,
      ...fields,
    };
    if (phase === 'down') detector.down(event);
    else if (phase === 'move') detector.move(event);
    else if (phase === 'cancel') detector.cancel();
    else {
      const click = detector.up(event);
      if (click !== null) found.push(click);
    }
  }
  return found;
}

test('a press and release in place is a click at the release', () => {
  assert.deepEqual(
    clicks([
      ['down', {}],
      ['up', { clientX: 102, clientY: 51, timeStamp: 120 }],
    ]),
    [{ clientX: 102, clientY: 51 }],
  );
});

test('a jitter within the slop is still a click', () => {
  assert.deepEqual(
    clicks([
      ['down', {}],
      ['move', { clientX: 103, timeStamp: 10 }],
      ['move', { clientX: 100, clientY: 50 + CLICK_SLOP, timeStamp: 20 }],
      ['up', { clientX: 101, timeStamp: 30 }],
    ]).length,
    1,
  );
});

test('a drag is not a click, even when it comes back to where it started', () => {
  assert.deepEqual(
    clicks([
      ['down', {}],
      ['move', { clientX: 140, timeStamp: 10 }],
      ['move', { clientX: 100, timeStamp: 20 }],
      ['up', { timeStamp: 30 }],
    ]),
    [],
  );
});

test('a release far from the press is not a click', () => {
  assert.deepEqual(
    clicks([
      ['down', {}],
      ['up', { clientX: 100 + CLICK_SLOP, clientY: 51, timeStamp: 30 }],
    ]),
    [],
  );
});

test('the secondary and middle buttons do not click, nor does a second button pressed meanwhile', () => {
  for (const button of [1, 2]) {
    assert.deepEqual(
      clicks([
        ['down', { button, buttons: button === 1 ? 4 : 2 }],
        ['up', { button, timeStamp: 30 }],
      ]),
      [],
    );
  }
  assert.deepEqual(
    clicks([
      ['down', {}],
      ['move', { buttons: 3, timeStamp: 10 }],
      ['move', { buttons: 1, timeStamp: 20 }],
      ['up', { timeStamp: 30 }],
    ]),
    [],
  );
});

test('a slow press is not a click', () => {
  assert.deepEqual(
    clicks([
      ['down', { timeStamp: 500 }],
      ['up', { timeStamp: 500 + CLICK_TIME + 1 }],
    ]),
    [],
  );
  assert.equal(
    clicks([
      ['down', { timeStamp: 500 }],
      ['up', { timeStamp: 500 + CLICK_TIME }],
    ]).length,
    1,
  );
});

test('a second pointer pressed during a press makes neither a click; a cancel ends the press', () => {
  assert.deepEqual(
    clicks([
      ['down', {}],
      ['down', { pointerId: 2, timeStamp: 10 }],
      ['up', { pointerId: 2, timeStamp: 20 }],
      ['up', { timeStamp: 30 }],
    ]),
    [],
  );
  assert.deepEqual(
    clicks([
      ['down', {}],
      ['cancel', {}],
      ['up', { timeStamp: 30 }],
    ]),
    [],
  );
});

test('every press starts afresh: a click after a drag, and after a release that never came', () => {
  assert.equal(
    clicks([
      ['down', {}],
      ['move', { clientX: 200, timeStamp: 10 }],
      ['up', { clientX: 200, timeStamp: 20 }],
      ['down', { timeStamp: 100 }],
      ['up', { timeStamp: 150 }],
      ['down', { timeStamp: 5000 }],
      ['down', { timeStamp: 9000 }],
      ['up', { timeStamp: 9100 }],
    ]).length,
    2,
  );
});
