// The built-in demo scene: a torus knot of about 16k triangles, built through the same path as kernel meshes.
import * as THREE from 'three';
import { arraysOf } from './objects/arrays.js';
import { Surface } from './objects/surface.js';
import type { SceneView } from './view.js';

// Add the demo torus knot to `view`.
export function addDemo(view: SceneView): void {
  const knot = new THREE.TorusKnotGeometry(1, 0.32, 256, 32);
  const positions = knot.getAttribute('position').array as Float32Array;
  const indices = Uint32Array.from(knot.getIndex()!.array);
  const arrays = arraysOf({
    vertices: { data: positions, shape: [positions.length / 3, 3] },
    faces: { data: indices, shape: [indices.length / 3, 3] },
  });
  knot.dispose();
  view.show('demo', 'demo', new Surface({ color: '#44aa88' }, arrays));
}
