// The exact surface pick: the nearest triangle the ray crosses, front or back face, by Möller–Trumbore on the raw
// arrays (a million triangles take milliseconds; nothing is allocated per triangle).
import type * as THREE from 'three';

export interface TriangleHit {
  face: number;
  // The face's corner nearest the hit.
  vertex: number;
  distance: number;
  point: [number, number, number];
}

// Faces seen within this relative tolerance of edge-on are missed: their hit would be numerical noise.
const EDGE_ON = 1e-12;

// `ray` has a unit direction, so distances are world lengths. Hits nearer than `minDistance` along the ray do not
// count (pass the near plane's distance so that what the camera clips away is not picked).
export function pickTriangles(
  ray: THREE.Ray,
  positions: Float32Array,
  indices: Uint32Array | Uint16Array,
  minDistance = 0,
): TriangleHit | null {
  const { x: ox, y: oy, z: oz } = ray.origin;
  const { x: dx, y: dy, z: dz } = ray.direction;
  let best = -1;
  let bestT = Number.POSITIVE_INFINITY;
  const faces = Math.floor(indices.length / 3);
  for (let f = 0; f < faces; f++) {
    const a = indices[3 * f]! * 3;
    const b = indices[3 * f + 1]! * 3;
    const c = indices[3 * f + 2]! * 3;
    const ax = positions[a]!;
    const ay = positions[a + 1]!;
    const az = positions[a + 2]!;
    const e1x = positions[b]! - ax;
    const e1y = positions[b + 1]! - ay;
    const e1z = positions[b + 2]! - az;
    const e2x = positions[c]! - ax;
    const e2y = positions[c + 1]! - ay;
    const e2z = positions[c + 2]! - az;
    // p = d x e2; det = e1 . p
    const px = dy * e2z - dz * e2y;
    const py = dz * e2x - dx * e2z;
    const pz = dx * e2y - dy * e2x;
    const det = e1x * px + e1y * py + e1z * pz;
    const scale = (e1x * e1x + e1y * e1y + e1z * e1z) * (e2x * e2x + e2y * e2y + e2z * e2z);
    if (det * det <= EDGE_ON * EDGE_ON * scale) continue;
    const inv = 1 / det;
    const sx = ox - ax;
    const sy = oy - ay;
    const sz = oz - az;
    const u = (sx * px + sy * py + sz * pz) * inv;
    if (u < 0 || u > 1) continue;
    // q = s x e1
    const qx = sy * e1z - sz * e1y;
    const qy = sz * e1x - sx * e1z;
    const qz = sx * e1y - sy * e1x;
    const v = (dx * qx + dy * qy + dz * qz) * inv;
    if (v < 0 || u + v > 1) continue;
    const t = (e2x * qx + e2y * qy + e2z * qz) * inv;
    if (t < minDistance || t >= bestT) continue;
    bestT = t;
    best = f;
  }
  if (best < 0) return null;
  const point: [number, number, number] = [ox + dx * bestT, oy + dy * bestT, oz + dz * bestT];
  let vertex = 0;
  let nearest = Number.POSITIVE_INFINITY;
  for (let corner = 0; corner < 3; corner++) {
    const index = indices[3 * best + corner]!;
    const distance = Math.hypot(
      positions[3 * index]! - point[0],
      positions[3 * index + 1]! - point[1],
      positions[3 * index + 2]! - point[2],
    );
    if (distance < nearest) {
      nearest = distance;
      vertex = index;
    }
  }
  return { face: best, vertex, distance: bestT, point };
}
