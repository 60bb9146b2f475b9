import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InputError } from '../src/errors.js';
import { cameraParams, cameraState, orbitFrom } from '../src/render/camera.js';
import { CameraLinks, type Linkable } from '../src/render/camera-link.js';
import { basis, eye, fitOrbit, type Orbit, type Vec3 } from '../src/render/orbit.js';

// Equal within `relative` of the vectors' size (at least 1).
function near(actual: readonly number[], expected: readonly number[], relative = 1e-9): void {
  const scale = Math.max(1, Math.hypot(...expected));
  const gap = Math.hypot(...actual.map((value, i) => value - expected[i]!));
  assert.ok(gap <= relative * scale, `${JSON.stringify(actual)} != ${JSON.stringify(expected)}`);
}

const ups: Vec3[] = [
  [0, 1, 0],
  [0, 0, 1],
  [1, 0, 0],
  [0, -1, 0],
  [1e-5, -1, 2e-5],
  [1, 2, 3],
];

test('an orbit survives the trip to the camera state and back', () => {
  for (let i = 0; i < 300; i += 1) {
    const orbit: Orbit = {
      target: [Math.sin(i) * 1e3, Math.cos(i * 3) * 5, i * 0.25 - 30],
      radius: 1e-3 * 1.07 ** i,
      theta: i * 0.7 - 50,
      phi: 1e-4 + (i / 300) * (Math.PI - 2e-4),
      fov: 10 + (i % 150),
      up: basis(ups[i % ups.length]!).up,
    };
    const state = cameraState(orbit);
    const back = orbitFrom(state, fitOrbit([0, 0, 0], 1));
    near(eye(back), state.position);
    near(back.target, orbit.target);
    near(back.up, orbit.up);
    assert.equal(back.fov, orbit.fov);
    near(cameraState(back).position, state.position);
  }
});

test('the camera state of a fitted orbit says where the camera is', () => {
  const orbit = fitOrbit([1, 2, 3], 2, 30);
  const state = cameraState(orbit);
  assert.deepEqual(state.position, eye(orbit));
  assert.deepEqual(state.target, [1, 2, 3]);
  assert.deepEqual(state.up, [0, 1, 0]);
  assert.equal(state.fov, 30);
  state.target[0] = 99;
  assert.deepEqual(orbit.target, [1, 2, 3]);
});

test('a position alone moves the camera and keeps target, up and fov', () => {
  const current = fitOrbit([1, 1, 1], 2, 40);
  const moved = orbitFrom({ position: [1, 1, 5] }, current);
  near(eye(moved), [1, 1, 5]);
  assert.deepEqual(moved.target, [1, 1, 1]);
  assert.deepEqual(moved.up, [0, 1, 0]);
  assert.equal(moved.fov, 40);
  assert.equal(moved.radius, 4);
});

test('a target alone carries the camera along at the same distance and direction', () => {
  const current = fitOrbit([0, 0, 0], 1);
  const moved = orbitFrom({ target: [10, -2, 3] }, current);
  near(
    eye(moved),
    eye(current).map((value, i) => value + [10, -2, 3][i]!),
  );
  near([moved.radius], [current.radius]);
});

test('a new up keeps the camera in place and only turns the picture', () => {
  const current = fitOrbit([0, 0, 0], 1);
  const turned = orbitFrom({ up: [0, 0, 5] }, current);
  near(eye(turned), eye(current));
  assert.deepEqual(turned.up, [0, 0, 1]);
  assert.equal(turned.fov, current.fov);
});

test('an up at a slant to the view is its own axis; only the part across the view shows', () => {
  const state = orbitFrom({ position: [0, 0, 4], target: [0, 0, 0], up: [0, 1, 1] }, fitOrbit([0, 0, 0], 1));
  near(eye(state), [0, 0, 4]);
  near(state.up, [0, Math.SQRT1_2, Math.SQRT1_2]);
  // The camera sits 45 degrees from the axis: the part of up across the view is y.
  near([state.phi], [Math.PI / 4]);
});

test('an fov alone changes only the fov', () => {
  const current = fitOrbit([0, 0, 0], 1);
  const wide = orbitFrom({ fov: 90 }, current);
  assert.equal(wide.fov, 90);
  near(eye(wide), eye(current));
});

test('impossible cameras are refused with what to change', () => {
  const current = fitOrbit([0, 0, 0], 1);
  const refused = (state: Parameters<typeof orbitFrom>[0], pattern: RegExp) =>
    assert.throws(
      () => orbitFrom(state, current),
      (error: unknown) =>
        error instanceof InputError && error.code === 'invalid_argument' && pattern.test(error.message),
    );
  refused({ position: [1, 2, 3], target: [1, 2, 3] }, /"position" equals its "target"/);
  refused({ position: [0, 5, 0], target: [0, 0, 0] }, /"up" \[0,1,0\] is parallel to the view direction/);
  refused({ position: [0, 0, 3], up: [0, 0, -2] }, /parallel/);
  refused({ up: [0, 0, 0] }, /"up" must not be the zero vector/);
  for (const fov of [0, 180, -5, 200, Number.NaN]) refused({ fov }, /"fov" must be between 0 and 180/);
  assert.doesNotThrow(() => orbitFrom({ fov: 179.9 }, current));
});

test('set_camera params: vectors of three finite numbers and a numeric fov, each optional', () => {
  assert.deepEqual(cameraParams({ view: 'v1' }), {});
  assert.deepEqual(cameraParams({ view: 'v1', position: [1, 2, 3], target: [0, 0, 0], up: [0, 0, 1], fov: 30 }), {
    position: [1, 2, 3],
    target: [0, 0, 0],
    up: [0, 0, 1],
    fov: 30,
  });
  const refused = (params: Record<string, unknown>, code: string, pattern: RegExp) =>
    assert.throws(
      () => cameraParams(params),
      (error: unknown) => error instanceof InputError && error.code === code && pattern.test(error.message),
    );
  refused({ position: 'far' }, 'invalid_type', /"position" must be a list of three numbers/);
  refused({ target: [1, 2, '3'] }, 'invalid_type', /"target" must be a list of three numbers/);
  refused({ up: null }, 'invalid_type', /"up" must be a list of three numbers/);
  refused({ up: [0, 1] }, 'invalid_argument', /"up" must be three finite numbers/);
  refused({ position: [0, Number.POSITIVE_INFINITY, 1] }, 'invalid_argument', /got \[0, Infinity, 1\]/);
  refused({ fov: '45' }, 'invalid_type', /"fov" must be a number/);
});

// A view stand-in: its orbit, and every orbit it was told to follow.
class Member implements Linkable {
  orbit: Orbit;
  readonly followed: Orbit[] = [];

  constructor(x: number) {
    this.orbit = fitOrbit([x, 0, 0], 1);
  }

  follow(orbit: Orbit): void {
    this.orbit = orbit;
    this.followed.push(orbit);
  }
}

// The user moves `member`'s camera: it takes the orbit and tells the links.
function drag(links: CameraLinks, member: Member, orbit: Orbit): void {
  member.orbit = orbit;
  links.moved(member, orbit);
}

test("linked cameras all take the first one's camera and then move together", () => {
  const links = new CameraLinks();
  const [a, b, c, alone] = [new Member(1), new Member(2), new Member(3), new Member(4)];
  links.link([b, a, c]);
  assert.equal(a.orbit, b.orbit);
  assert.equal(c.orbit, b.orbit);
  assert.equal(b.followed.length, 0);
  const moved = fitOrbit([9, 9, 9], 2);
  drag(links, a, moved);
  assert.equal(b.orbit, moved);
  assert.equal(c.orbit, moved);
  assert.equal(a.followed.length, 1);
  drag(links, alone, fitOrbit([5, 5, 5], 1));
  assert.equal(alone.followed.length, 0);
  assert.equal(a.orbit, moved);
});

test('linking members of two groups merges the groups', () => {
  const links = new CameraLinks();
  const [a, b, c, d] = [new Member(1), new Member(2), new Member(3), new Member(4)];
  links.link([a, b]);
  links.link([c, d]);
  links.link([d, b]);
  for (const member of [a, b, c]) assert.equal(member.orbit, d.orbit);
  const moved = fitOrbit([7, 0, 0], 1);
  drag(links, a, moved);
  for (const member of [b, c, d]) assert.equal(member.orbit, moved);
});

test('an unlinked (or closed) member stops moving with its group, and a group of one dissolves', () => {
  const links = new CameraLinks();
  const [a, b, c] = [new Member(1), new Member(2), new Member(3)];
  links.link([a, b, c]);
  links.unlink(b);
  const moved = fitOrbit([7, 0, 0], 1);
  drag(links, a, moved);
  assert.equal(c.orbit, moved);
  assert.notEqual(b.orbit, moved);
  drag(links, b, fitOrbit([8, 0, 0], 1));
  assert.equal(a.orbit, moved);
  links.unlink(c);
  drag(links, a, fitOrbit([6, 0, 0], 1));
  assert.equal(c.orbit, moved);
  links.unlink(a);
  links.unlink(a);
});

test('linking one member alone links nothing', () => {
  const links = new CameraLinks();
  const [a, b] = [new Member(1), new Member(2)];
  links.link([a]);
  links.link([]);
  drag(links, a, fitOrbit([7, 0, 0], 1));
  assert.equal(b.followed.length, 0);
  assert.equal(a.followed.length, 0);
});
