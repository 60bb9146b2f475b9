import { test } from 'node:test';
import assert from 'node:assert/strict';
import { basis, dot, eye, fitOrbit, type Orbit, pan, rotate, zoom } from '../src/render/orbit.js';
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

// The y-up formulas from before orbits had an up vector: y-up orbits must give exactly these numbers.
function yUpEye(orbit: Orbit): number[] {
  const [x, y, z] = orbit.target;
  const s = Math.sin(orbit.phi);
  return [
    x + orbit.radius * s * Math.sin(orbit.theta),
    y + orbit.radius * Math.cos(orbit.phi),
    z + orbit.radius * s * Math.cos(orbit.theta),
  ];
}

function yUpPan(orbit: Orbit, dx: number, dy: number, viewHeight: number): number[] {
  const perPixel = (2 * orbit.radius * Math.tan((orbit.fov * Math.PI) / 360)) / Math.max(viewHeight, 1);
  const right = [Math.cos(orbit.theta), 0, -Math.sin(orbit.theta)];
  const c = Math.cos(orbit.phi);
  const up = [-c * Math.sin(orbit.theta), Math.sin(orbit.phi), -c * Math.cos(orbit.theta)];
  return orbit.target.map((value, i) => value - dx * perPixel * right[i]! + dy * perPixel * up[i]!);
}

test('y-up orbits keep exactly the eye and pan of the y-up formulas', () => {
  for (let i = 0; i < 200; i += 1) {
    const orbit: Orbit = {
      target: [Math.sin(i) * 10, Math.cos(i * 3) * 5, i - 100],
      radius: 0.5 + i,
      theta: i * 0.7 - 50,
      phi: 0.001 + (i / 200) * 3.1,
      fov: 20 + (i % 60),
      up: [0, 1, 0],
    };
    assert.deepEqual(eye(orbit), yUpEye(orbit));
    assert.deepEqual(pan(orbit, i - 37, 11 - i, 480).target, yUpPan(orbit, i - 37, 11 - i, 480));
  }
  assert.deepEqual(fitOrbit([1, 2, 3], 2).up, [0, 1, 0]);
});

test('the frame of any up is orthonormal and right-handed, and y up is x, y, z', () => {
  assert.deepEqual(
    basis([0, 1, 0]).side.map((v) => v + 0),
    [1, 0, 0],
  );
  assert.deepEqual(
    basis([0, 1, 0]).front.map((v) => v + 0),
    [0, 0, 1],
  );
  const ups: [number, number, number][] = [
    [0, 0, 1],
    [1, 0, 0],
    [0, -1, 0],
    [1e-9, -1, 0],
    [1e-5, -1, 2e-5],
    [1, 2, 3],
    [-3, 0.5, -0.2],
  ];
  for (const up of ups) {
    const { side, up: u, front } = basis(up);
    for (const [a, b] of [
      [side, u],
      [u, front],
      [front, side],
    ] as const) {
      close(dot(a, b), 0, 1e-12);
    }
    for (const v of [side, u, front]) close(Math.hypot(...v), 1, 1e-12);
    close(dot(u, up) / Math.hypot(...up), 1, 1e-12);
    // side x up = front, as x x y = z.
    const c = [side[1] * u[2] - side[2] * u[1], side[2] * u[0] - side[0] * u[2], side[0] * u[1] - side[1] * u[0]];
    for (let i = 0; i < 3; i += 1) close(c[i]!, front[i]!, 1e-12);
  }
  assert.deepEqual(
    basis([0, 0, 1]).side.map((v) => v + 0),
    [1, 0, 0],
  );
});

test('with z up the fitted camera looks down at the target from the same angle as with y up', () => {
  const yUp = fitOrbit([1, 2, 3], 2);
  const zUp = fitOrbit([1, 2, 3], 2, 45, [0, 0, 1]);
  const height = (orbit: Orbit) => dot(eye(orbit).map((v, i) => v - orbit.target[i]!) as Orbit['up'], orbit.up);
  close(height(zUp), height(yUp));
  close(distance(eye(zUp), zUp.target), yUp.radius);
  assert.ok(height(zUp) > 0);
});

test('with z up a sideways drag turns about z and a downward drag raises the camera along z', () => {
  const orbit = fitOrbit([0, 0, 0], 1, 45, [0, 0, 1]);
  const turned = eye(rotate(orbit, 120, 0, 500));
  close(turned[2], eye(orbit)[2]);
  close(Math.hypot(turned[0], turned[1]), Math.hypot(eye(orbit)[0], eye(orbit)[1]));
  assert.ok(eye(rotate(orbit, 0, 40, 500))[2] > eye(orbit)[2]);
});

test('with a slanted up, panning stays in the view plane and keeps the distance', () => {
  const orbit = { ...fitOrbit([1, -2, 0.5], 3, 30), up: basis([1, 2, 3]).up };
  const moved = pan(orbit, -25, 40, 300);
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

test('with z up a sideways left drag turns about z', () => {
  const orbit = fitOrbit([0, 0, 0], 1, 45, [0, 0, 1]);
  const down = applyInput(orbit, null, pointer('down', 10, 10), 300);
  const moved = applyInput(orbit, down.drag, pointer('move', 70, 10), 300);
  close(eye(moved.orbit!)[2], eye(orbit)[2]);
  assert.notDeepEqual(eye(moved.orbit!), eye(orbit));
  assert.deepEqual(moved.orbit!.up, [0, 0, 1]);
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
