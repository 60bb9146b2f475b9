// The built-in demo scene: a torus knot of about 16k triangles, built through the same path as kernel meshes.
import * as THREE from 'three';
import { buildMesh } from './mesh.js';
import type { SceneView } from './view.js';

// Add the demo torus knot to `view`.
export function addDemo(view: SceneView): void {
  const knot = new THREE.TorusKnotGeometry(1, 0.32, 256, 32);
  const positions = knot.getAttribute('position').array as Float32Array;
  const indices = Uint32Array.from(knot.getIndex()!.array);
  const mesh = buildMesh(
    { dtype: 'float32', shape: [positions.length / 3, 3] },
    new Uint8Array(positions.buffer, positions.byteOffset, positions.byteLength),
    { dtype: 'uint32', shape: [indices.length / 3, 3] },
    new Uint8Array(indices.buffer),
    '#44aa88',
  );
  knot.dispose();
  view.add('demo', mesh);
}
