// Line sets: checks of their input, picks against known segments, and bands drawn on a real headless-gl context
// as wide as asked in device pixels.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ArrayInput } from '../src/render/objects/arrays.js';
import { LineSet } from '../src/render/objects/lines.js';
import { code, drawnScenes, type Entry, input, onScreen, query, run, SIDE, view } from './object-scenes.js';

const GREEN = [0, 255, 0];

const LUT = new Uint8Array(256 * 3);
for (let i = 0; i < 256; i += 1) LUT.set([i, 255 - i, 40], i * 3);

const vertices = (...xyz: number[]): Entry => [new Float32Array(xyz), [xyz.length / 3, 3]];
const segments = (...pairs: number[]): Entry => [new Uint32Array(pairs), [pairs.length / 2, 2]];
const scalars = (...values: number[]): Entry => [new Float32Array(values), [values.length]];
const lut: Entry = [LUT, [256, 3]];

// A cross: (-3, 0, 0) to (0, 0, 0) to (3, 0, 0), and (0, 0, 0) up to (0, 2, 0).
const CROSS = { vertices: vertices(-3, 0, 0, 0, 0, 0, 3, 0, 0, 0, 2, 0), segments: segments(0, 1, 1, 2, 1, 3) };

describe('line set input', () => {
  test('bad input is refused with a message naming it', () => {
    const bad: [Record<string, unknown>, ArrayInput, string, RegExp][] = [
      [{}, input({ vertices: CROSS.vertices }), 'protocol', /needs the array "segments"/],
      [{}, input({ ...CROSS, segments: segments(0, 4) }), 'out_of_range', /segments row 0 refers to vertex 4/],
      [
        {},
        input({ ...CROSS, segments: [new Float32Array([0, 1]), [1, 2]] }),
        'invalid_argument',
        /segments must be sent as uint32/,
      ],
      [{}, input({ ...CROSS, vertices: vertices(0, 0, Number.NaN) }), 'invalid_argument', /vertices row 0/],
      [{ width: 0 }, input(CROSS), 'invalid_argument', /"width" must be more than 0/],
      [{ width: 1000 }, input(CROSS), 'invalid_argument', /"width" must be a number from 0 to 255/],
      [
        { clim: [0, 1] },
        input({ ...CROSS, scalars: scalars(1, 2), lut }),
        'invalid_argument',
        /scalars has 2 values, but 4 vertices or 3 segments take one value each/,
      ],
      [{ clim: [0, 1] }, input({ ...CROSS, scalars: scalars(1, 2, 3) }), 'protocol', /"lut"/],
    ];
    for (const [style, arrays, expected, message] of bad) {
      assert.throws(() => new LineSet(style, arrays), code(expected, message));
    }
  });

  test('a failed update changes nothing', () => {
    const lines = new LineSet({}, input(CROSS));
    assert.throws(() => lines.update({}, input({ vertices: vertices(9, 9, 9) })), code('out_of_range', /vertex 1/));
    assert.throws(() => lines.update({ width: -2 }, input({ vertices: vertices(9, 9, 9, 9, 9, 9, 9, 9, 9) })));
    assert.deepEqual(lines.bounds().max.toArray(), [3, 2, 0]);
    lines.dispose();
  });
});

describe('line set picks', () => {
  const scene = view();

  test('the segment under the pixel, its nearer end, the point on it and the scalar there', () => {
    const lines = new LineSet({ width: 4, clim: [0, 1] }, input({ ...CROSS, scalars: scalars(10, 11, 12, 13), lut }));
    const [x, y] = onScreen(scene, [-2, 0, 0]);
    const { distance, position, ...hit } = lines.pick(query(scene, x, y + 1.5))!;
    assert.deepEqual(hit, { index: 0, vertex: 0, value: 10 });
    assert.ok(Math.abs(position[0] + 2) < 1e-3 && position[1] === 0 && position[2] === 0, `${position}`);
    assert.ok(Math.abs(distance - Math.hypot(10, 2)) < 1e-3, `distance ${distance}`);
    const [upX, upY] = onScreen(scene, [0, 1.5, 0]);
    assert.deepEqual(lines.pick(query(scene, upX - 2, upY))?.index, 2);
    assert.deepEqual(lines.pick(query(scene, upX - 2, upY))?.value, 13);
    assert.equal(lines.pick(query(scene, upX - 4, upY)), null, 'a 4 px line reaches 3 px, the least, either side');
    assert.equal(lines.pick(query(scene, 5, 5)), null);
    lines.dispose();
  });

  test('per-segment scalars give the segment its value; wide lines take clicks half their width away', () => {
    const lines = new LineSet({ width: 20, clim: [0, 1] }, input({ ...CROSS, scalars: scalars(5, 6, 7), lut }));
    const [x, y] = onScreen(scene, [2, 0, 0]);
    assert.equal(lines.pick(query(scene, x, y - 9.5))?.value, 6);
    assert.equal(lines.pick(query(scene, x, y - 10.5)), null);
    lines.dispose();
  });

  test('the nearest of two segments over one pixel wins', () => {
    const lines = new LineSet(
      {},
      input({ vertices: vertices(-1, 0, 0, 1, 0, 0, -1, 0, 1, 1, 0, 1), segments: segments(0, 1, 2, 3) }),
    );
    assert.equal(lines.pick(query(scene, SIDE / 2, SIDE / 2))?.index, 1);
    lines.dispose();
  });

  test('updates move the vertices, replace the segments and change the pick width', () => {
    const lines = new LineSet({ width: 2 }, input(CROSS));
    lines.update({}, input({ vertices: vertices(-3, 1, 0, 0, 1, 0, 3, 1, 0, 0, 3, 0) }));
    const [x, y] = onScreen(scene, [-2, 1, 0]);
    assert.equal(lines.pick(query(scene, x, y))?.index, 0);
    lines.update({}, input({ segments: segments(3, 1, 0, 1) }));
    const hit = lines.pick(query(scene, x, y));
    assert.deepEqual([hit?.index, hit?.vertex], [1, 0]);
    assert.equal(lines.pick(query(scene, x, y + 5)), null);
    lines.update({ width: 12 }, input({}));
    assert.equal(lines.pick(query(scene, x, y + 5))?.index, 1);
    lines.dispose();
  });
});

describe('line sets drawn', () => {
  const draw = drawnScenes();

  test('a line of width w is a band w device pixels thick at pixel scale 1 and 2w at scale 2', async () => {
    const scene = view();
    const lines = new LineSet({ width: 6, color: '#00ff00' }, input(CROSS));
    scene.show('o1', 'lines', lines);
    for (const scale of [1, 2]) {
      const read = await draw(scene, scale, `lines-${scale}x`);
      const side = SIDE * scale;
      const [x, y] = onScreen(scene, [-1.5, 1, 0]).map((v) => Math.floor(v * scale));
      const thick = run(read, side, x!, GREEN, true);
      const wide = run(read, side, y!, GREEN);
      assert.ok(Math.abs(thick - 6 * scale) <= 1, `horizontal line ${thick} px thick at scale ${scale}`);
      assert.ok(Math.abs(wide - 6 * scale) <= 1, `vertical line ${wide} px wide at scale ${scale}`);
      const [endX] = onScreen(scene, [3, 0, 0]);
      const long = run(read, side, Math.floor(onScreen(scene, [0, 0, 0])[1] * scale) + 1, GREEN);
      assert.ok(Math.abs(long - (endX * 2 - SIDE + 6) * scale) <= 2, `the line is ${long} px long at scale ${scale}`);
    }
    scene.dispose();
    lines.dispose();
  });

  test('per-segment scalars colour each segment with its table entry; updates recolour in place', async () => {
    const scene = view();
    const lines = new LineSet({ width: 8, clim: [0, 2] }, input({ ...CROSS, scalars: scalars(0, 2, 1), lut }));
    scene.show('o1', 'lines', lines);
    const [leftX, leftY] = onScreen(scene, [-1.5, 0, 0]).map(Math.floor) as [number, number];
    const [rightX, rightY] = onScreen(scene, [1.5, 0, 0]).map(Math.floor) as [number, number];
    const [upX, upY] = onScreen(scene, [0, 1.5, 0]).map(Math.floor) as [number, number];
    let read = await draw(scene, 1, 'lines-scalars');
    assert.deepEqual(read(leftX, leftY), [0, 255, 40]);
    assert.deepEqual(read(rightX, rightY), [255, 0, 40]);
    assert.deepEqual(read(upX, upY), [128, 127, 40]);
    lines.update({ clim: [1, 2] }, input({ lut: [LUT.slice().reverse(), [256, 3]] }));
    read = await draw(scene, 1, 'lines-scalars-updated');
    assert.deepEqual(read(leftX, leftY), [40, 0, 255]);
    assert.deepEqual(read(rightX, rightY), [40, 255, 0]);
    scene.dispose();
    lines.dispose();
  });

  test('a big set draws GL lines as wide during drags, in the same colours', async () => {
    const count = 50_000;
    const pairs = new Uint32Array(count * 2).fill(1);
    pairs[0] = 0;
    const lines = new LineSet(
      { width: 5, clim: [0, 1] },
      input({ ...CROSS, segments: [pairs, [count, 2]], scalars: scalars(1, 1, 1, 1), lut }),
    );
    const scene = view();
    scene.show('o1', 'lines', lines);
    assert.equal(scene.hasStandIns, true);
    for (const scale of [1, 2]) {
      const read = await draw(scene, scale, `lines-stand-in-${scale}x`, true);
      const [x] = onScreen(scene, [-1.5, 0, 0]).map((v) => Math.floor(v * scale));
      const thick = run(read, SIDE * scale, x!, [255, 0, 40], true);
      assert.ok(Math.abs(thick - 5 * scale) <= 1, `stand-in line ${thick} px thick at scale ${scale}`);
    }
    scene.dispose();
    lines.dispose();
  });
});
