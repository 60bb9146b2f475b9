// Which winding of a triangle mesh faces out, when the mesh is closed. Seen from outside a closed surface whose
// triangles all wind the same way, every triangle facing away from the eye lies behind one facing it, so those
// need not be drawn at all: on llvmpipe, drawing both sides of a closed mesh costs 1.5-2x drawing one. Corners
// within a millionth of the mesh's size are one vertex here: a seam of a generated mesh repeats its vertices,
// with rounding differences.

import * as THREE from 'three';

// Front: the outward triangles wind counter-clockwise (three's front side); back: clockwise.
export type OuterSide = 'front' | 'back';

// Corners closer than this fraction of the mesh's biggest side are the same vertex.
const WELD = 1e-6;

// The outward winding of the mesh when it is closed (every edge shared by exactly two triangles that run along
// it in opposite directions) and each of its parts encloses a volume of the same sign; null otherwise.
export function outerSide(positions: Float32Array, indices: Uint32Array): OuterSide | null {
  const corner = weld(positions);
  const count = positions.length / 3;
  // the edges leaving each vertex, a -> b, b -> c, c -> a of each triangle: from[v] .. from[v + 1] in `to`
  const from = new Int32Array(count + 1);
  const triangle = (t: number) => [corner[indices[t]!]!, corner[indices[t + 1]!]!, corner[indices[t + 2]!]!] as const;
  for (let t = 0; t < indices.length; t += 3) {
    const [a, b, c] = triangle(t);
    if (a === b || b === c || c === a) continue; // no area: draws nothing and bounds nothing
    from[a + 1] = from[a + 1]! + 1;
    from[b + 1] = from[b + 1]! + 1;
    from[c + 1] = from[c + 1]! + 1;
  }
  for (let v = 0; v < count; v += 1) from[v + 1] = from[v + 1]! + from[v]!;
  const to = new Int32Array(from[count]!);
  const next = from.slice(0, count);
  const parts = new Parts(count);
  for (let t = 0; t < indices.length; t += 3) {
    const [a, b, c] = triangle(t);
    if (a === b || b === c || c === a) continue;
    for (const [u, w] of [
      [a, b],
      [b, c],
      [c, a],
    ] as const) {
      to[next[u]!] = w;
      next[u] = next[u]! + 1;
    }
    parts.join(a, b);
    parts.join(a, c);
  }
  for (let u = 0; u < count; u += 1) {
    for (let i = from[u]!; i < from[u + 1]!; i += 1) {
      const w = to[i]!;
      // one triangle runs from u to w, and exactly one back from w to u
      for (let j = i + 1; j < from[u + 1]!; j += 1) if (to[j] === w) return null;
      let back = 0;
      for (let j = from[w]!; j < from[w + 1]!; j += 1) if (to[j] === u) back += 1;
      if (back !== 1) return null;
    }
  }
  return parts.side(positions, indices, corner);
}

// Whether the eye of `camera` is outside `box` by more than the reach of the near plane (to its corners, with 1%
// to spare): the near plane then cuts nothing in the box open, so no inside shows.
export function outsideBox(camera: THREE.PerspectiveCamera, box: THREE.Box3): boolean {
  const tan = Math.tan(THREE.MathUtils.degToRad(camera.fov) / 2);
  const reach = 1.01 * camera.near * Math.sqrt(1 + tan * tan * (1 + camera.aspect * camera.aspect));
  const { x, y, z } = camera.position;
  const { min, max } = box;
  return (
    x < min.x - reach ||
    y < min.y - reach ||
    z < min.z - reach ||
    x > max.x + reach ||
    y > max.y + reach ||
    z > max.z + reach
  );
}

// For each vertex, the first vertex in its cell of a grid WELD times the mesh's biggest side wide.
function weld(positions: Float32Array): Int32Array {
  const count = positions.length / 3;
  const low = [Infinity, Infinity, Infinity];
  let side = 0;
  for (let axis = 0; axis < 3; axis += 1) {
    let high = -Infinity;
    for (let i = axis; i < positions.length; i += 3) {
      low[axis] = Math.min(low[axis]!, positions[i]!);
      high = Math.max(high, positions[i]!);
    }
    side = Math.max(side, high - low[axis]!);
  }
  const cell = side > 0 ? side * WELD : 1;
  const cells = new Int32Array(positions.length);
  for (let i = 0; i < positions.length; i += 1) cells[i] = Math.round((positions[i]! - low[i % 3]!) / cell);
  const size = tableSize(count);
  const slots = new Int32Array(size).fill(-1);
  const corner = new Int32Array(count);
  for (let v = 0; v < count; v += 1) {
    const x = cells[3 * v]!;
    const y = cells[3 * v + 1]!;
    const z = cells[3 * v + 2]!;
    let slot = (Math.imul(x, 73856093) ^ Math.imul(y, 19349663) ^ Math.imul(z, 83492791)) & (size - 1);
    for (;;) {
      const held = slots[slot]!;
      if (held === -1) {
        slots[slot] = v;
        corner[v] = v;
        break;
      }
      if (cells[3 * held] === x && cells[3 * held + 1] === y && cells[3 * held + 2] === z) {
        corner[v] = held;
        break;
      }
      slot = (slot + 1) & (size - 1);
    }
  }
  return corner;
}

// The connected parts of the mesh (union-find), and the sign of the volume each encloses.
class Parts {
  readonly #parent: Int32Array;

  constructor(count: number) {
    this.#parent = new Int32Array(count);
    for (let v = 0; v < count; v += 1) this.#parent[v] = v;
  }

  join(a: number, b: number): void {
    const ra = this.#root(a);
    const rb = this.#root(b);
    if (ra !== rb) this.#parent[Math.max(ra, rb)] = Math.min(ra, rb);
  }

  // The outward winding shared by every part, or null when a part encloses no volume or parts disagree.
  side(positions: Float32Array, indices: Uint32Array, corner: Int32Array): OuterSide | null {
    const volume = new Map<number, number>();
    for (let t = 0; t < indices.length; t += 3) {
      const part = this.#root(corner[indices[t]!]!);
      if (part !== this.#root(corner[indices[t + 1]!]!) || part !== this.#root(corner[indices[t + 2]!]!)) continue;
      const a = indices[t]! * 3;
      const b = indices[t + 1]! * 3;
      const c = indices[t + 2]! * 3;
      // six times the signed volume of the tetrahedron from the origin to the triangle
      const v =
        positions[a]! * (positions[b + 1]! * positions[c + 2]! - positions[b + 2]! * positions[c + 1]!) +
        positions[a + 1]! * (positions[b + 2]! * positions[c]! - positions[b]! * positions[c + 2]!) +
        positions[a + 2]! * (positions[b]! * positions[c + 1]! - positions[b + 1]! * positions[c]!);
      volume.set(part, (volume.get(part) ?? 0) + v);
    }
    let sign = 0;
    for (const v of volume.values()) {
      const s = Math.sign(v);
      if (s === 0 || (sign !== 0 && s !== sign)) return null;
      sign = s;
    }
    if (sign === 0) return null;
    return sign > 0 ? 'front' : 'back';
  }

  #root(v: number): number {
    let x = v;
    while (this.#parent[x] !== x) {
      const up = this.#parent[this.#parent[x]!]!;
      this.#parent[x] = up;
      x = up;
    }
    return x;
  }
}

// A power of two at least twice `count`, for open addressing.
function tableSize(count: number): number {
  let size = 16;
  while (size < 2 * count) size *= 2;
  return size;
}
