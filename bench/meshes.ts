// The benchmark scenes: torus knots of about 16k, 500k and 1M triangles, as raw arrays.
import * as THREE from 'three';

// One scene's raw vertex and face arrays, as the kernel would send them.
export interface SceneArrays {
  triangles: number;
  positions: Float32Array;
  indices: Uint32Array;
}

// [tubular, radial] segments: triangles = 2 * tubular * radial.
const SEGMENTS: Array<[number, number]> = [
  [256, 32],
  [2048, 128],
  [4096, 128],
];

// Generate every scene (the first is the demo's knot).
export function scenes(): SceneArrays[] {
  return SEGMENTS.map(([tubular, radial]) => {
    const knot = new THREE.TorusKnotGeometry(1, 0.32, tubular, radial);
    const positions = Float32Array.from(knot.getAttribute('position').array);
    const indices = Uint32Array.from(knot.getIndex()!.array);
    knot.dispose();
    return { triangles: indices.length / 3, positions, indices };
  });
}

// Raw bytes of a typed array.
export function bytes(array: Float32Array | Uint32Array): Uint8Array {
  return new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
}
