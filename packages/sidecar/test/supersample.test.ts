import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { reduce, STILL_SAMPLES, stillFactor } from '../src/render/supersample.js';

// An RGBA picture of width x height whose pixel (x, y) is `color(x, y)`, rows in the order y counts them.
function picture(width: number, height: number, color: (x: number, y: number) => number[]) {
  const data = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) data.set(color(x, y), (y * width + x) * 4);
  }
  return { data, width, height };
}

function pixel(pixels: { data: Uint8Array; width: number }, x: number, y: number): number[] {
  return [...pixels.data.subarray((y * pixels.width + x) * 4, (y * pixels.width + x) * 4 + 4)];
}

describe('supersampled stills', () => {
  test('each 2x2 block becomes its mean: one black sample of four is 191', () => {
    const reduced = reduce(picture(2, 2, (x, y) => (x === 0 && y === 0 ? [0, 0, 0, 255] : [255, 255, 255, 255])));
    assert.deepEqual(reduced, { data: Uint8Array.from([191, 191, 191, 255]), width: 1, height: 1 });
  });

  test('a lone sample stays in its own block, and channels are averaged apart and rounded', () => {
    const colors: Record<string, number[]> = { '1,1': [10, 20, 30, 40], '2,2': [11, 0, 255, 1] };
    const reduced = reduce(picture(4, 4, (x, y) => colors[`${x},${y}`] ?? [0, 0, 0, 0]));
    assert.deepEqual(pixel(reduced, 0, 0), [3, 5, 8, 10]);
    assert.deepEqual(pixel(reduced, 1, 1), [3, 0, 64, 0]);
    assert.deepEqual(pixel(reduced, 1, 0), [0, 0, 0, 0]);
    assert.deepEqual(pixel(reduced, 0, 1), [0, 0, 0, 0]);
  });

  test('a hard edge through the middle of a block becomes one ramp pixel', () => {
    // Black left of x = 5, white from it: output column 2 holds samples 4 (black) and 5 (white).
    const reduced = reduce(picture(12, 4, (x) => (x < 5 ? [0, 0, 0, 255] : [255, 255, 255, 255])));
    for (const y of [0, 1]) {
      assert.deepEqual(
        Array.from({ length: 6 }, (_, x) => pixel(reduced, x, y)[0]),
        [0, 0, 128, 255, 255, 255],
      );
    }
  });

  test('the output is half the size per side and keeps the row order', () => {
    // Rows numbered from 0: bottom-up in, bottom-up out (block row k holds rows 2k and 2k + 1).
    const reduced = reduce(picture(640, 360, (x, y) => [y, x % 256, 0, 255]));
    assert.equal(reduced.width, 320);
    assert.equal(reduced.height, 180);
    assert.equal(reduced.data.length, 320 * 180 * 4);
    assert.deepEqual(pixel(reduced, 0, 0), [1, 1, 0, 255]);
    assert.deepEqual(pixel(reduced, 5, 100), [201, 11, 0, 255]);
  });

  test('sides that are not multiples of the factor are a bug, refused', () => {
    assert.throws(() => reduce(picture(3, 2, () => [0, 0, 0, 0])), /3x2 pixels: the sides must be multiples of 2/);
  });

  test('stills are supersampled while the bigger picture fits the GL, else drawn at their size', () => {
    assert.equal(STILL_SAMPLES, 2);
    assert.equal(stillFactor(1280, 720, 16384), 2);
    assert.equal(stillFactor(8192, 100, 16384), 2);
    assert.equal(stillFactor(8192, 8192, 8192), 1);
    assert.equal(stillFactor(100, 4097, 8192), 1);
  });
});
