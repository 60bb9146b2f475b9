// What the scene-object tests share: arrays as if a request carried them, a view looking down -z with its picks
// and screen positions, and views drawn on a real headless-gl context under Xvfb and read back by pixel.
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import * as THREE from 'three';
import { useDisplay } from '../src/display/index.js';
import { probeOf } from '../src/display/probe.js';
import type { Display } from '../src/display/x-server.js';
import { startXvfb } from '../src/display/xvfb.js';
import type { GlstreamError } from '../src/errors.js';
import { type ArrayInput, arraysOf } from '../src/render/objects/arrays.js';
import type { PickQuery } from '../src/render/objects/scene-object.js';
import { pickRay } from '../src/render/pick/ray.js';
import { Renderer } from '../src/render/renderer.js';
import { SceneView } from '../src/render/view.js';

// CSS size of the views drawn and picked.
export const SIDE = 200;

// A typed array and its shape.
export type Entry = [Float32Array | Uint32Array | Uint8Array, number[]];

// The request arrays named by `entries`, each sent as the dtype of its typed array.
export function input(entries: Record<string, Entry>): ArrayInput {
  return arraysOf(Object.fromEntries(Object.entries(entries).map(([name, [data, shape]]) => [name, { data, shape }])));
}

// Whether a thrown error has the code `expected` and a message matching `message`.
export const code = (expected: string, message: RegExp) => (error: GlstreamError) =>
  error.code === expected && message.exec(error.message) !== null;

// A view looking down -z at the origin from 10 units away, y up.
export function view(): SceneView {
  const scene = new SceneView('#000000');
  scene.orbit = { target: [0, 0, 0], radius: 10, theta: 0, phi: Math.PI / 2, fov: 45, up: [0, 1, 0] };
  return scene;
}

// The pick query at (x, y) CSS pixels of a SIDE x SIDE view.
export function query(scene: SceneView, x: number, y: number): PickQuery {
  scene.aim(1);
  scene.camera.updateMatrixWorld();
  return { x, y, width: SIDE, height: SIDE, ray: pickRay(x, y, SIDE, SIDE, scene.camera), camera: scene.camera };
}

// Where a world point lands, in CSS pixels of a SIDE x SIDE view.
export function onScreen(scene: SceneView, point: [number, number, number]): [number, number] {
  scene.aim(1);
  scene.camera.updateMatrixWorld();
  const ndc = new THREE.Vector3(...point).project(scene.camera);
  return [((ndc.x + 1) / 2) * SIDE, ((1 - ndc.y) / 2) * SIDE];
}

// A reader of a drawn view's [r, g, b] by device pixel from the top-left.
export type Pixels = (x: number, y: number) => number[];

// Start Xvfb and a SIDE x SIDE renderer before the tests of the calling suite and stop them after; return the
// drawing function: draw the view SIDE x SIDE CSS pixels at `scale`, save it as /tmp/objects-<name>.png, and
// return a reader of its pixels.
export function drawnScenes(): (scene: SceneView, scale: number, name: string, standIns?: boolean) => Promise<Pixels> {
  let display: Display | undefined;
  let renderer: Renderer | undefined;

  before(async () => {
    const started = await startXvfb(probeOf({ env: { ...process.env, DISPLAY: '' } }), '640x480x24');
    assert.ok(started.display, started.step.reason);
    display = started.display;
    useDisplay(display);
    renderer = new Renderer(SIDE, SIDE);
  });

  after(async () => {
    renderer?.dispose();
    await display?.stop();
  });

  return async (scene, scale, name, standIns = false) => {
    const side = SIDE * scale;
    renderer!.draw(scene, side, side, scale, standIns);
    const pixels = Uint8Array.from(renderer!.read().data);
    await sharp(pixels, { raw: { width: side, height: side, channels: 4 } })
      .flip()
      .png()
      .toFile(`/tmp/objects-${name}.png`);
    return (x, y) => {
      const at = ((side - 1 - y) * side + x) * 4;
      return [...pixels.subarray(at, at + 3)];
    };
  };
}

// The longest run of pixels like `rgb` (within 2 per channel) along row y (or column x when `vertical`).
export function run(read: Pixels, side: number, at: number, rgb: number[], vertical = false): number {
  let longest = 0;
  let current = 0;
  for (let i = 0; i < side; i += 1) {
    const pixel = vertical ? read(at, i) : read(i, at);
    current = pixel.every((value, channel) => Math.abs(value - rgb[channel]!) <= 2) ? current + 1 : 0;
    longest = Math.max(longest, current);
  }
  return longest;
}
