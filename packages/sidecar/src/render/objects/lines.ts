// A set of line segments of a width in CSS pixels, in one colour or coloured by a scalar per vertex or per
// segment. WebGL1 in browsers draws GL lines one pixel wide whatever lineWidth says, so each segment is a
// screen-space quad with round ends (three's LineSegments2). The geometry and material are shared by the nodes of
// every view. The quads cost llvmpipe about eight vertices and six triangles per segment (100k segments take
// 200-400 ms on two cores), so a big set has a stand-in for drags: GL lines over the same ends and colours, about
// five times cheaper, as wide as the GL allows (Mesa under headless-gl: up to 255 pixels; elsewhere maybe 1).
import { LIMITS } from '@glstream/protocol';
import * as THREE from 'three';
import { LineMaterial } from 'three/examples/jsm/lines/LineMaterial.js';
import { LineSegments2 } from 'three/examples/jsm/lines/LineSegments2.js';
import { LineSegmentsGeometry } from 'three/examples/jsm/lines/LineSegmentsGeometry.js';
import { InputError } from '../../errors.js';
import { pickSegments } from '../pick/segments.js';
import { type ArrayInput, checkFinite, checkIndices, optionalArray, requiredArray } from './arrays.js';
import { type Coloring, readColoring, scalarColors, solidColor, UNCOLORED } from './colors.js';
import type { ColorScale, DrawContext, Hit, ObjectNode, PickQuery, SceneObject } from './scene-object.js';
import { colorScaleOf, styleNumber } from './style.js';

const DEFAULT_WIDTH = 2;
// Thin lines still take a click this far from them.
const MIN_PICK_HALF_WIDTH = 3;
// Sets of this many segments get a stand-in.
const STAND_IN_MIN_SEGMENTS = 50_000;

export class LineSet implements SceneObject {
  readonly kind = 'lines';
  readonly #material = new LineMaterial({ worldUnits: false });
  readonly #standInMaterial = new THREE.LineBasicMaterial();
  // Each node's way to draw the current geometry or stand-in.
  readonly #nodes = new Set<() => void>();
  readonly #bounds = new THREE.Box3();
  #vertices: Float32Array;
  #segments: Uint32Array;
  #coloring: Coloring;
  #width: number;
  // Both ends of every segment, in the order the geometries draw them (x, y, z, x, y, z per segment), and their
  // colours when there are scalars; the geometries draw from these very arrays.
  #ends: Float32Array;
  #endColors: Float32Array | null = null;
  #geometry: LineSegmentsGeometry;
  #standIn: THREE.BufferGeometry | null;

  constructor(style: Record<string, unknown>, arrays: ArrayInput) {
    const vertices = requiredArray(arrays, 'vertices', 'float32', 3).data;
    const segments = requiredArray(arrays, 'segments', 'uint32', 2).data;
    checkFinite('vertices', vertices, 3);
    checkIndices('segments', segments, vertices.length / 3, 2, 'vertex');
    this.#coloring = readColoring(style, arrays, UNCOLORED, counts(vertices, segments), counted(vertices, segments));
    this.#width = readWidth(style, DEFAULT_WIDTH);
    this.#vertices = vertices;
    this.#segments = segments;
    this.#ends = gatherEnds(vertices, segments);
    this.#applyColor();
    this.#endColors = this.#coloring.scalars === null ? null : this.#colorEnds();
    this.#geometry = this.#buildGeometry();
    this.#standIn = this.#buildStandIn();
    this.#bounds.setFromArray(this.#ends);
  }

  node(): ObjectNode {
    const root = new THREE.Group();
    const quads = new LineSegments2(this.#geometry, this.#material);
    const thin = new THREE.LineSegments(undefined, this.#standInMaterial);
    root.add(quads, thin);
    let standIn = false;
    const show = () => {
      quads.geometry = this.#geometry;
      if (this.#standIn !== null) thin.geometry = this.#standIn;
      thin.visible = standIn && this.#standIn !== null;
      quads.visible = !thin.visible;
    };
    show();
    const hasStandIn = () => this.#standIn !== null;
    this.#nodes.add(show);
    return {
      root,
      get hasStandIn() {
        return hasStandIn();
      },
      useStandIn: (on: boolean) => {
        standIn = on;
        show();
      },
      prepare: (context: DrawContext) => {
        this.#material.linewidth = this.#width * context.pixelScale;
        this.#material.resolution.set(context.width, context.height);
        this.#standInMaterial.linewidth = this.#width * context.pixelScale;
      },
      detach: () => {
        root.removeFromParent();
        this.#nodes.delete(show);
      },
    };
  }

  bounds(): THREE.Box3 {
    return this.#bounds.clone();
  }

  update(style: Record<string, unknown>, arrays: ArrayInput): void {
    const freshVertices = optionalArray(arrays, 'vertices', 'float32', 3)?.data;
    const freshSegments = optionalArray(arrays, 'segments', 'uint32', 2)?.data;
    if (freshVertices !== undefined) checkFinite('vertices', freshVertices, 3);
    const vertices = freshVertices ?? this.#vertices;
    const segments = freshSegments ?? this.#segments;
    if (freshVertices !== undefined || freshSegments !== undefined) {
      checkIndices('segments', segments, vertices.length / 3, 2, 'vertex');
    }
    const coloring = readColoring(
      style,
      arrays,
      this.#coloring,
      counts(vertices, segments),
      counted(vertices, segments),
    );
    const width = readWidth(style, this.#width);
    // Every check is done: from here on the object changes.
    const rebuild =
      segments.length !== this.#segments.length || (coloring.scalars === null) !== (this.#coloring.scalars === null);
    this.#vertices = vertices;
    this.#segments = segments;
    this.#coloring = coloring;
    this.#width = width;
    this.#applyColor();
    if (freshVertices !== undefined || freshSegments !== undefined) {
      this.#ends = gatherEnds(vertices, segments, rebuild ? undefined : this.#ends);
      this.#bounds.setFromArray(this.#ends);
    }
    const recolor = coloring.scalars !== null && (arrays.size > 0 || style['clim'] !== undefined);
    if (recolor) this.#endColors = this.#colorEnds(rebuild ? undefined : (this.#endColors ?? undefined));
    if (rebuild) {
      const old = [this.#geometry, this.#standIn];
      this.#geometry = this.#buildGeometry();
      this.#standIn = this.#buildStandIn();
      for (const show of this.#nodes) show();
      for (const geometry of old) geometry?.dispose();
      return;
    }
    if (freshVertices !== undefined || freshSegments !== undefined) {
      interleaved(this.#geometry, 'instanceStart').needsUpdate = true;
      this.#geometry.computeBoundingBox();
      this.#geometry.computeBoundingSphere();
      if (this.#standIn !== null) {
        this.#standIn.getAttribute('position').needsUpdate = true;
        this.#standIn.computeBoundingSphere();
      }
    }
    if (recolor) {
      interleaved(this.#geometry, 'instanceColorStart').needsUpdate = true;
      if (this.#standIn !== null) this.#standIn.getAttribute('color').needsUpdate = true;
    }
  }

  pick(query: PickQuery): Hit | null {
    const halfWidth = Math.max(this.#width / 2, MIN_PICK_HALF_WIDTH);
    const hit = pickSegments(query, this.#vertices, this.#segments, halfWidth);
    if (hit === null) return null;
    const scalars = this.#coloring.scalars;
    const perVertex = scalars !== null && scalars.length === this.#vertices.length / 3;
    return {
      index: hit.segment,
      vertex: hit.vertex,
      position: hit.point,
      value: scalars === null ? null : scalars[perVertex ? hit.vertex : hit.segment]!,
      distance: hit.distance,
    };
  }

  colorScale(): ColorScale | null {
    const { scalars, lut, clim } = this.#coloring;
    return colorScaleOf(scalars, lut, clim);
  }

  dispose(): void {
    this.#geometry.dispose();
    this.#standIn?.dispose();
    this.#material.dispose();
    this.#standInMaterial.dispose();
  }

  #buildGeometry(): LineSegmentsGeometry {
    const geometry = new LineSegmentsGeometry();
    geometry.setPositions(this.#ends);
    if (this.#endColors !== null) geometry.setColors(this.#endColors);
    return geometry;
  }

  #buildStandIn(): THREE.BufferGeometry | null {
    if (this.#segments.length / 2 < STAND_IN_MIN_SEGMENTS) return null;
    const geometry = new THREE.BufferGeometry();
    geometry.setAttribute('position', new THREE.BufferAttribute(this.#ends, 3));
    if (this.#endColors !== null) geometry.setAttribute('color', new THREE.BufferAttribute(this.#endColors, 3));
    geometry.computeBoundingSphere();
    return geometry;
  }

  // The colour of both ends of every segment, from scalars per vertex (blended along the segment) or per segment.
  #colorEnds(out: Float32Array = new Float32Array(this.#ends.length)): Float32Array {
    const { scalars, lut, clim } = this.#coloring;
    const entries = scalarColors(scalars!, lut!, clim!);
    const segments = this.#segments;
    const perVertex = scalars!.length === this.#vertices.length / 3;
    for (let s = 0; s < segments.length / 2; s += 1) {
      const a = (perVertex ? segments[s * 2]! : s) * 3;
      const b = (perVertex ? segments[s * 2 + 1]! : s) * 3;
      out.set(entries.subarray(a, a + 3), s * 6);
      out.set(entries.subarray(b, b + 3), s * 6 + 3);
    }
    return out;
  }

  // The solid colour, or the ends' colours (the shaders are recompiled when that choice changes).
  #applyColor(): void {
    const perEnd = this.#coloring.scalars !== null;
    const color = perEnd ? new THREE.Color(0xffffff) : solidColor(this.#coloring.color);
    this.#material.color = color;
    this.#standInMaterial.color = color;
    for (const material of [this.#material, this.#standInMaterial]) {
      if (material.vertexColors === perEnd) continue;
      material.vertexColors = perEnd;
      material.needsUpdate = true;
    }
  }
}

// The scalar counts a line set takes: one per vertex (preferred when the two agree) or one per segment.
function counts(vertices: Float32Array, segments: Uint32Array): number[] {
  return [vertices.length / 3, segments.length / 2];
}

function counted(vertices: Float32Array, segments: Uint32Array): string {
  return `${vertices.length / 3} vertices or ${segments.length / 2} segments take one value each`;
}

function gatherEnds(
  vertices: Float32Array,
  segments: Uint32Array,
  out: Float32Array = new Float32Array(segments.length * 3),
): Float32Array {
  for (let i = 0; i < segments.length; i += 1) {
    const v = segments[i]! * 3;
    out[i * 3] = vertices[v]!;
    out[i * 3 + 1] = vertices[v + 1]!;
    out[i * 3 + 2] = vertices[v + 2]!;
  }
  return out;
}

// The interleaved buffer behind one of LineSegmentsGeometry's instance attributes (start and end share it).
function interleaved(geometry: LineSegmentsGeometry, name: string): THREE.InterleavedBuffer {
  return (geometry.getAttribute(name) as THREE.InterleavedBufferAttribute).data;
}

// A line width in CSS pixels, more than 0.
function readWidth(style: Record<string, unknown>, fallback: number): number {
  const width = styleNumber(style, 'width', fallback, 0, LIMITS.mark_size.max);
  if (width === 0) throw new InputError(`"width" must be more than 0 CSS pixels, got 0`);
  return width;
}
