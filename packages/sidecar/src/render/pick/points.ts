// The point pick: points are discs of a fixed CSS size on screen, so the test is in screen space.
import type { PickQuery } from '../objects/scene-object.js';
import { distancePerDepth, projector, SAME_DEPTH } from './screen.js';

export interface PointHit {
  index: number;
  distance: number;
  point: [number, number, number];
}

// The point whose disc of radius `radiusCss` covers the query's pixel and is nearest to the camera (as the depth
// buffer decides: by the centre's depth); among equally deep ones, the one centred nearest to the pixel.
export function pickPoints(query: PickQuery, positions: Float32Array, radiusCss: number): PointHit | null {
  const project = projector(query);
  const radius2 = radiusCss * radiusCss;
  let best = -1;
  let bestDepth = Number.POSITIVE_INFINITY;
  let bestOffset = Number.POSITIVE_INFINITY;
  const count = Math.floor(positions.length / 3);
  for (let i = 0; i < count; i++) {
    const p = project(positions[3 * i]!, positions[3 * i + 1]!, positions[3 * i + 2]!);
    if (!p.visible) continue;
    const offset = (p.x - query.x) ** 2 + (p.y - query.y) ** 2;
    if (offset > radius2) continue;
    const tie = Math.abs(p.depth - bestDepth) <= SAME_DEPTH * p.depth;
    if (tie ? offset >= bestOffset : p.depth > bestDepth) continue;
    best = i;
    bestDepth = p.depth;
    bestOffset = offset;
  }
  if (best < 0) return null;
  return {
    index: best,
    distance: bestDepth * distancePerDepth(query),
    point: [positions[3 * best]!, positions[3 * best + 1]!, positions[3 * best + 2]!],
  };
}
