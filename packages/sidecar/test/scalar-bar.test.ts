import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import * as THREE from 'three';
import { obtainDisplay } from '../src/display/index.js';
import type { Display } from '../src/display/x-server.js';
import { createContext, destroyContext } from '../src/render/context.js';
import { formatValue, ScalarBar } from '../src/render/scalar-bar.js';
import type { ColorScale } from '../src/render/objects/scene-object.js';

// A viridis-like table for the test: a few of viridis' colours, interpolated to 256 entries.
const ANCHORS = [
  [68, 1, 84],
  [59, 82, 139],
  [33, 145, 140],
  [94, 201, 98],
  [253, 231, 37],
];
const LUT = Uint8Array.from({ length: 256 * 3 }, (_, i) => {
  const t = (Math.floor(i / 3) / 255) * (ANCHORS.length - 1);
  const k = Math.min(Math.floor(t), ANCHORS.length - 2);
  const c = i % 3;
  return Math.round(ANCHORS[k]![c]! + (ANCHORS[k + 1]![c]! - ANCHORS[k]![c]!) * (t - k));
});
const SCALE: ColorScale = { lut: LUT, clim: [-1.5, 273.15] };
const CSS_WIDTH = 400;
const CSS_HEIGHT = 300;
const TOLERANCE = 6;

let display: Display | undefined;

before(async () => {
  display = (await obtainDisplay({ forceHeadless: true })).display;
});

after(async () => {
  await display?.stop();
});

// RGBA pixels, bottom row first, with a reader of one pixel (x right, y up).
interface Picture {
  data: Uint8Array;
  width: number;
  height: number;
  at(x: number, y: number): number[];
}

// The bar drawn over a black scene in a view of CSS_WIDTH x CSS_HEIGHT CSS pixels at `pixelScale`, its texts
// rasterised at `textScale`.
async function drawBar(pixelScale: number, textScale = pixelScale): Promise<Picture> {
  const width = CSS_WIDTH * pixelScale;
  const height = CSS_HEIGHT * pixelScale;
  const gl = createContext(width, height);
  try {
    const canvas = { width, height, style: {}, addEventListener() {}, removeEventListener() {} };
    const three = new THREE.WebGL1Renderer({ canvas: canvas as unknown as HTMLCanvasElement, context: gl });
    three.outputColorSpace = THREE.SRGBColorSpace;
    three.setViewport(0, 0, width, height);
    const scene = new THREE.Scene();
    scene.background = new THREE.Color(0x000000);
    three.render(scene, new THREE.PerspectiveCamera());
    const bar = new ScalarBar(SCALE, 'temperature (°C)');
    await bar.prepare(textScale);
    bar.draw(three, { width, height, pixelScale });
    bar.dispose();
    const data = new Uint8Array(width * height * 4);
    gl.readPixels(0, 0, width, height, gl.RGBA, gl.UNSIGNED_BYTE, data);
    await sharp(data, { raw: { width, height, channels: 4 } })
      .flip()
      .png()
      .toFile(`/tmp/scalar-bar-${pixelScale}x-text-${textScale}x.png`);
    const at = (x: number, y: number) => [...data.subarray((y * width + x) * 4, (y * width + x) * 4 + 3)];
    return { data, width, height, at };
  } finally {
    destroyContext(gl);
  }
}

function near(actual: number[], expected: number[]): boolean {
  return actual.every((value, c) => Math.abs(value - expected[c]!) <= TOLERANCE);
}

function entry(i: number): number[] {
  return [...LUT.subarray(i * 3, i * 3 + 3)];
}

// Where the bar is: the run of pixels of the lut's middle colour on the middle row, nearest the right edge, and
// from its centre column up and down to where the lut's colours end.
function findBar(picture: Picture): { left: number; right: number; bottom: number; top: number } {
  const row = Math.floor(picture.height / 2);
  let right = picture.width - 1;
  while (right > 0 && !near(picture.at(right, row), entry(128))) right--;
  let left = right;
  while (left > 0 && near(picture.at(left - 1, row), entry(128))) left--;
  assert.ok(right > left, 'no bar of the lut middle colour on the middle row');
  const column = Math.floor((left + right) / 2);
  const isBar = (y: number) => {
    const [r, g, b] = picture.at(column, y);
    return !(r === g && g === b);
  };
  let bottom = row;
  while (bottom > 0 && isBar(bottom - 1)) bottom--;
  let top = row;
  while (top < picture.height - 1 && isBar(top + 1)) top++;
  return { left, right, bottom, top };
}

// The box around the bright pixels above the bar (the title): [left, right, bottom, top].
function titleBox(picture: Picture): number[] {
  const { top } = findBar(picture);
  const box = [picture.width, -1, picture.height, -1];
  for (let y = top + 2; y < picture.height; y++) {
    for (let x = 0; x < picture.width; x++) {
      if (!picture.at(x, y).every((value) => value > 200)) continue;
      box[0] = Math.min(box[0]!, x);
      box[1] = Math.max(box[1]!, x);
      box[2] = Math.min(box[2]!, y);
      box[3] = Math.max(box[3]!, y);
    }
  }
  return box;
}

// Bright (text) pixels in a box, bounds inclusive.
function brightPixels(picture: Picture, x0: number, x1: number, y0: number, y1: number): number {
  let count = 0;
  for (let y = Math.max(0, y0); y <= Math.min(picture.height - 1, y1); y++) {
    for (let x = Math.max(0, x0); x <= Math.min(picture.width - 1, x1); x++) {
      if (picture.at(x, y).every((value) => value > 200)) count++;
    }
  }
  return count;
}

describe('scalar bar', () => {
  test('labels: 4 significant digits without trailing zeros', () => {
    assert.deepEqual([0, -0, 0.5, 1234, 12345, 0.000123456, 1e-7, -1.5, 273.15, 136.825].map(formatValue), [
      '0',
      '0',
      '0.5',
      '1234',
      '1.235e+4',
      '0.0001235',
      '1e-7',
      '-1.5',
      '273.1',
      '136.8',
    ]);
  });

  test('shows the lut from bottom to top, labels to its left and the title above, sized in CSS pixels', async () => {
    const bars = [];
    for (const pixelScale of [1, 2]) {
      const picture = await drawBar(pixelScale);
      const bar = findBar(picture);
      const column = Math.floor((bar.left + bar.right) / 2);
      const where = `at pixel scale ${pixelScale}: ${JSON.stringify(bar)}`;
      assert.ok(near(picture.at(column, bar.bottom), entry(0)), `bottom ${picture.at(column, bar.bottom)} ${where}`);
      assert.ok(near(picture.at(column, bar.top), entry(255)), `top ${picture.at(column, bar.top)} ${where}`);
      assert.ok(Math.abs(bar.top - bar.bottom + 1 - picture.height / 2) <= 2, `half the view's height ${where}`);
      assert.ok(picture.width - 1 - bar.right >= 8 * pixelScale, `a margin at the right edge ${where}`);
      const labels = brightPixels(picture, 0, bar.left - 2, bar.bottom - 20 * pixelScale, bar.top);
      const title = brightPixels(picture, 0, picture.width - 1, bar.top + 2, picture.height - 1);
      assert.ok(labels > 40 * pixelScale ** 2, `label pixels: ${labels} ${where}`);
      assert.ok(title > 40 * pixelScale ** 2, `title pixels: ${title} ${where}`);
      bars.push({ ...bar, labels, title });
    }
    const [one, two] = bars as [(typeof bars)[0], (typeof bars)[0]];
    assert.equal(two.right - two.left + 1, 2 * (one.right - one.left + 1), 'twice as wide at pixel scale 2');
    assert.ok(one.right - one.left + 1 >= 14 && one.right - one.left + 1 <= 18, `about 16 px wide: ${one.left}`);
  });

  test('texts rasterised for another pixel scale keep their size in CSS pixels', async () => {
    const native = titleBox(await drawBar(1));
    const scaled = titleBox(await drawBar(1, 2));
    assert.ok(
      native.every((value, i) => Math.abs(value - scaled[i]!) <= 4),
      `title at 1x ${native}, from 2x ${scaled}`,
    );
  });

  test('update() recolours the bar and prepare() redraws the labels for the new clim', async () => {
    const gl = createContext(CSS_WIDTH, CSS_HEIGHT);
    try {
      const canvas = {
        width: CSS_WIDTH,
        height: CSS_HEIGHT,
        style: {},
        addEventListener() {},
        removeEventListener() {},
      };
      const three = new THREE.WebGL1Renderer({ canvas: canvas as unknown as HTMLCanvasElement, context: gl });
      three.outputColorSpace = THREE.SRGBColorSpace;
      const context = { width: CSS_WIDTH, height: CSS_HEIGHT, pixelScale: 1 };
      const bar = new ScalarBar(SCALE, '');
      const read = () => {
        const data = new Uint8Array(CSS_WIDTH * CSS_HEIGHT * 4);
        three.setClearColor(0x000000);
        three.clear();
        bar.draw(three, context);
        gl.readPixels(0, 0, CSS_WIDTH, CSS_HEIGHT, gl.RGBA, gl.UNSIGNED_BYTE, data);
        return data;
      };
      await bar.prepare(1);
      const before = read();
      const grey = Uint8Array.from({ length: 256 * 3 }, (_, i) => Math.floor(i / 3));
      bar.update({ lut: grey, clim: [0, 1] });
      await bar.prepare(1);
      const after = read();
      const x = CSS_WIDTH - 12 - 8;
      const middle = (CSS_HEIGHT / 2) * CSS_WIDTH * 4 + x * 4;
      assert.deepEqual(
        [...after.subarray(middle, middle + 3)].map((v) => Math.abs(v - 128) <= 2),
        [true, true, true],
      );
      let changed = 0;
      for (let i = 0; i < before.length; i += 4) {
        if ((i / 4) % CSS_WIDTH < CSS_WIDTH - 40 && before[i] !== after[i]) changed++;
      }
      assert.ok(changed > 40, `label pixels changed: ${changed}`);
      bar.dispose();
    } finally {
      destroyContext(gl);
    }
  });
});
