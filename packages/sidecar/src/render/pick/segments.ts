// The line pick: segments are drawn as bands of a fixed CSS width with round ends, so the test is in screen space,
// after clipping each segment to the near plane as drawing does.
import type { PickQuery } from '../objects/scene-object.js';
import { distancePerDepth, projector, SAME_DEPTH } from './screen.js';

export interface SegmentHit {
  segment: number;
  // The segment's end nearer to `point`.
  vertex: number;
  distance: number;
  point: [number, number, number];
}

// The segment whose band (within `halfWidthCss` of it on screen) covers the query's pixel and is nearest to the
// camera there; among equally deep ones, the one passing nearest to the pixel. `point` is the world point of the
// segment at the spot on screen nearest to the pixel.
export function pickSegments(
  query: PickQuery,
  positions: Float32Array,
  segments: Uint32Array,
  halfWidthCss: number,
): SegmentHit | null {
  const project = projector(query);
  const near = query.camera.near;
  const reach2 = halfWidthCss * halfWidthCss;
  let best = -1;
  let bestParam = 0;
  let bestDepth = Number.POSITIVE_INFINITY;
  let bestOffset = Number.POSITIVE_INFINITY;
  const count = Math.floor(segments.length / 2);
  for (let s = 0; s < count; s++) {
    const a = segments[2 * s]! * 3;
    const b = segments[2 * s + 1]! * 3;
    const pa = project(positions[a]!, positions[a + 1]!, positions[a + 2]!);
    const aVisible = pa.visible;
    let [ax, ay, aDepth] = [pa.x, pa.y, pa.depth];
    const pb = project(positions[b]!, positions[b + 1]!, positions[b + 2]!);
    const bVisible = pb.visible;
    let [bx, by, bDepth] = [pb.x, pb.y, pb.depth];
    if (!aVisible && !bVisible) continue;
    // The visible part is [start, end] of the segment's parameter; depth is affine along it, so the near plane
    // crossing is where depth reaches `near`.
    let start = 0;
    let end = 1;
    if (!aVisible || !bVisible) {
      const cut = (near - aDepth) / (bDepth - aDepth);
      const c = project(
        positions[a]! + cut * (positions[b]! - positions[a]!),
        positions[a + 1]! + cut * (positions[b + 1]! - positions[a + 1]!),
        positions[a + 2]! + cut * (positions[b + 2]! - positions[a + 2]!),
      );
      if (aVisible) [end, bx, by, bDepth] = [cut, c.x, c.y, near];
      else [start, ax, ay, aDepth] = [cut, c.x, c.y, near];
    }
    const ex = bx - ax;
    const ey = by - ay;
    const length2 = ex * ex + ey * ey;
    const u = length2 > 0 ? Math.min(1, Math.max(0, ((query.x - ax) * ex + (query.y - ay) * ey) / length2)) : 0;
    const offset = (ax + u * ex - query.x) ** 2 + (ay + u * ey - query.y) ** 2;
    if (offset > reach2) continue;
    // Screen position is linear in 1/depth, not in the world parameter: undo the perspective division.
    const along = (u * aDepth) / ((1 - u) * bDepth + u * aDepth);
    const depth = aDepth + along * (bDepth - aDepth);
    const tie = Math.abs(depth - bestDepth) <= SAME_DEPTH * depth;
    if (tie ? offset >= bestOffset : depth > bestDepth) continue;
    best = s;
    bestParam = start + along * (end - start);
    bestDepth = depth;
    bestOffset = offset;
  }
  if (best < 0) return null;
  const a = segments[2 * best]!;
  const b = segments[2 * best + 1]!;
  const point: [number, number, number] = [0, 0, 0];
  for (let axis = 0; axis < 3; axis++) {
    const from = positions[3 * a + axis]!;
    point[axis] = from + bestParam * (positions[3 * b + axis]! - from);
  }
  return {
    segment: best,
    vertex: bestParam <= 0.5 ? a : b,
    distance: bestDepth * distancePerDepth(query),
    point,
  };
}
