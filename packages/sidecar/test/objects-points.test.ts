// Point clouds: checks of their input, picks against known positions, and discs drawn on a real headless-gl
// context at the right size in device pixels.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ArrayInput } from '../src/render/objects/arrays.js';
import { PointCloud } from '../src/render/objects/points.js';
import { code, drawnScenes, input, onScreen, query, run, SIDE, view } from './object-scenes.js';

const RED = [255, 0, 0];

const LUT = new Uint8Array(256 * 3);
for (let i = 0; i < 256; i += 1) LUT.set([i, 255 - i, 40], i * 3);

const points = (...xyz: number[]) => [new Float32Array(xyz), [xyz.length / 3, 3]] as [Float32Array, number[]];

describe('point cloud input', () => {
  test('bad input is refused with a message naming it', () => {
    const lut: [Uint8Array, number[]] = [LUT, [256, 3]];
    const bad: [Record<string, unknown>, ArrayInput, string, RegExp][] = [
      [{}, input({}), 'protocol', /needs the array "points"/],
      [{}, input({ points: [new Float32Array(6), [3, 2]] }), 'invalid_argument', /points has shape \(3, 2\)/],
      [{}, input({ points: points(0, 0, Number.NaN) }), 'invalid_argument', /points row 0 is not finite/],
      [{ size: 0 }, input({ points: points(0, 0, 0) }), 'invalid_argument', /"size" must be more than 0/],
      [{ size: 256 }, input({ points: points(0, 0, 0) }), 'invalid_argument', /"size" must be a number from 0 to 255/],
      [{ size: '4' }, input({ points: points(0, 0, 0) }), 'invalid_type', /"size"/],
      [{ color: '#12345' }, input({ points: points(0, 0, 0) }), 'invalid_type', /"color"/],
      [
        { clim: [0, 1] },
        input({ points: points(0, 0, 0), scalars: [new Float32Array(2), [2]], lut }),
        'invalid_argument',
        /scalars has 2 values, but 1 points take one value each/,
      ],
      [{}, input({ points: points(0, 0, 0), scalars: [new Float32Array(1), [1]], lut }), 'protocol', /"clim"/],
      [
        { clim: [2, 1] },
        input({ points: points(0, 0, 0), scalars: [new Float32Array(1), [1]], lut }),
        'invalid_argument',
        /"clim" must be \[low, high\] with low < high/,
      ],
    ];
    for (const [style, arrays, expected, message] of bad) {
      assert.throws(() => new PointCloud(style, arrays), code(expected, message));
    }
  });

  test('a failed update changes nothing', () => {
    const cloud = new PointCloud({ size: 4 }, input({ points: points(0, 0, 0, 2, 0, 0) }));
    assert.throws(() => cloud.update({ size: -1 }, input({ points: points(1, 1, 1, 3, 3, 3) })), /"size"/);
    assert.deepEqual(cloud.bounds().max.toArray(), [2, 0, 0]);
    assert.throws(() => cloud.update({}, input({ points: points(1, 1, Number.POSITIVE_INFINITY) })), /not finite/);
    assert.deepEqual(cloud.bounds().max.toArray(), [2, 0, 0]);
    cloud.dispose();
  });
});

describe('point cloud picks', () => {
  const scene = view();

  test('the point under the pixel, its index, position and scalar; a miss is null', () => {
    const cloud = new PointCloud(
      { size: 10, clim: [0, 1] },
      input({ points: points(0, 0, 0, 2, 1, 0), scalars: [new Float32Array([0.25, 0.75]), [2]], lut: [LUT, [256, 3]] }),
    );
    const [x, y] = onScreen(scene, [2, 1, 0]);
    const { distance, ...hit } = cloud.pick(query(scene, x + 4, y - 2))!;
    assert.deepEqual(hit, { index: 1, vertex: 1, position: [2, 1, 0], value: 0.75 });
    assert.ok(distance > 10 && distance < 10.5, `distance ${distance}`);
    assert.equal(cloud.pick(query(scene, x + 6, y))?.index, undefined, 'a 10 px point is 5 px from its centre');
    assert.equal(cloud.pick(query(scene, SIDE / 2, SIDE / 2))?.index, 0);
    assert.equal(cloud.pick(query(scene, 10, 10)), null);
    cloud.dispose();
  });

  test('small points take clicks 3 CSS px away; the nearest of two points on one pixel wins', () => {
    const cloud = new PointCloud({ size: 1 }, input({ points: points(0, 0, 0, 0, 0, 2) }));
    const hit = cloud.pick(query(scene, SIDE / 2 + 2.5, SIDE / 2));
    assert.equal(hit?.index, 1);
    assert.equal(hit?.value, null);
    assert.ok(Math.abs(hit!.distance - 8) < 1e-3, `distance ${hit!.distance}`);
    assert.equal(cloud.pick(query(scene, SIDE / 2 + 3.5, SIDE / 2)), null);
    cloud.dispose();
  });

  test('updates move the points, resize the cloud and change the pick radius', () => {
    const cloud = new PointCloud({ size: 4 }, input({ points: points(0, 0, 0) }));
    cloud.update({}, input({ points: points(2, 1, 0) }));
    const [x, y] = onScreen(scene, [2, 1, 0]);
    assert.equal(cloud.pick(query(scene, x, y))?.index, 0);
    assert.equal(cloud.pick(query(scene, SIDE / 2, SIDE / 2)), null);
    cloud.update(
      { clim: [0, 1] },
      input({ points: points(0, 0, 0, 2, 1, 0), scalars: [new Float32Array([5, 6]), [2]], lut: [LUT, [256, 3]] }),
    );
    assert.equal(cloud.pick(query(scene, x, y))?.value, 6);
    assert.deepEqual(cloud.colorScale()?.clim, [0, 1]);
    assert.equal(cloud.pick(query(scene, x + 8, y)), null);
    cloud.update({ size: 20 }, input({}));
    assert.equal(cloud.pick(query(scene, x + 8, y))?.index, 1);
    assert.throws(() => cloud.update({}, input({ points: points(1, 1, 1) })), /send new scalars/);
    cloud.dispose();
  });
});

describe('point clouds drawn', () => {
  const draw = drawnScenes();

  test('a point of size s is a disc s device pixels across at pixel scale 1 and 2s at scale 2', async () => {
    const scene = view();
    const cloud = new PointCloud({ size: 16, color: '#ff0000' }, input({ points: points(0, 0, 0) }));
    scene.show('o1', 'cloud', cloud);
    scene.orbit = { target: [0, 0, 0], radius: 10, theta: 0, phi: Math.PI / 2, fov: 45, up: [0, 1, 0] };
    for (const scale of [1, 2]) {
      const read = await draw(scene, scale, `points-${scale}x`);
      const side = SIDE * scale;
      const centre = side / 2;
      const across = run(read, side, centre, RED);
      const down = run(read, side, centre, RED, true);
      assert.ok(Math.abs(across - 16 * scale) <= 1, `across ${across} at scale ${scale}`);
      assert.ok(Math.abs(down - 16 * scale) <= 1, `down ${down} at scale ${scale}`);
      // Round, not square: the disc's corner box is background.
      assert.deepEqual(read(centre - 7 * scale, centre - 7 * scale), [0, 0, 0]);
      assert.deepEqual(read(0, 0), [0, 0, 0]);
    }
    scene.dispose();
    cloud.dispose();
  });

  test('points coloured by scalars show the table entries; updates recolour and resize them', async () => {
    const scene = view();
    const cloud = new PointCloud(
      { size: 12, clim: [0, 1] },
      input({ points: points(-2, 0, 0, 2, 0, 0), scalars: [new Float32Array([0, 1]), [2]], lut: [LUT, [256, 3]] }),
    );
    scene.show('o1', 'cloud', cloud);
    scene.orbit = { target: [0, 0, 0], radius: 10, theta: 0, phi: Math.PI / 2, fov: 45, up: [0, 1, 0] };
    const [leftX, leftY] = onScreen(scene, [-2, 0, 0]).map(Math.floor) as [number, number];
    const [rightX, rightY] = onScreen(scene, [2, 0, 0]).map(Math.floor) as [number, number];
    let read = await draw(scene, 1, 'points-scalars');
    assert.deepEqual(read(leftX, leftY), [0, 255, 40]);
    assert.deepEqual(read(rightX, rightY), [255, 0, 40]);
    cloud.update({ clim: [-1, 0], size: 4 }, input({}));
    read = await draw(scene, 1, 'points-scalars-updated');
    assert.deepEqual(read(leftX, leftY), [255, 0, 40]);
    assert.deepEqual(read(leftX + 4, leftY), [0, 0, 0]);
    scene.dispose();
    cloud.dispose();
  });

  test('a big cloud draws every k-th point during drags, and all of them otherwise', async () => {
    const count = 200_000;
    const xyz = new Float32Array(count * 3);
    // Point 1 alone is away from the origin; the stand-in takes every second point, so not it.
    xyz[3] = 2;
    const cloud = new PointCloud({ size: 8, color: '#ff0000' }, input({ points: [xyz, [count, 3]] }));
    const scene = view();
    scene.show('o1', 'cloud', cloud);
    assert.equal(scene.hasStandIns, true);
    const [x, y] = onScreen(scene, [2, 0, 0]).map(Math.floor) as [number, number];
    let read = await draw(scene, 1, 'points-stand-in', true);
    assert.deepEqual(read(SIDE / 2, SIDE / 2), RED);
    assert.deepEqual(read(x, y), [0, 0, 0]);
    read = await draw(scene, 1, 'points-full');
    assert.deepEqual(read(x, y), RED);
    assert.equal(cloud.pick(query(scene, x, y))?.index, 1, 'picks use every point');
    scene.dispose();
    cloud.dispose();
    const small = new PointCloud({}, input({ points: points(0, 0, 0) }));
    assert.equal(small.node().hasStandIn, false);
    small.dispose();
  });
});
