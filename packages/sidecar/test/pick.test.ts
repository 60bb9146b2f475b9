import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as THREE from 'three';
import type { PickQuery } from '../src/render/objects/scene-object.js';
import { pickPoints } from '../src/render/pick/points.js';
import { pickRay } from '../src/render/pick/ray.js';
import { projector } from '../src/render/pick/screen.js';
import { pickSegments } from '../src/render/pick/segments.js';
import { pickTriangles } from '../src/render/pick/triangles.js';

const WIDTH = 800;
const HEIGHT = 600;

const close = (a: number, b: number, tolerance = 1e-6) => assert.ok(Math.abs(a - b) < tolerance, `${a} != ${b}`);
const closeTo = (a: number[], b: number[], tolerance = 1e-6) => {
  for (const [i, value] of a.entries()) close(value, b[i]!, tolerance);
};

// A camera at `position` looking at the origin with y up, near plane at 0.1.
function camera(position: [number, number, number] = [0, 0, 10]): THREE.PerspectiveCamera {
  const result = new THREE.PerspectiveCamera(60, WIDTH / HEIGHT, 0.1, 1000);
  result.position.set(...position);
  result.lookAt(0, 0, 0);
  result.updateMatrixWorld();
  return result;
}

const query = (view: THREE.PerspectiveCamera, x: number, y: number): PickQuery => ({
  x,
  y,
  width: WIDTH,
  height: HEIGHT,
  ray: pickRay(x, y, WIDTH, HEIGHT, view),
  camera: view,
});

// The pixel a world point lands on.
function pixel(view: THREE.PerspectiveCamera, point: [number, number, number]): [number, number] {
  const projected = projector(query(view, 0, 0))(...point);
  return [projected.x, projected.y];
}

// The ray from the camera through a world point.
const rayAt = (view: THREE.PerspectiveCamera, point: [number, number, number]) => query(view, ...pixel(view, point));

// An axis-aligned unit quad (two triangles) at depth z, its vertices numbered from `first`.
function quad(z: number, first = 0) {
  const positions = [-1, -1, z, 1, -1, z, 1, 1, z, -1, 1, z];
  const indices = [0, 1, 2, 0, 2, 3].map((index) => index + first);
  return { positions, indices };
}

test('the projector puts the target at the centre and its depth along the view direction', () => {
  const view = camera();
  const project = projector(query(view, 0, 0));
  const centre = project(0, 0, 0);
  closeTo([centre.x, centre.y, centre.depth], [WIDTH / 2, HEIGHT / 2, 10]);
  assert.equal(centre.visible, true);
  const up = project(0, 1, 0);
  assert.ok(up.y < HEIGHT / 2, 'y grows downwards');
  assert.equal(project(0, 0, 9.95).visible, false, 'between the camera and the near plane');
  assert.equal(project(0, 0, 20).visible, false, 'behind the camera');
});

test('a point along a pick ray projects back onto its pixel', () => {
  const view = camera([3, 4, 8]);
  const { ray } = query(view, 123, 456);
  const point = ray.at(7, new THREE.Vector3());
  const projected = projector(query(view, 0, 0))(point.x, point.y, point.z);
  closeTo([projected.x, projected.y, view.position.distanceTo(point)], [123, 456, 7], 1e-6);
});

test('a ray through a quad hits the right face at the right point, with its nearest corner', () => {
  const view = camera();
  const { positions, indices } = quad(0);
  const arrays = [new Float32Array(positions), new Uint32Array(indices)] as const;
  const hit = pickTriangles(rayAt(view, [0.5, -0.4, 0]).ray, ...arrays);
  assert.ok(hit);
  assert.equal(hit.face, 0);
  assert.equal(hit.vertex, 1);
  closeTo(hit.point, [0.5, -0.4, 0]);
  close(hit.distance, Math.hypot(0.5, 0.4, 10));
  const other = pickTriangles(rayAt(view, [-0.6, 0.7, 0]).ray, arrays[0], new Uint16Array(indices));
  assert.equal(other?.face, 1);
  assert.equal(other?.vertex, 3);
});

test('the nearer of two parallel quads wins, from either side and in either order', () => {
  const near = quad(0);
  const far = quad(-2, 4);
  const positions = new Float32Array([...near.positions, ...far.positions]);
  const nearFirst = new Uint32Array([...near.indices, ...far.indices]);
  const farFirst = new Uint32Array([...far.indices, ...near.indices]);
  const front = camera([0, 0, 10]);
  const back = camera([0, 0, -12]);
  const point: [number, number, number] = [0.3, -0.5, 0];
  assert.equal(pickTriangles(rayAt(front, point).ray, positions, nearFirst)?.face, 0);
  assert.equal(pickTriangles(rayAt(front, point).ray, positions, farFirst)?.face, 2);
  const fromBehind = pickTriangles(rayAt(back, [0.3, -0.5, -2]).ray, positions, nearFirst);
  assert.equal(fromBehind?.face, 2);
  close(fromBehind!.point[2], -2);
  // What lies nearer than the near plane is not picked; the quad behind it is.
  assert.equal(pickTriangles(rayAt(front, point).ray, positions, nearFirst, 10.5)?.face, 2);
});

test('a ray that misses every triangle picks nothing', () => {
  const view = camera();
  const { positions, indices } = quad(0);
  const arrays = [new Float32Array(positions), new Uint32Array(indices)] as const;
  assert.equal(pickTriangles(rayAt(view, [1.2, 0, 0]).ray, ...arrays), null);
  const away = new THREE.Ray(new THREE.Vector3(0, 0, 10), new THREE.Vector3(0, 0, 1));
  assert.equal(pickTriangles(away, ...arrays), null, 'the quad is behind the ray');
  const edgeOn = new THREE.Ray(new THREE.Vector3(-5, 0, 0), new THREE.Vector3(1, 0, 0));
  assert.equal(pickTriangles(edgeOn, ...arrays), null, 'the ray lies in the quad');
});

test('a million triangles are picked exactly, in well under a second', () => {
  const side = 708;
  const positions = new Float32Array((side + 1) * (side + 1) * 3);
  for (let j = 0; j <= side; j++) {
    for (let i = 0; i <= side; i++) positions.set([i, j, Math.sin(i * 0.1) * 0.2], 3 * (j * (side + 1) + i));
  }
  const indices = new Uint32Array(side * side * 6);
  for (let j = 0; j < side; j++) {
    for (let i = 0; i < side; i++) {
      const corner = j * (side + 1) + i;
      indices.set(
        [corner, corner + 1, corner + side + 2, corner, corner + side + 2, corner + side + 1],
        6 * (j * side + i),
      );
    }
  }
  const ray = new THREE.Ray(new THREE.Vector3(400.7, 300.2, 10), new THREE.Vector3(0, 0, -1));
  const start = performance.now();
  const hit = pickTriangles(ray, positions, indices);
  const elapsed = performance.now() - start;
  console.log(`pickTriangles over ${indices.length / 3} triangles: ${elapsed.toFixed(1)} ms`);
  // Cell (400, 300), its lower triangle (x - i > y - j), nearest corner (401, 300).
  assert.equal(hit?.face, 2 * (300 * side + 400));
  assert.equal(hit?.vertex, 300 * (side + 1) + 401);
  closeTo(hit!.point.slice(0, 2), [400.7, 300.2]);
});

test('the point under the pixel is picked, and none outside the radius', () => {
  const view = camera();
  const positions = new Float32Array([0, 0, 0, 1, 0, 0]);
  const [x, y] = pixel(view, [1, 0, 0]);
  const hit = pickPoints(query(view, x + 4, y), positions, 5);
  assert.equal(hit?.index, 1);
  closeTo(hit!.point, [1, 0, 0]);
  assert.equal(pickPoints(query(view, x + 6, y), positions, 5), null);
  assert.equal(pickPoints(query(view, x, y + 5.5), positions, 5), null);
});

test('the nearer of two overlapping points wins; at one depth, the one nearer the pixel', () => {
  const view = camera();
  const [x, y] = [WIDTH / 2, HEIGHT / 2];
  const hit = pickPoints(query(view, x, y), new Float32Array([0, 0, 0, 0, 0, 2, 0, 0, -2]), 5);
  assert.equal(hit?.index, 1);
  close(hit!.distance, 8);
  const beside = pixel(view, [0.02, 0, 0])[0] - x;
  assert.ok(beside > 1 && beside < 3);
  const sameDepth = new Float32Array([0, 0, 0, 0.02, 0, 0]);
  assert.equal(pickPoints(query(view, x + beside - 0.5, y), sameDepth, 5)?.index, 1);
  assert.equal(pickPoints(query(view, x + 0.5, y), sameDepth, 5)?.index, 0);
});

test('a point behind the camera or before the near plane is not picked', () => {
  const view = camera();
  const [x, y] = [WIDTH / 2, HEIGHT / 2];
  assert.equal(pickPoints(query(view, x, y), new Float32Array([0, 0, 20]), 5), null);
  assert.equal(pickPoints(query(view, x, y), new Float32Array([0, 0, 9.95]), 5), null);
  assert.equal(pickPoints(query(view, x, y), new Float32Array([0, 0, 20, 0, 0, 9.95, 0, 0, -3]), 5)?.index, 2);
});

test('a segment is hit within its half width, with the point on it and its nearer end', () => {
  const view = camera();
  const positions = new Float32Array([-1, 0, 0, 1, 0, 0]);
  const segments = new Uint32Array([0, 1]);
  const [x, y] = pixel(view, [0.5, 0, 0]);
  const hit = pickSegments(query(view, x, y + 2.9), positions, segments, 3);
  assert.equal(hit?.segment, 0);
  assert.equal(hit?.vertex, 1);
  closeTo(hit!.point, [0.5, 0, 0], 1e-9);
  close(hit!.distance, Math.hypot(0.5, 10), 1e-3);
  assert.equal(pickSegments(query(view, x, y + 3.1), positions, segments, 3), null);
  // The ends are round: within the half width past an end is on the band, further is not.
  const [endX] = pixel(view, [1, 0, 0]);
  assert.equal(pickSegments(query(view, endX + 2.9, y), positions, segments, 3)?.vertex, 1);
  assert.equal(pickSegments(query(view, endX + 2, y + 2.5), positions, segments, 3), null);
});

test('the point on a segment receding from the camera is found perspective-correctly', () => {
  const view = camera();
  const positions = new Float32Array([1, 0, 8, 1, 0, -40]);
  const target: [number, number, number] = [1, 0, 8 - 0.3 * 48];
  const hit = pickSegments(query(view, ...pixel(view, target)), positions, new Uint32Array([0, 1]), 2);
  assert.ok(hit);
  closeTo(hit.point, target, 1e-3);
  assert.equal(hit.vertex, 0);
});

test('the nearer of two crossing segments wins where they cross', () => {
  const view = camera();
  const [x, y] = [WIDTH / 2, HEIGHT / 2];
  const segments = new Uint32Array([0, 1, 2, 3]);
  const nearSecond = new Float32Array([-1, 0, 0, 1, 0, 0, 0, -1, 2, 0, 1, 2]);
  const hit = pickSegments(query(view, x, y), nearSecond, segments, 3);
  assert.equal(hit?.segment, 1);
  closeTo(hit!.point, [0, 0, 2], 1e-9);
  close(hit!.distance, 8);
  const nearFirst = new Float32Array([-1, 0, 0, 1, 0, 0, 0, -1, -2, 0, 1, -2]);
  assert.equal(pickSegments(query(view, x, y), nearFirst, segments, 3)?.segment, 0);
});

test('a segment crossing the near plane is clipped there, as it is drawn', () => {
  const view = camera();
  // From in front of the camera to behind it: unclipped, its ends project to either side of the centre.
  const positions = new Float32Array([0.5, 0, 0, 0.5, 0, 20]);
  const segments = new Uint32Array([0, 1]);
  const target: [number, number, number] = [0.5, 0, 5];
  const hit = pickSegments(query(view, ...pixel(view, target)), positions, segments, 2);
  assert.ok(hit);
  closeTo(hit.point, target, 1e-3);
  assert.equal(hit.vertex, 0);
  assert.equal(pickSegments(query(view, WIDTH / 2, HEIGHT / 2), positions, segments, 2), null);
  const reversed = new Uint32Array([1, 0]);
  assert.equal(pickSegments(query(view, ...pixel(view, target)), positions, reversed, 2)?.vertex, 0);
  const behind = new Float32Array([0.5, 0, 12, 0.5, 0, 20]);
  assert.equal(pickSegments(query(view, WIDTH / 2, HEIGHT / 2), behind, segments, 1000), null);
});
