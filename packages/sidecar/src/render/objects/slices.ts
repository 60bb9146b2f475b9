// Three orthogonal slices through a volume (Z, Y, X): axial (fixed z), coronal (fixed y) and sagittal (fixed x),
// each a quad spanning the volume with a texture of its voxels' colours through a colour table. Voxel centres
// sit at integer indices, world x = ox + ix * dx (likewise y and z), so a slice spans half a voxel beyond the
// first and last centres. The volume is held once; the quads, textures and materials are shared by every view.
import * as THREE from 'three';
import { GlstreamError, InputError } from '../../errors.js';
import { type ArrayInput, checkFinite, optionalArray } from './arrays.js';
import { lutBin, readLut } from './colors.js';
import type { ColorScale, Hit, ObjectNode, PickQuery, SceneObject } from './scene-object.js';
import { styleClim, styleVector } from './style.js';

type Vec3 = [number, number, number];

// Array axes: 0 is z, 1 is y, 2 is x (world component 2 - axis). A slice fixed on `axis` shows `across` as its
// texture's columns and `down` as its rows.
const PLANES = [
  { axis: 0, across: 2, down: 1 },
  { axis: 1, across: 2, down: 0 },
  { axis: 2, across: 1, down: 0 },
] as const;

const VERTEX_SHADER = /* glsl */ `
varying vec2 vUv;
void main() {
  vUv = uv;
  gl_Position = projectionMatrix * modelViewMatrix * vec4(position, 1.0);
}
`;

// The texels are the colour table's sRGB bytes. WebGL1 here has no EXT_sRGB, and three's fallback for sRGB
// textures stores them linearised in 8 bits, which crushes dark colours; decoding in the shader keeps every byte,
// and three's output stage encodes back to the same sRGB byte.
const FRAGMENT_SHADER = /* glsl */ `
uniform sampler2D map;
varying vec2 vUv;
void main() {
  vec3 c = texture2D(map, vUv).rgb;
  vec3 linear = mix(c * 0.0773993808, pow(c * 0.9478672986 + 0.0521327014, vec3(2.4)), step(0.04045, c));
  gl_FragColor = vec4(linear, 1.0);
  #include <colorspace_fragment>
}
`;

interface Plane {
  axis: 0 | 1 | 2;
  across: 0 | 1 | 2;
  down: 0 | 1 | 2;
  // RGBA bytes, one texel per voxel of the slice, rows along `down`.
  texels: Uint8Array;
  texture: THREE.DataTexture;
  material: THREE.ShaderMaterial;
  geometry: THREE.BufferGeometry;
}

export class VolumeSlices implements SceneObject {
  readonly kind = 'slices';
  readonly #shape: Vec3;
  readonly #planes: Plane[];
  readonly #nodes = new Set<THREE.Group>();
  #volume: Float32Array;
  #lut: Uint8Array;
  #clim: [number, number];
  #spacing: Vec3;
  #origin: Vec3;
  #index: Vec3;

  constructor(style: Record<string, unknown>, arrays: ArrayInput) {
    const volume = readVolume(arrays);
    if (volume === undefined) throw new GlstreamError('protocol', 'the request needs the array "volume"');
    const { shape } = volume;
    const lut = readLut(arrays);
    const clim = styleClim(style, null);
    if (lut === null || clim === null) {
      throw new GlstreamError('protocol', 'slices need a colour table ("lut") and a range ("clim")');
    }
    this.#shape = shape;
    this.#volume = volume.data;
    this.#lut = lut;
    this.#clim = clim;
    this.#spacing = readSpacing(style, [1, 1, 1]);
    this.#origin = styleVector(style, 'origin', [0, 0, 0]);
    this.#index = readIndex(style, shape, [shape[0] >> 1, shape[1] >> 1, shape[2] >> 1]);
    this.#planes = PLANES.map((plane) => this.#buildPlane(plane));
  }

  node(): ObjectNode {
    const group = new THREE.Group();
    for (const plane of this.#planes) group.add(new THREE.Mesh(plane.geometry, plane.material));
    this.#nodes.add(group);
    return {
      root: group,
      hasStandIn: false,
      useStandIn: () => {},
      prepare: () => {},
      detach: () => {
        group.removeFromParent();
        this.#nodes.delete(group);
      },
    };
  }

  bounds(): THREE.Box3 {
    const min = new THREE.Vector3();
    const max = new THREE.Vector3();
    for (let axis = 0; axis < 3; axis += 1) {
      const [lo, hi] = this.#extent(axis);
      min.setComponent(2 - axis, lo);
      max.setComponent(2 - axis, hi);
    }
    return new THREE.Box3(min, max);
  }

  update(style: Record<string, unknown>, arrays: ArrayInput): void {
    const volume = readVolume(arrays);
    if (volume?.shape.some((n, i) => n !== this.#shape[i])) {
      throw new InputError(
        `volume has shape (${volume.shape.join(', ')}), but the slices show one of (${this.#shape.join(', ')}); ` +
          'send a volume of the same shape, or add new slices',
      );
    }
    const lut = readLut(arrays);
    const clim = styleClim(style, this.#clim) ?? this.#clim;
    const spacing = readSpacing(style, this.#spacing);
    const origin = styleVector(style, 'origin', this.#origin);
    const index = readIndex(style, this.#shape, this.#index);
    // Every check is done: from here on the object changes.
    const recolorAll = volume !== undefined || lut !== null || style['clim'] !== undefined;
    const moved = style['spacing'] !== undefined || style['origin'] !== undefined;
    const previous = this.#index;
    this.#volume = volume?.data ?? this.#volume;
    this.#lut = lut ?? this.#lut;
    this.#clim = clim;
    this.#spacing = spacing;
    this.#origin = origin;
    this.#index = index;
    for (const plane of this.#planes) {
      const shifted = index[plane.axis] !== previous[plane.axis];
      if (recolorAll || shifted) {
        this.#colorPlane(plane);
        plane.texture.needsUpdate = true;
      }
      if (moved || shifted) this.#placePlane(plane);
    }
  }

  // The voxel under the pixel on the nearest slice the ray meets.
  pick(query: PickQuery): Hit | null {
    const { origin: from, direction } = query.ray;
    let best: Hit | null = null;
    for (const { axis } of this.#planes) {
      const component = 2 - axis;
      const along = direction.getComponent(component);
      if (along === 0) continue;
      const distance = (this.#centre(axis, this.#index[axis]) - from.getComponent(component)) / along;
      if (distance < 0 || (best !== null && distance >= best.distance)) continue;
      const point = query.ray.at(distance, new THREE.Vector3());
      const voxel: Vec3 = [...this.#index];
      let inside = true;
      for (let other = 0; other < 3 && inside; other += 1) {
        if (other === axis) continue;
        const at = (point.getComponent(2 - other) - this.#origin[other]!) / this.#spacing[other]!;
        const count = this.#shape[other]!;
        inside = at >= -0.5 && at <= count - 0.5;
        voxel[other] = Math.min(count - 1, Math.max(0, Math.round(at)));
      }
      if (!inside) continue;
      const [z, y, x] = voxel;
      best = {
        index: voxel,
        vertex: null,
        position: [point.x, point.y, point.z],
        value: this.#volume[(z * this.#shape[1] + y) * this.#shape[2] + x]!,
        distance,
      };
    }
    return best;
  }

  colorScale(): ColorScale {
    return { lut: this.#lut, clim: this.#clim };
  }

  dispose(): void {
    for (const plane of this.#planes) {
      plane.geometry.dispose();
      plane.material.dispose();
      plane.texture.dispose();
    }
  }

  #buildPlane({ axis, across, down }: (typeof PLANES)[number]): Plane {
    const columns = this.#shape[across];
    const rows = this.#shape[down];
    const texels = new Uint8Array(columns * rows * 4);
    const texture = new THREE.DataTexture(texels, columns, rows, THREE.RGBAFormat, THREE.UnsignedByteType);
    // Nearest texels show each voxel as a block; with clamped edges and no mipmaps WebGL1 takes any size.
    texture.magFilter = THREE.NearestFilter;
    texture.minFilter = THREE.NearestFilter;
    texture.generateMipmaps = false;
    texture.needsUpdate = true;
    const material = new THREE.ShaderMaterial({
      uniforms: { map: { value: texture } },
      vertexShader: VERTEX_SHADER,
      fragmentShader: FRAGMENT_SHADER,
      side: THREE.DoubleSide,
    });
    const geometry = new THREE.BufferGeometry();
    geometry.setAttribute('position', new THREE.BufferAttribute(new Float32Array(12), 3));
    geometry.setAttribute('uv', new THREE.BufferAttribute(new Float32Array([0, 0, 1, 0, 1, 1, 0, 1]), 2));
    geometry.setIndex([0, 1, 2, 0, 2, 3]);
    const plane: Plane = { axis, across, down, texels, texture, material, geometry };
    this.#colorPlane(plane);
    this.#placePlane(plane);
    return plane;
  }

  // The slice's voxels through the lut into its texels.
  #colorPlane(plane: Plane): void {
    const { axis, across, down, texels } = plane;
    const [, ys, xs] = this.#shape;
    const strides: Vec3 = [ys * xs, xs, 1];
    const columns = this.#shape[across];
    const rows = this.#shape[down];
    const start = this.#index[axis] * strides[axis];
    const [lo, hi] = this.#clim;
    const lut = this.#lut;
    for (let row = 0; row < rows; row += 1) {
      for (let column = 0; column < columns; column += 1) {
        const value = this.#volume[start + row * strides[down] + column * strides[across]]!;
        const entry = lutBin(value, lo, hi) * 3;
        const texel = (row * columns + column) * 4;
        texels[texel] = lut[entry]!;
        texels[texel + 1] = lut[entry + 1]!;
        texels[texel + 2] = lut[entry + 2]!;
        texels[texel + 3] = 255;
      }
    }
  }

  // The quad's corners at the slice's index, spanning the volume across and down.
  #placePlane(plane: Plane): void {
    const { axis, across, down, geometry } = plane;
    const position = geometry.getAttribute('position') as THREE.BufferAttribute;
    const level = this.#centre(axis, this.#index[axis]);
    const [left, right] = this.#extent(across);
    const [bottom, top] = this.#extent(down);
    const corners: [number, number][] = [
      [left, bottom],
      [right, bottom],
      [right, top],
      [left, top],
    ];
    corners.forEach(([u, v], corner) => {
      const xyz = [0, 0, 0];
      xyz[2 - axis] = level;
      xyz[2 - across] = u;
      xyz[2 - down] = v;
      position.setXYZ(corner, xyz[0]!, xyz[1]!, xyz[2]!);
    });
    position.needsUpdate = true;
    geometry.computeBoundingSphere();
  }

  // The world coordinate of voxel centre `i` along array axis `axis`.
  #centre(axis: number, i: number): number {
    return this.#origin[axis]! + i * this.#spacing[axis]!;
  }

  // The volume's world extent along array axis `axis`: half a voxel beyond the first and last centres.
  #extent(axis: number): [number, number] {
    const half = this.#spacing[axis]! / 2;
    return [this.#centre(axis, 0) - half, this.#centre(axis, this.#shape[axis]! - 1) + half];
  }
}

// The volume a request carries: float32 (Z, Y, X), every side at least 1, every value finite.
function readVolume(arrays: ArrayInput): { data: Float32Array; shape: Vec3 } | undefined {
  const shape = arrays.get('volume')?.spec.shape;
  if (shape === undefined) return undefined;
  if (shape.length !== 3 || shape.some((n) => n < 1)) {
    throw new InputError(
      `volume has shape (${shape.join(', ')}); it must be three-dimensional (Z, Y, X) with every side at least 1`,
    );
  }
  const { data } = optionalArray(arrays, 'volume', 'float32', [-1, -1, -1])!;
  checkFinite('volume', data, shape[1]! * shape[2]!);
  return { data, shape: shape as Vec3 };
}

function readSpacing(style: Record<string, unknown>, fallback: Vec3): Vec3 {
  const spacing = styleVector(style, 'spacing', fallback);
  if (spacing.some((d) => d <= 0)) {
    throw new InputError(`"spacing" must be three positive numbers, got ${JSON.stringify(spacing)}`);
  }
  return spacing;
}

// [iz, iy, ix], each a voxel index within the volume.
function readIndex(style: Record<string, unknown>, shape: Vec3, fallback: Vec3): Vec3 {
  const index = styleVector(style, 'index', fallback);
  index.forEach((i, axis) => {
    if (!Number.isInteger(i)) {
      throw new InputError(`"index" must be three whole numbers, got ${JSON.stringify(index)}`, {
        code: 'invalid_type',
      });
    }
    if (i < 0 || i >= shape[axis]!) {
      throw new InputError(
        `"index" ${JSON.stringify(index)} is outside the volume of shape (${shape.join(', ')}) along axis ${axis}`,
        { code: 'out_of_range' },
      );
    }
  });
  return index;
}
