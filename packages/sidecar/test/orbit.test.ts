import { test } from 'node:test';
import assert from 'node:assert/strict';
import { eye, fitOrbit, pan, rotate, zoom } from '../src/render/orbit.js';
import { applyInput } from '../src/render/interaction.js';
import type { PointerInput } from '@glstream/protocol';

const close = (a: number, b: number, tolerance = 1e-9) => assert.ok(Math.abs(a - b) < tolerance, `${a} != ${b}`);
const distance = (a: number[], b: number[]) => Math.hypot(...a.map((value, i) => value - b[i]!));

test('the fitted camera sees the whole bounding sphere', () => {
  const orbit = fitOrbit([1, 2, 3], 2, 45);
  close(distance(eye(orbit), [1, 2, 3]), orbit.radius);
  assert.ok(orbit.radius * Math.sin((45 * Math.PI) / 360) >= 2);
});

test('a drag across the full view height is one full turn', () => {
  const orbit = fitOrbit([0, 0, 0], 1);
  const turned = rotate(orbit, 500, 0, 500);
  close(turned.theta, orbit.theta - 2 * Math.PI);
  close(turned.phi, orbit.phi);
});

test('rotation never flips over the poles', () => {
  const orbit = fitOrbit([0, 0, 0], 1);
  assert.ok(rotate(orbit, 0, 10_000, 100).phi > 0);
  assert.ok(rotate(orbit, 0, -10_000, 100).phi < Math.PI);
});

test('wheel away zooms out, towards zooms in, and a notch is 10%', () => {
  const orbit = fitOrbit([0, 0, 0], 1);
  close(zoom(orbit, 100).radius, orbit.radius * 1.1);
  assert.ok(zoom(orbit, -100).radius < orbit.radius);
});

test('panning moves the target perpendicular to the view direction and keeps the distance', () => {
  const orbit = fitOrbit([0, 0, 0], 1);
  const moved = pan(orbit, 30, -20, 400);
  const view = eye(orbit).map((value, i) => value - orbit.target[i]!);
  const shift = moved.target.map((value, i) => value - orbit.target[i]!);
  close(
    shift.reduce((sum, value, i) => sum + value * view[i]!, 0),
    0,
    1e-9,
  );
  assert.ok(distance(moved.target, orbit.target) > 0);
  close(distance(eye(moved), moved.target), orbit.radius);
});

const pointer = (
  phase: PointerInput['phase'],
  x: number,
  y: number,
  extra: Partial<PointerInput> = {},
): PointerInput => ({
  type: 'pointer',
  phase,
  x,
  y,
  button: 0,
  buttons: phase === 'up' ? 0 : 1,
  seq: 1,
  t: 0,
  ctrl: false,
  shift: false,
  alt: false,
  meta: false,
  ...extra,
});

test('left drag orbits, right drag pans, release ends the drag', () => {
  const orbit = fitOrbit([0, 0, 0], 1);
  const down = applyInput(orbit, null, pointer('down', 10, 10), 300);
  assert.equal(down.changed, false);
  assert.equal(down.drag?.mode, 'orbit');
  const moved = applyInput(orbit, down.drag, pointer('move', 40, 10), 300);
  assert.equal(moved.changed, true);
  assert.notEqual(moved.orbit!.theta, orbit.theta);
  assert.deepEqual(moved.orbit!.target, orbit.target);
  const up = applyInput(moved.orbit!, moved.drag, pointer('up', 40, 10), 300);
  assert.equal(up.drag, null);

  const right = applyInput(orbit, null, pointer('down', 0, 0, { button: 2, buttons: 2 }), 300);
  assert.equal(right.drag?.mode, 'pan');
  const panned = applyInput(orbit, right.drag, pointer('move', 5, 5, { buttons: 2 }), 300);
  assert.notDeepEqual(panned.orbit!.target, orbit.target);
  assert.equal(panned.orbit!.theta, orbit.theta);
});

test('a move without buttons held does not move the camera', () => {
  const orbit = fitOrbit([0, 0, 0], 1);
  const result = applyInput(orbit, { x: 0, y: 0, mode: 'orbit' }, pointer('move', 50, 50, { buttons: 0 }), 300);
  assert.equal(result.changed, false);
  assert.equal(result.drag, null);
});

test('the r key asks for a camera reset', () => {
  const orbit = fitOrbit([0, 0, 0], 1);
  const result = applyInput(
    orbit,
    null,
    { type: 'key', key: 'r', seq: 1, t: 0, ctrl: false, shift: false, alt: false, meta: false },
    300,
  );
  assert.equal(result.orbit, null);
  assert.equal(result.changed, true);
});
