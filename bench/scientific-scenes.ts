// The scientific scenes of the bench, as the raw arrays a kernel sends: a cloud of a million points and a set of
// 100k line segments, both coloured by scalars, and a 317 x 317 grid whose scalars change in a loop and carry
// the number of the update that made them, so that a frame can be matched to the update it shows.
import type { NamedArray } from '../test/support/sidecar-client.js';

// Colours for scalars: 256 sRGB rows in 12 bands of hue, 30 degrees apart (the grid's codes are read back by hue).
export const HUES = 12;
// Scalar range of every scene: one band of the lut per unit.
export const CLIM: [number, number] = [0, HUES];
// The update grid: the camera looks straight at it from this far, so that its code patches land where the
// decoder reads them (the grid spans -1..1 on x and y).
export const GRID_CAMERA = { position: [0, 0, 1.5], target: [0, 0, 0], up: [0, 1, 0], fov: 45 };
// Where the two patches of the code sit on the grid's x axis, and how big they are.
const PATCH_X = 0.4;
const PATCH_RADIUS = 0.12;
// Updates the two patches tell apart (a frame more than this many updates behind would be misread).
export const CODES = HUES * HUES;

export interface PointScene {
  count: number;
  positions: Float32Array;
  scalars: Float32Array;
}

export interface LineScene {
  segments: number;
  vertices: Float32Array;
  ends: Uint32Array;
  scalars: Float32Array;
}

export interface GridScene {
  vertices: Float32Array;
  faces: Uint32Array;
  // 0 outside the patches, 1 in the left one, 2 in the right one.
  patch: Uint8Array;
  radius: Float32Array;
}

// The lut of HUES bands: each band one fully saturated hue.
export function hueLut(): Uint8Array {
  const lut = new Uint8Array(256 * 3);
  for (let e = 0; e < 256; e += 1) lut.set(hueRgb((Math.floor((e * HUES) / 256) * 360) / HUES), e * 3);
  return lut;
}

// A million points around a trefoil knot, spread like a noisy tube; the scalar is the distance from the curve.
export function pointCloud(count = 1_000_000): PointScene {
  const random = seeded(1);
  const positions = new Float32Array(count * 3);
  const scalars = new Float32Array(count);
  for (let i = 0; i < count; i += 1) {
    const [x, y, z] = trefoil(random() * 2 * Math.PI);
    const [dx, dy, dz] = [gauss(random), gauss(random), gauss(random)];
    positions.set([x + 0.25 * dx, y + 0.25 * dy, z + 0.25 * dz], i * 3);
    scalars[i] = Math.min(HUES - 0.01, Math.hypot(dx, dy, dz) * 3);
  }
  return { count, positions, scalars };
}

// `lines` helices wound round a torus (streamlines), `vertices` each, so (vertices - 1) segments a line; the scalar
// is how far along its line a vertex is.
export function lineSet(lines = 1000, vertices = 101): LineScene {
  const random = seeded(2);
  const positions = new Float32Array(lines * vertices * 3);
  const scalars = new Float32Array(lines * vertices);
  const ends = new Uint32Array(lines * (vertices - 1) * 2);
  for (let l = 0; l < lines; l += 1) {
    const [u0, v0, r] = [random() * 2 * Math.PI, random() * 2 * Math.PI, 0.3 + 0.5 * random()];
    for (let j = 0; j < vertices; j += 1) {
      const i = l * vertices + j;
      const u = u0 + (1.6 * Math.PI * j) / (vertices - 1);
      const v = v0 + 6 * u;
      positions.set([(2 + r * Math.cos(v)) * Math.cos(u), (2 + r * Math.cos(v)) * Math.sin(u), r * Math.sin(v)], i * 3);
      scalars[i] = (HUES * j) / vertices;
      if (j > 0) ends.set([i - 1, i], (l * (vertices - 1) + j - 1) * 2);
    }
  }
  return { segments: ends.length / 2, vertices: positions, ends, scalars };
}

// A side x side grid over -1..1 in the z = 0 plane, two triangles a cell.
export function grid(side = 317): GridScene {
  const vertices = new Float32Array(side * side * 3);
  const patch = new Uint8Array(side * side);
  const radius = new Float32Array(side * side);
  for (let r = 0; r < side; r += 1) {
    for (let c = 0; c < side; c += 1) {
      const [x, y, i] = [(2 * c) / (side - 1) - 1, (2 * r) / (side - 1) - 1, r * side + c];
      vertices.set([x, y, 0], i * 3);
      radius[i] = Math.hypot(x, y);
      if (Math.hypot(x + PATCH_X, y) < PATCH_RADIUS) patch[i] = 1;
      else if (Math.hypot(x - PATCH_X, y) < PATCH_RADIUS) patch[i] = 2;
    }
  }
  const faces = new Uint32Array((side - 1) * (side - 1) * 6);
  let f = 0;
  for (let r = 0; r < side - 1; r += 1) {
    for (let c = 0; c < side - 1; c += 1) {
      const a = r * side + c;
      faces.set([a, a + 1, a + side + 1, a, a + side + 1, a + side], f);
      f += 6;
    }
  }
  return { vertices, faces, patch, radius };
}

// The grid's scalars for update `k`: a ripple moving outwards, but for the two patches, which hold k's code (k
// modulo CODES, in two digits of HUES).
export function gridScalars(scene: GridScene, k: number, out = new Float32Array(scene.radius.length)): Float32Array {
  const code = [0, (k % HUES) + 0.5, (Math.floor(k / HUES) % HUES) + 0.5];
  for (let i = 0; i < out.length; i += 1) {
    out[i] =
      scene.patch[i] === 0
        ? HUES / 2 + (HUES / 2 - 0.5) * Math.sin(12 * scene.radius[i]! - 0.5 * k)
        : code[scene.patch[i]!]!;
  }
  return out;
}

// How far the two patches' centres are left and right of a frame's centre, in frame heights (their y is the
// frame's middle row).
export const PATCH_OFFSET = PATCH_X / (2 * GRID_CAMERA.position[2]! * Math.tan((GRID_CAMERA.fov * Math.PI) / 360));

// The update a frame shows, from the colours at its two patches (sRGB bytes): its code, or null when a colour is
// not one of the lut's hues.
export function decodeUpdate(left: [number, number, number], right: [number, number, number]): number | null {
  const [low, high] = [hueBand(left), hueBand(right)];
  return low === null || high === null ? null : low + HUES * high;
}

// The latest update up to `latest` whose code is `code`: a frame shows an update already sent.
export function updateOf(code: number, latest: number): number {
  return latest - ((((latest - code) % CODES) + CODES) % CODES);
}

// The grid as add_object's arrays for a mesh, with the lut and the scalars of update 0.
export function gridArrays(scene: GridScene): NamedArray[] {
  return [
    { name: 'vertices', data: scene.vertices, shape: [scene.vertices.length / 3, 3] },
    { name: 'faces', data: scene.faces, shape: [scene.faces.length / 3, 3] },
    { name: 'scalars', data: gridScalars(scene, 0), shape: [scene.radius.length] },
    { name: 'lut', data: hueLut(), shape: [256, 3] },
  ];
}

function hueBand([r, g, b]: [number, number, number]): number | null {
  const max = Math.max(r, g, b);
  const min = Math.min(r, g, b);
  // lighting and JPEG leave the bands' colours saturated; grey means a seam, the background or a misplaced patch
  if (max < 40 || max - min < 0.4 * max) return null;
  const d = max - min;
  const h = max === r ? ((g - b) / d + 6) % 6 : max === g ? (b - r) / d + 2 : (r - g) / d + 4;
  return Math.round((h * HUES) / 6) % HUES;
}

function hueRgb(degrees: number): [number, number, number] {
  const h = degrees / 60;
  const x = Math.round(255 * (1 - Math.abs((h % 2) - 1)));
  const rows: Array<[number, number, number]> = [
    [255, x, 0],
    [x, 255, 0],
    [0, 255, x],
    [0, x, 255],
    [x, 0, 255],
    [255, 0, x],
  ];
  return rows[Math.floor(h) % 6]!;
}

function trefoil(t: number): [number, number, number] {
  return [Math.sin(t) + 2 * Math.sin(2 * t), Math.cos(t) - 2 * Math.cos(2 * t), -Math.sin(3 * t)];
}

// A repeatable uniform generator in [0, 1) (mulberry32): every run draws the same scenes.
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// A standard normal sample (Box-Muller).
function gauss(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}
