// Where world points land in a view, for picks decided on screen (points and lines are drawn with sizes in CSS
// pixels, so whether one covers a pixel is only known after projection).
import * as THREE from 'three';
import type { PickQuery } from '../objects/scene-object.js';

export interface Projected {
  // CSS pixels from the view's top-left corner, y down; meaningful only when `visible`.
  x: number;
  y: number;
  // Distance from the camera along its view direction (for a perspective camera, also the clip-space w).
  depth: number;
  // In front of the near plane.
  visible: boolean;
}

// The projector answers in one object it reuses, so that a loop over a million points allocates nothing: read
// the fields before the next call.
export type Projector = (x: number, y: number, z: number) => Readonly<Projected>;

// Depths this close (relative) are one depth: the positions are float32, so finer differences are rounding.
export const SAME_DEPTH = 1e-7;

export function projector(query: PickQuery): Projector {
  const { camera, width, height } = query;
  const view = camera.matrixWorldInverse.elements;
  const clip = new THREE.Matrix4().multiplyMatrices(camera.projectionMatrix, camera.matrixWorldInverse).elements;
  // Rows x, y and w of the world-to-clip matrix (column-major elements), and minus the view matrix's z row.
  const [x0, x1, x2, x3] = [clip[0]!, clip[4]!, clip[8]!, clip[12]!];
  const [y0, y1, y2, y3] = [clip[1]!, clip[5]!, clip[9]!, clip[13]!];
  const [w0, w1, w2, w3] = [clip[3]!, clip[7]!, clip[11]!, clip[15]!];
  const [d0, d1, d2, d3] = [-view[2]!, -view[6]!, -view[10]!, -view[14]!];
  const near = camera.near;
  const halfWidth = width / 2;
  const halfHeight = height / 2;
  const out: Projected = { x: 0, y: 0, depth: 0, visible: false };
  return (x, y, z) => {
    const w = w0 * x + w1 * y + w2 * z + w3;
    out.x = ((x0 * x + x1 * y + x2 * z + x3) / w + 1) * halfWidth;
    out.y = (1 - (y0 * x + y1 * y + y2 * z + y3) / w) * halfHeight;
    out.depth = d0 * x + d1 * y + d2 * z + d3;
    out.visible = out.depth >= near;
    return out;
  };
}

// The distance along the query's ray per unit of depth. Points and lines are hit at a depth; reported as a
// distance along the ray, it compares with a surface's hit the way the depth buffer compares them when drawing.
export function distancePerDepth(query: PickQuery): number {
  const forward = query.camera.getWorldDirection(new THREE.Vector3());
  return 1 / query.ray.direction.dot(forward);
}
