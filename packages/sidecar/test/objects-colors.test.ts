// Scalars through a colour table into three's linear working space, and the colouring every kind reads.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as THREE from 'three';
import { type GlstreamError, InputError } from '../src/errors.js';
import { lutBin, readColoring, readLut, scalarColors, solidColor, UNCOLORED } from '../src/render/objects/colors.js';
import { input } from './object-scenes.js';

// A viridis-like table: dark purple at 0, yellow at 255, a ramp between.
const LUT = new Uint8Array(256 * 3);
for (let i = 0; i < 256; i += 1) LUT.set([68 + Math.round((i * (253 - 68)) / 255), i, 84 - Math.round(i / 8)], i * 3);

const linear = (byte: number) => new THREE.Color().setRGB(byte / 255, 0, 0, THREE.SRGBColorSpace).r;
const close = (a: number, b: number, tolerance = 1e-6) => assert.ok(Math.abs(a - b) < tolerance, `${a} != ${b}`);

test('the ends of the range map exactly to the ends of the table, linearised', () => {
  const colors = scalarColors(new Float32Array([10, 20]), LUT, [10, 20]);
  for (let channel = 0; channel < 3; channel += 1) {
    close(colors[channel]!, new THREE.Color().setRGB(...rgb(0), THREE.SRGBColorSpace).toArray()[channel]!);
    close(colors[3 + channel]!, new THREE.Color().setRGB(...rgb(255), THREE.SRGBColorSpace).toArray()[channel]!);
  }
});

test('values outside the range clamp to the ends', () => {
  const colors = scalarColors(new Float32Array([-1e9, 9.99, 20.01, 1e9]), LUT, [10, 20]);
  assert.deepEqual([...colors.subarray(0, 3)], [...colors.subarray(3, 6)]);
  assert.deepEqual([...colors.subarray(6, 9)], [...colors.subarray(9, 12)]);
  close(colors[0]!, linear(LUT[0]!));
  close(colors[6]!, linear(LUT[255 * 3]!));
});

test('the range is cut into 256 bins of equal width, as matplotlib bins a colormap', () => {
  assert.equal(lutBin(0, 0, 1), 0);
  assert.equal(lutBin(0.5 / 256, 0, 1), 0);
  assert.equal(lutBin(1.5 / 256, 0, 1), 1);
  assert.equal(lutBin(0.5, 0, 1), 128);
  assert.equal(lutBin(255.5 / 256, 0, 1), 255);
  assert.equal(lutBin(1, 0, 1), 255);
});

test('sRGB bytes are linearised the way three does: 128 is about 0.2158', () => {
  const gray = new Uint8Array(256 * 3).fill(128);
  const [r] = scalarColors(new Float32Array([0]), gray, [0, 1]);
  close(r!, 0.2158, 1e-4);
  for (const byte of [0, 1, 10, 11, 200, 255]) {
    const lut = new Uint8Array(256 * 3).fill(byte);
    close(scalarColors(new Float32Array([0]), lut, [0, 1])[0]!, linear(byte));
  }
});

test('colours are written into `out` when it is given', () => {
  const out = new Float32Array(6);
  assert.equal(scalarColors(new Float32Array([10, 20]), LUT, [10, 20], out), out);
  assert.notEqual(out[5], 0);
});

test('a solid colour is "#rrggbb" in sRGB, held linear', () => {
  const color = solidColor('#808080');
  close(color.r, 0.2158, 1e-4);
  assert.equal(solidColor('#ff0000').getHexString(), 'ff0000');
});

test('a colour table must be (256, 3) bytes', () => {
  assert.equal(readLut(input({})), null);
  assert.equal(readLut(input({ lut: [LUT, [256, 3]] }))?.length, 768);
  assert.throws(() => readLut(input({ lut: [LUT.subarray(0, 300), [100, 3]] })), /lut has shape \(100, 3\)/);
  assert.throws(() => readLut(input({ lut: [LUT, [768]] })), InputError);
});

test('scalars need a table and a range; they must fit the count; an update keeps what it does not name', () => {
  const scalars = new Float32Array([1, 2, 3]);
  assert.throws(
    () => readColoring({}, input({ scalars: [scalars, [3]] }), UNCOLORED, [3], '3 points take one value each'),
    (error: GlstreamError) => error.code === 'protocol' && /lut/.test(error.message),
  );
  assert.throws(
    () =>
      readColoring({ clim: [0, 1] }, input({ scalars: [scalars, [3]], lut: [LUT, [256, 3]] }), UNCOLORED, [4], '4 x'),
    /scalars has 3 values, but 4 x/,
  );
  assert.throws(
    () =>
      readColoring({ clim: [0, 1] }, input({ scalars: [new Float32Array([1, Number.NaN]), [2]] }), UNCOLORED, [2], ''),
    /scalars row 1 is not finite/,
  );
  assert.throws(() => readColoring({ clim: [1, 1] }, input({}), UNCOLORED, [3], ''), /"clim" must be/);
  assert.throws(() => readColoring({ color: 'red' }, input({}), UNCOLORED, [3], ''), /"color" must be "#rrggbb"/);
  const coloring = readColoring(
    { clim: [0, 1] },
    input({ scalars: [scalars, [3]], lut: [LUT, [256, 3]] }),
    UNCOLORED,
    [3],
    '',
  );
  const updated = readColoring({ clim: [0, 2] }, input({}), coloring, [3], '');
  assert.equal(updated.scalars, coloring.scalars);
  assert.equal(updated.lut, coloring.lut);
  assert.deepEqual(updated.clim, [0, 2]);
  assert.throws(() => readColoring({}, input({}), coloring, [4], '4 points take one value each'), /send new scalars/);
});

function rgb(entry: number): [number, number, number] {
  return [LUT[entry * 3]! / 255, LUT[entry * 3 + 1]! / 255, LUT[entry * 3 + 2]! / 255];
}
