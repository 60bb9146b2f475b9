// A point cloud: round points of a size in CSS pixels, in one colour or coloured by a scalar per point. The
// geometry and material are shared by the nodes of every view that shows it. llvmpipe draws points slowly (about
// 0.3 us each on two cores: a million take 300 ms), so a big cloud has a stand-in for drags: every k-th point,
// drawn from the same GPU buffers through an index.
import { LIMITS } from '@glstream/protocol';
import * as THREE from 'three';
import { InputError } from '../../errors.js';
import { pickPoints } from '../pick/points.js';
import { type ArrayInput, checkFinite, optionalArray, requiredArray } from './arrays.js';
import { type Coloring, readColoring, scalarColors, solidColor, UNCOLORED } from './colors.js';
import type { ColorScale, DrawContext, Hit, ObjectNode, PickQuery, SceneObject } from './scene-object.js';
import { colorScaleOf, styleNumber } from './style.js';

const DEFAULT_SIZE = 4;
// Points smaller than this still take a click this far from their centre.
const MIN_PICK_RADIUS = 3;
// Clouds of this many points get a stand-in of at most STAND_IN_POINTS.
const STAND_IN_MIN_POINTS = 200_000;
const STAND_IN_POINTS = 100_000;

// gl_PointSize squares, cut to discs in the fragment shader.
const VERTEX_SHADER = /* glsl */ `
uniform float pointSize;
uniform vec3 diffuse;
varying vec3 vPointColor;
void main() {
#ifdef USE_COLOR
  vPointColor = color;
#else
  vPointColor = diffuse;
#endif
  gl_Position = projectionMatrix * modelViewMatrix * vec4(position, 1.0);
  gl_PointSize = pointSize;
}
`;

const FRAGMENT_SHADER = /* glsl */ `
varying vec3 vPointColor;
void main() {
  vec2 offset = gl_PointCoord - vec2(0.5);
  if (dot(offset, offset) > 0.25) discard;
  gl_FragColor = vec4(vPointColor, 1.0);
  #include <colorspace_fragment>
}
`;

export class PointCloud implements SceneObject {
  readonly kind = 'points';
  readonly #diffuse = { value: new THREE.Color() };
  readonly #pointSize = { value: DEFAULT_SIZE };
  readonly #material: THREE.ShaderMaterial;
  // Each node's way to draw the current geometry or stand-in.
  readonly #nodes = new Set<() => void>();
  readonly #bounds = new THREE.Box3();
  // The positions as sent; the geometry draws from this very array.
  #positions: Float32Array;
  #coloring: Coloring;
  #size: number;
  #geometry: THREE.BufferGeometry;
  #standIn: THREE.BufferGeometry | null;

  constructor(style: Record<string, unknown>, arrays: ArrayInput) {
    const positions = requiredArray(arrays, 'points', 'float32', 3).data;
    checkFinite('points', positions, 3);
    this.#coloring = readColoring(style, arrays, UNCOLORED, [positions.length / 3], counted(positions));
    this.#size = readSize(style, DEFAULT_SIZE);
    this.#positions = positions;
    this.#material = new THREE.ShaderMaterial({
      uniforms: { diffuse: this.#diffuse, pointSize: this.#pointSize },
      vertexShader: VERTEX_SHADER,
      fragmentShader: FRAGMENT_SHADER,
    });
    this.#applyColor();
    this.#geometry = this.#buildGeometry();
    this.#standIn = standInOf(this.#geometry);
    this.#bounds.setFromArray(positions);
  }

  node(): ObjectNode {
    const points = new THREE.Points(this.#geometry, this.#material);
    let standIn = false;
    const show = () => {
      points.geometry = (standIn ? this.#standIn : null) ?? this.#geometry;
    };
    const hasStandIn = () => this.#standIn !== null;
    this.#nodes.add(show);
    return {
      root: points,
      get hasStandIn() {
        return hasStandIn();
      },
      useStandIn: (on: boolean) => {
        standIn = on;
        show();
      },
      prepare: (context: DrawContext) => {
        this.#pointSize.value = this.#size * context.pixelScale;
      },
      detach: () => {
        points.removeFromParent();
        this.#nodes.delete(show);
      },
    };
  }

  bounds(): THREE.Box3 {
    return this.#bounds.clone();
  }

  update(style: Record<string, unknown>, arrays: ArrayInput): void {
    const fresh = optionalArray(arrays, 'points', 'float32', 3)?.data;
    if (fresh !== undefined) checkFinite('points', fresh, 3);
    const positions = fresh ?? this.#positions;
    const coloring = readColoring(style, arrays, this.#coloring, [positions.length / 3], counted(positions));
    const size = readSize(style, this.#size);
    // Every check is done: from here on the object changes.
    const rebuild =
      positions.length !== this.#positions.length || (coloring.scalars === null) !== (this.#coloring.scalars === null);
    const recolor = arrays.has('scalars') || arrays.has('lut') || style['clim'] !== undefined;
    this.#coloring = coloring;
    this.#size = size;
    this.#applyColor();
    if (fresh !== undefined) this.#bounds.setFromArray(fresh);
    if (rebuild) {
      this.#positions = positions;
      const old = [this.#geometry, this.#standIn];
      this.#geometry = this.#buildGeometry();
      this.#standIn = standInOf(this.#geometry);
      for (const show of this.#nodes) show();
      for (const geometry of old) geometry?.dispose();
      return;
    }
    if (fresh !== undefined) {
      this.#positions.set(fresh);
      this.#geometry.getAttribute('position').needsUpdate = true;
      this.#geometry.computeBoundingSphere();
      this.#standIn?.boundingSphere?.copy(this.#geometry.boundingSphere!);
    }
    const color = this.#geometry.getAttribute('color') as THREE.BufferAttribute | undefined;
    if (recolor && color !== undefined) {
      this.#colorsInto(color.array as Float32Array);
      color.needsUpdate = true;
    }
  }

  pick(query: PickQuery): Hit | null {
    const hit = pickPoints(query, this.#positions, Math.max(this.#size / 2, MIN_PICK_RADIUS));
    if (hit === null) return null;
    const scalars = this.#coloring.scalars;
    return {
      index: hit.index,
      vertex: hit.index,
      position: hit.point,
      value: scalars === null ? null : scalars[hit.index]!,
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
  }

  #buildGeometry(): THREE.BufferGeometry {
    const geometry = new THREE.BufferGeometry();
    geometry.setAttribute('position', new THREE.BufferAttribute(this.#positions, 3));
    if (this.#coloring.scalars !== null) {
      geometry.setAttribute('color', new THREE.BufferAttribute(this.#colorsInto(), 3));
    }
    geometry.computeBoundingSphere();
    return geometry;
  }

  #colorsInto(out?: Float32Array): Float32Array {
    const { scalars, lut, clim } = this.#coloring;
    return scalarColors(scalars!, lut!, clim!, out);
  }

  // The solid colour, or per-point colours (the shader is recompiled when that choice changes).
  #applyColor(): void {
    const perPoint = this.#coloring.scalars !== null;
    this.#diffuse.value = solidColor(this.#coloring.color);
    if (this.#material.vertexColors !== perPoint) {
      this.#material.vertexColors = perPoint;
      this.#material.needsUpdate = true;
    }
  }
}

// Every k-th point of a big cloud, over the same attributes (so the same GPU buffers, updated with them); null for
// a small cloud. The two geometries are always disposed together: either one's dispose deletes the shared buffers.
function standInOf(full: THREE.BufferGeometry): THREE.BufferGeometry | null {
  const count = full.getAttribute('position').count;
  if (count < STAND_IN_MIN_POINTS) return null;
  const stride = Math.ceil(count / STAND_IN_POINTS);
  const index = new Uint32Array(Math.ceil(count / stride));
  for (let i = 0; i < index.length; i += 1) index[i] = i * stride;
  const standIn = new THREE.BufferGeometry();
  for (const [name, attribute] of Object.entries(full.attributes)) standIn.setAttribute(name, attribute);
  standIn.setIndex(new THREE.BufferAttribute(index, 1));
  standIn.boundingSphere = full.boundingSphere!.clone();
  return standIn;
}

function counted(positions: Float32Array): string {
  return `${positions.length / 3} points take one value each`;
}

// A point size in CSS pixels, more than 0.
function readSize(style: Record<string, unknown>, fallback: number): number {
  const size = styleNumber(style, 'size', fallback, 0, LIMITS.mark_size.max);
  if (size === 0) throw new InputError(`"size" must be more than 0 CSS pixels, got 0`);
  return size;
}
