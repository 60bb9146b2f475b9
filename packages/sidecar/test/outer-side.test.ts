// Closed meshes seen from outside are drawn one-sided: which meshes count as closed and which way they face, when
// the eye is far enough outside, and that the picture is the one both sides give.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as THREE from 'three';
import { outerSide, outsideBox } from '../src/render/objects/outer-side.js';
import { Surface } from '../src/render/objects/surface.js';
import type { SceneView } from '../src/render/view.js';
import { cube, type Mesh, sphere } from '../../../test/support/meshes.js';
import { drawnScenes, input, SIDE, view } from './object-scenes.js';

const draw = drawnScenes();

// The mesh with its triangles wound the other way.
function flipped({ positions, indices }: Mesh): Mesh {
  const out = Uint32Array.from(indices);
  for (let t = 0; t < out.length; t += 3) [out[t], out[t + 1]] = [out[t + 1]!, out[t]!];
  return { positions, indices: out };
}

// A triangle in the middle of a sphere's list, away from the poles (whose triangles have no area).
const middle = (indices: Uint32Array) => Math.floor(indices.length / 6) * 3;

// The mesh with a triangle drawn twice: the same picture, but its edges have three triangles.
function doubled({ positions, indices }: Mesh): Mesh {
  const out = new Uint32Array(indices.length + 3);
  out.set(indices);
  out.set(indices.subarray(middle(indices), middle(indices) + 3), indices.length);
  return { positions, indices: out };
}

function geometryMesh(geometry: THREE.BufferGeometry): Mesh {
  const indices = geometry.getIndex();
  return {
    positions: Float32Array.from(geometry.getAttribute('position').array),
    indices: Uint32Array.from(indices!.array),
  };
}

test('closed meshes face out on the side their winding says; open, doubled or mixed ones are not closed', () => {
  const ball = sphere(16, 32); // poles and a seam of repeated vertices
  const side = outerSide(ball.positions, ball.indices);
  assert.ok(side !== null, 'a UV sphere with its seam and poles is closed');
  assert.equal(outerSide(flipped(ball).positions, flipped(ball).indices), side === 'front' ? 'back' : 'front');
  assert.equal(outerSide(cube().positions, cube().indices), 'front');
  const box = geometryMesh(new THREE.BoxGeometry()); // 24 vertices: each face has its own corners
  assert.equal(outerSide(box.positions, box.indices), 'front');
  const knot = geometryMesh(new THREE.TorusKnotGeometry(1, 0.3, 64, 8));
  assert.equal(outerSide(knot.positions, knot.indices), 'front');
  const cut = middle(ball.indices);
  const open = Uint32Array.from([...ball.indices.subarray(0, cut), ...ball.indices.subarray(cut + 3)]);
  assert.equal(outerSide(ball.positions, open), null, 'a hole');
  assert.equal(outerSide(doubled(ball).positions, doubled(ball).indices), null, 'an edge of three triangles');
  const plane = geometryMesh(new THREE.PlaneGeometry());
  assert.equal(outerSide(plane.positions, plane.indices), null, 'a sheet');
  // two balls apart, one wound outwards and one inwards: no one side is the outer side of both
  const other = flipped(ball);
  const positions = new Float32Array(ball.positions.length * 2);
  positions.set(ball.positions);
  positions.set(
    other.positions.map((value, i) => (i % 3 === 0 ? value + 5 : value)),
    ball.positions.length,
  );
  const indices = new Uint32Array(ball.indices.length * 2);
  indices.set(ball.indices);
  indices.set(
    other.indices.map((index) => index + ball.positions.length / 3),
    ball.indices.length,
  );
  assert.equal(outerSide(positions, indices), null);
});

test('the eye counts as outside a box only beyond the reach of the near plane', () => {
  const box = new THREE.Box3(new THREE.Vector3(-1, -1, -1), new THREE.Vector3(1, 1, 1));
  const camera = new THREE.PerspectiveCamera(45, 16 / 9, 0.1, 100);
  camera.position.set(0, 0, 5);
  assert.equal(outsideBox(camera, box), true);
  camera.position.set(0, 0, 0.5);
  assert.equal(outsideBox(camera, box), false, 'inside');
  camera.position.set(0, 0, 1.05);
  assert.equal(outsideBox(camera, box), false, 'outside, but the near plane reaches into the box');
  camera.position.set(0, 0, 1.2);
  assert.equal(outsideBox(camera, box), true);
});

// The sides the meshes of `scene` are drawn with, after a draw.
function sides(scene: SceneView): THREE.Side[] {
  const found: THREE.Side[] = [];
  scene.scene.traverse((object) => {
    if (object instanceof THREE.Mesh && object.visible) found.push((object.material as THREE.Material).side);
  });
  return found;
}

test('a closed mesh seen from outside is drawn one-sided with the picture both sides give', async () => {
  const ball = sphere(24, 48);
  const shown = (mesh: Mesh) => {
    const scene = view();
    const arrays = input({
      vertices: [mesh.positions, [mesh.positions.length / 3, 3]],
      faces: [mesh.indices, [mesh.indices.length / 3, 3]],
    });
    scene.show('ball', 'ball', new Surface({ color: '#3388cc' }, arrays));
    scene.orbit = { target: [0, 0, 0], radius: 3.2, theta: 0.4, phi: 1.2, fov: 45, up: [0, 1, 0] };
    return scene;
  };
  const closed = shown(ball);
  const one = await draw(closed, 1, 'closed-one-side');
  const outer = outerSide(ball.positions, ball.indices) === 'front' ? THREE.FrontSide : THREE.BackSide;
  assert.deepEqual(sides(closed), [outer], 'from outside, the outer side only');
  const twice = shown(doubled(ball));
  const both = await draw(twice, 1, 'closed-both-sides');
  assert.deepEqual(sides(twice), [THREE.DoubleSide], 'not closed: both sides');
  let differ = 0;
  for (let y = 0; y < SIDE; y += 1) {
    for (let x = 0; x < SIDE; x += 1) {
      if (one(x, y).some((value, c) => Math.abs(value - both(x, y)[c]!) > 2)) differ += 1;
    }
  }
  assert.ok(differ <= SIDE / 20, `${differ} pixels differ (at most a few along the silhouette)`);
  assert.notDeepEqual(one(SIDE / 2, SIDE / 2), [0, 0, 0], 'the ball is drawn');
  closed.orbit = { target: [0, 0, 0], radius: 0.3, theta: 0.4, phi: 1.2, fov: 45, up: [0, 1, 0] };
  const inside = await draw(closed, 1, 'closed-inside');
  assert.deepEqual(sides(closed), [THREE.DoubleSide], 'from inside, both sides');
  assert.notDeepEqual(inside(SIDE / 2, SIDE / 2), [0, 0, 0], 'the inside of the ball is drawn');
});
