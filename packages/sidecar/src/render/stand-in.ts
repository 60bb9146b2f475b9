// A coarse stand-in for a big mesh, drawn while the user drags (the lossless still uses the full mesh):
// vertex clustering on a uniform grid, as ParaView's interactive LOD does with quadric clustering. Each
// occupied cell becomes one vertex at the mean of its vertices; triangles whose corners fall in fewer than
// three cells vanish. Linear in the mesh size.

// Meshes above this many triangles get a stand-in.
export const STAND_IN_MIN_TRIANGLES = 200_000;
// About how many triangles the stand-in keeps.
export const STAND_IN_TARGET_TRIANGLES = 80_000;

const MAX_GRID = 1024;
const ATTEMPTS = 4;

// Positions (x, y, z per vertex) and triangle indices.
export interface IndexedMesh {
  positions: Float32Array;
  indices: Uint32Array;
}

// A stand-in, and for each of its vertices one vertex of the full mesh it stands for (whose colour it takes).
export interface Clustered extends IndexedMesh {
  origin: Uint32Array;
}

// A mesh as three.js holds it: 16-bit indices when there are few enough vertices.
export interface SourceMesh {
  positions: Float32Array;
  indices: Uint16Array | Uint32Array;
}

// A stand-in of about `target` triangles, or null when the mesh is small enough as it is.
export function decimate(
  mesh: SourceMesh,
  target = STAND_IN_TARGET_TRIANGLES,
  minimum = STAND_IN_MIN_TRIANGLES,
): Clustered | null {
  const triangles = mesh.indices.length / 3;
  if (triangles <= minimum) return null;
  // A closed surface has about twice as many triangles as vertices; the occupied cells of a surface grow
  // with the square of the grid's resolution.
  let grid = Math.min(MAX_GRID, Math.max(2, Math.round(Math.sqrt(target / 2))));
  let best: Clustered | null = null;
  for (let attempt = 0; attempt < ATTEMPTS; attempt += 1) {
    const candidate = cluster(mesh, grid);
    const kept = candidate.indices.length / 3;
    if (kept <= target * 1.5 && (best === null || kept > best.indices.length / 3)) best = candidate;
    if (kept >= target * 0.6 && kept <= target * 1.5) break;
    const next = Math.min(MAX_GRID, Math.max(2, Math.round(grid * Math.sqrt(target / Math.max(kept, 1)))));
    if (next === grid) break;
    grid = next;
  }
  return best !== null && best.indices.length / 3 < triangles ? best : null;
}

// Cluster the vertices on a grid of `grid` cells along the longest side of the bounding box.
export function cluster(mesh: SourceMesh, grid: number): Clustered {
  const { positions, indices } = mesh;
  const count = positions.length / 3;
  const low = [Infinity, Infinity, Infinity];
  const high = [-Infinity, -Infinity, -Infinity];
  for (let i = 0; i < count; i += 1) {
    for (let axis = 0; axis < 3; axis += 1) {
      const value = positions[i * 3 + axis]!;
      if (value < low[axis]!) low[axis] = value;
      if (value > high[axis]!) high[axis] = value;
    }
  }
  const cell = Math.max(high[0]! - low[0]!, high[1]! - low[1]!, high[2]! - low[2]!) / grid || 1;
  const cellOf = new Uint32Array(count);
  const cells = new Map<number, number>();
  const sums: number[] = [];
  const counts: number[] = [];
  const origin: number[] = [];
  for (let i = 0; i < count; i += 1) {
    let key = 0;
    for (let axis = 2; axis >= 0; axis -= 1) {
      const index = Math.min(grid - 1, Math.floor((positions[i * 3 + axis]! - low[axis]!) / cell));
      key = key * grid + index;
    }
    let id = cells.get(key);
    if (id === undefined) {
      id = counts.length;
      cells.set(key, id);
      counts.push(0);
      sums.push(0, 0, 0);
      origin.push(i);
    }
    cellOf[i] = id;
    counts[id]! += 1;
    sums[id * 3]! += positions[i * 3]!;
    sums[id * 3 + 1]! += positions[i * 3 + 1]!;
    sums[id * 3 + 2]! += positions[i * 3 + 2]!;
  }
  const coarsePositions = new Float32Array(counts.length * 3);
  for (let id = 0; id < counts.length; id += 1) {
    for (let axis = 0; axis < 3; axis += 1) coarsePositions[id * 3 + axis] = sums[id * 3 + axis]! / counts[id]!;
  }
  const kept: number[] = [];
  for (let t = 0; t < indices.length; t += 3) {
    const a = cellOf[indices[t]!]!;
    const b = cellOf[indices[t + 1]!]!;
    const c = cellOf[indices[t + 2]!]!;
    if (a !== b && b !== c && a !== c) kept.push(a, b, c);
  }
  return { positions: coarsePositions, indices: Uint32Array.from(kept), origin: Uint32Array.from(origin) };
}
