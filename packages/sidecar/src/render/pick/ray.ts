// The world ray a pick follows: from the camera through a CSS pixel of the view.
import * as THREE from 'three';

// (x, y) CSS pixels from the top-left of a width x height view; the camera's matrices must be up to date.
export function pickRay(
  x: number,
  y: number,
  width: number,
  height: number,
  camera: THREE.PerspectiveCamera,
): THREE.Ray {
  const origin = new THREE.Vector3().setFromMatrixPosition(camera.matrixWorld);
  const through = new THREE.Vector3((x / width) * 2 - 1, -(y / height) * 2 + 1, 0.5).unproject(camera);
  return new THREE.Ray(origin, through.sub(origin).normalize());
}
