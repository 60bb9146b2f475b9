// Volume slices: checks of their input, picks of voxels against known planes, and slices of ramp volumes drawn on
// a real headless-gl context with the table's bytes where the voxels are.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as THREE from 'three';
import type { ArrayInput } from '../src/render/objects/arrays.js';
import type { Hit, PickQuery } from '../src/render/objects/scene-object.js';
import { VolumeSlices } from '../src/render/objects/slices.js';
import type { Orbit } from '../src/render/orbit.js';
import { SceneView } from '../src/render/view.js';
import { code, drawnScenes, type Entry, input, SIDE } from './object-scenes.js';

// (Z, Y, X)
const SHAPE = [3, 8, 8] as const;

const GRAY = new Uint8Array(256 * 3);
for (let i = 0; i < 256; i += 1) GRAY.fill(i, i * 3, i * 3 + 3);

// A volume of SHAPE whose voxel [z, y, x] holds value(z, y, x).
function volume(value: (z: number, y: number, x: number) => number, shape: readonly number[] = SHAPE): Entry {
  const [zs, ys, xs] = shape as [number, number, number];
  const data = new Float32Array(zs * ys * xs);
  for (let z = 0; z < zs; z += 1)
    for (let y = 0; y < ys; y += 1) for (let x = 0; x < xs; x += 1) data[(z * ys + y) * xs + x] = value(z, y, x);
  return [data, [zs, ys, xs]];
}

const lut: Entry = [GRAY, [256, 3]];
const RAMP_X = volume((_z, _y, x) => x);

// A ray from `from` along `direction`, with a camera the slices do not look at.
function ray(from: [number, number, number], direction: [number, number, number]): PickQuery {
  const camera = new THREE.PerspectiveCamera();
  return {
    x: 0,
    y: 0,
    width: SIDE,
    height: SIDE,
    ray: new THREE.Ray(new THREE.Vector3(...from), new THREE.Vector3(...direction).normalize()),
    camera,
  };
}

describe('volume slice input', () => {
  test('bad input is refused with a message naming it', () => {
    const ok = { clim: [0, 7] };
    const bad: [Record<string, unknown>, ArrayInput, string, RegExp][] = [
      [
        ok,
        input({ volume: [new Float32Array(64), [8, 8]], lut }),
        'invalid_argument',
        /volume has shape \(8, 8\); it must be three-dimensional/,
      ],
      [ok, input({ volume: [new Float32Array(0), [0, 8, 8]], lut }), 'invalid_argument', /at least 1/],
      [ok, input({ volume: [new Uint8Array(192), [3, 8, 8]], lut }), 'invalid_argument', /must be sent as float32/],
      [ok, input({ volume: [new Float32Array(0), [2, 0, 8]], lut }), 'invalid_argument', /at least 1/],
      [ok, input({ volume: volume(() => Number.NaN), lut }), 'invalid_argument', /volume row 0 is not finite/],
      [ok, input({ volume: RAMP_X }), 'protocol', /"lut"/],
      [{}, input({ volume: RAMP_X, lut }), 'protocol', /"clim"/],
      [{ clim: [7, 0] }, input({ volume: RAMP_X, lut }), 'invalid_argument', /"clim"/],
      [{ ...ok, index: [3, 0, 0] }, input({ volume: RAMP_X, lut }), 'out_of_range', /outside the volume/],
      [{ ...ok, index: [0, -1, 0] }, input({ volume: RAMP_X, lut }), 'out_of_range', /along axis 1/],
      [{ ...ok, index: [0, 0.5, 0] }, input({ volume: RAMP_X, lut }), 'invalid_type', /whole numbers/],
      [{ ...ok, spacing: [1, 0, 1] }, input({ volume: RAMP_X, lut }), 'invalid_argument', /"spacing"/],
      [{ ...ok, origin: [0, 0] }, input({ volume: RAMP_X, lut }), 'invalid_type', /"origin"/],
    ];
    for (const [style, arrays, expected, message] of bad) {
      assert.throws(() => new VolumeSlices(style, arrays), code(expected, message));
    }
  });

  test('the bounds span half a voxel beyond the first and last centres; a failed update changes nothing', () => {
    const slices = new VolumeSlices(
      { clim: [0, 7], spacing: [2, 1, 0.5], origin: [10, 20, 30] },
      input({ volume: RAMP_X, lut }),
    );
    const box = slices.bounds();
    assert.deepEqual(box.min.toArray(), [29.75, 19.5, 9]);
    assert.deepEqual(box.max.toArray(), [33.75, 27.5, 15]);
    assert.throws(
      () => slices.update({ index: [0, 0, 0] }, input({ volume: volume(() => 0, [3, 8, 7]) })),
      /same shape/,
    );
    assert.throws(() => slices.update({ index: [9, 0, 0], clim: [0, 1] }, input({})), /outside/);
    assert.deepEqual(slices.colorScale(), { lut: GRAY, clim: [0, 7] });
    assert.deepEqual(slices.pick(ray([31, 21, 100], [0, 0, -1]))?.index, [1, 1, 2]);
    slices.dispose();
  });
});

describe('volume slice picks', () => {
  const slices = new VolumeSlices({ clim: [0, 7] }, input({ volume: volume((z, y, x) => z * 100 + y * 10 + x), lut }));

  test('a ray straight down meets the axial slice: the voxel, its value and where', () => {
    const hit = slices.pick(ray([2.2, 5.9, 10], [0, 0, -1]));
    assert.deepEqual(hit, { index: [1, 6, 2], vertex: null, position: [2.2, 5.9, 1], value: 162, distance: 9 });
  });

  test('a ray along -x meets the sagittal slice at the centre index; parallel slices are not hit', () => {
    const hit = slices.pick(ray([20, 1, 0.2], [-1, 0, 0]));
    assert.deepEqual(hit, { index: [0, 1, 4], vertex: null, position: [4, 1, 0.2], value: 14, distance: 16 });
  });

  test('of two slices on the ray the nearer wins; outside a slice is a miss', () => {
    const first = (z: number) => slices.pick(ray([10, 2, z], [-1, 0, -1]))!;
    // Axial (z = 1) at x = 4.2 comes before sagittal (x = 4) at z = 0.8.
    assert.deepEqual(first(6.8).index, [1, 2, 4]);
    assert.ok(Math.abs(first(6.8).position[0] - 4.2) < 1e-9);
    // Sagittal at z = 1.2 comes before axial at x = 3.8.
    assert.deepEqual(first(7.2).index, [1, 2, 4]);
    assert.ok(Math.abs(first(7.2).position[0] - 4) < 1e-9);
    // The sagittal slice ends at z = 2.5, so the ray passes over it and meets the axial one at x = 1.
    assert.deepEqual(first(10).index, [1, 2, 1]);
    assert.equal(slices.pick(ray([20, 1, 20], [1, 0, 1])), null);
    assert.equal(slices.pick(ray([3, 3, 10], [0, 0, 1])), null, 'behind the ray');
  });

  test('updates of the index move the slices the picks meet; an update of the volume changes the values', () => {
    slices.update({ index: [2, 4, 7] }, input({}));
    const hit: Hit = slices.pick(ray([2.2, 5.9, 10], [0, 0, -1]))!;
    assert.deepEqual([hit.index, hit.value, hit.distance], [[2, 6, 2], 262, 8]);
    assert.deepEqual(slices.pick(ray([20, 1, 0.2], [-1, 0, 0]))?.index, [0, 1, 7]);
    slices.update({}, input({ volume: volume((z, y, x) => -(z * 100 + y * 10 + x)) }));
    assert.equal(slices.pick(ray([20, 1, 0.2], [-1, 0, 0]))?.value, -17);
  });
});

describe('volume slices drawn', () => {
  const drawn = drawnScenes();

  // Draw `slices` SIDE x SIDE from `orbit`, save it as /tmp/objects-<name>.png, and return readers of the gray
  // level at a world point (where it lands on screen) and of the gray levels left to right along the row there
  // (the background left out).
  async function draw(slices: VolumeSlices, orbit: Orbit, name: string) {
    const scene = new SceneView('#ff00ff');
    scene.show('o1', 'slices', slices);
    scene.orbit = orbit;
    const read = await drawn(scene, 1, name);
    scene.dispose();
    // Pixel rows counted from the bottom.
    const screen = (point: [number, number, number]) => {
      const ndc = new THREE.Vector3(...point).project(scene.camera);
      return [Math.floor(((ndc.x + 1) / 2) * SIDE), Math.floor(((1 + ndc.y) / 2) * SIDE)] as const;
    };
    const grayAt = (x: number, y: number) => {
      const [r, g, b] = read(x, SIDE - 1 - y);
      return r === g && g === b ? r! : null;
    };
    return {
      gray(point: [number, number, number]) {
        const level = grayAt(...screen(point));
        assert.ok(level !== null, `gray at ${point}`);
        return level;
      },
      row(point: [number, number, number]) {
        const y = screen(point)[1];
        const levels = Array.from({ length: SIDE }, (_, x) => grayAt(x, y));
        return levels.filter((level) => level !== null);
      },
    };
  }

  const ascending = (levels: number[]) => levels.every((level, i) => i === 0 || level >= levels[i - 1]!);

  // The table entry of each integer value 0..7 over clim [0, 7]: 256 bins of equal width.
  const level = (value: number) => Math.min(255, Math.floor((value / 7) * 256));

  test('a ramp along x: the axial slice seen from above brightens left to right, voxel by voxel', async () => {
    const slices = new VolumeSlices({ clim: [0, 7], index: [1, 4, 4] }, input({ volume: RAMP_X, lut }));
    const above: Orbit = { target: [3.5, 3.5, 1], radius: 12, theta: 0, phi: Math.PI / 2, fov: 45, up: [0, 1, 0] };
    const { gray, row } = await draw(slices, above, 'slices-axial');
    const levels = row([0, 1, 1]);
    assert.ok(levels.length > SIDE / 2 && ascending(levels), `${levels}`);
    const seen = [0, 1, 2, 3, 5, 6, 7].map((x) => gray([x, 1, 1]));
    assert.deepEqual(
      seen,
      [0, 1, 2, 3, 5, 6, 7].map((x) => level(x)),
    );
    slices.dispose();
  });

  test('a ramp along z: the sagittal slice seen from +x darkens left to right (screen right is -z)', async () => {
    const slices = new VolumeSlices(
      { clim: [0, 7], index: [0, 0, 3] },
      input({ volume: volume((z) => z, [8, 4, 4]), lut }),
    );
    const side: Orbit = {
      target: [3, 1.5, 3.5],
      radius: 14,
      theta: Math.PI / 2,
      phi: Math.PI / 2,
      fov: 45,
      up: [0, 1, 0],
    };
    const { gray, row } = await draw(slices, side, 'slices-sagittal');
    const levels = row([3, 2, 0]);
    assert.ok(levels.length > SIDE / 3 && ascending(levels.reverse()), `${levels}`);
    const seen = [0, 1, 2, 3, 4, 5, 6, 7].map((z) => gray([3, 2, z]));
    assert.deepEqual(
      seen,
      [0, 1, 2, 3, 4, 5, 6, 7].map((z) => level(z)),
    );
    slices.update({ clim: [3, 4] }, input({}));
    const clipped = (await draw(slices, side, 'slices-sagittal-clim')).gray;
    assert.deepEqual(
      [0, 3, 4, 7].map((z) => clipped([3, 2, z])),
      [0, 0, 255, 255],
    );
    slices.dispose();
  });

  test('the slices of a three-quarter view show all three planes, updated when the index moves', async () => {
    const weights = (z: number, y: number, x: number) => 16 * z + 4 * y + x;
    const slices = new VolumeSlices({ clim: [0, 105] }, input({ volume: volume(weights, [6, 6, 6]), lut }));
    const scene = new SceneView('#ff00ff');
    scene.show('o1', 'slices', slices);
    scene.resetCamera();
    const orbit = scene.orbit;
    scene.dispose();
    const expected = (z: number, y: number, x: number) => Math.min(255, Math.floor((weights(z, y, x) / 105) * 256));
    const { gray } = await draw(slices, orbit, 'slices-three');
    // The camera looks from +x, +y, +z: voxels of the axial (z = 3), coronal (y = 3) and sagittal (x = 3) slices
    // on the side it sees, at world (x, y, z).
    assert.equal(gray([5, 4, 3]), expected(3, 4, 5));
    assert.equal(gray([4, 3, 5]), expected(5, 3, 4));
    assert.equal(gray([3, 5, 4]), expected(4, 5, 3));
    slices.update({ index: [5, 3, 3] }, input({}));
    const moved = (await draw(slices, orbit, 'slices-three-moved')).gray;
    assert.equal(moved([5, 4, 5]), expected(5, 4, 5));
    slices.dispose();
  });
});
