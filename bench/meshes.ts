// The benchmark scenes: torus knots of about 16k, 500k and 1M triangles, as raw arrays.
import * as THREE from 'three';
import type { Mesh } from '../test/support/meshes.js';

// One scene's raw vertex and face arrays, as the kernel would send them, and its number of triangles.
export interface SceneArrays extends Mesh {
  triangles: number;
}

// [tubular, radial] segments: triangles = 2 * tubular * radial.
const SEGMENTS: Array<[number, number]> = [
  [256, 32],
  [2048, 128],
  [4096, 128],
];

// Generate the first `count` scenes, all by default (the first is the demo's knot).
export function scenes(count = SEGMENTS.length): SceneArrays[] {
  return SEGMENTS.slice(0, count).map(([tubular, radial]) => {
    const knot = new THREE.TorusKnotGeometry(1, 0.32, tubular, radial);
    const positions = Float32Array.from(knot.getAttribute('position').array);
    const indices = Uint32Array.from(knot.getIndex()!.array);
    knot.dispose();
    return { triangles: indices.length / 3, positions, indices };
  });
}
