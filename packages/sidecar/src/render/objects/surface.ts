// A triangle mesh, in one colour or coloured by scalars per vertex or per face through a colour table. The
// geometry and material are shared by the nodes of every view that shows it; a big mesh also has a coarse
// stand-in (render/stand-in.ts) drawn during drags, coloured from the vertices it stands for.
import * as THREE from 'three';
import { GlstreamError, InputError } from '../../errors.js';
import { distancePerDepth } from '../pick/screen.js';
import { pickTriangles } from '../pick/triangles.js';
import { decimate } from '../stand-in.js';
import { type ArrayInput, checkFinite, checkIndices, optionalArray, requiredArray } from './arrays.js';
import { DEFAULT_COLOR, readLut, scalarColors, solidColor } from './colors.js';
import { type OuterSide, outerSide, outsideBox } from './outer-side.js';
import type { ColorScale, DrawContext, Hit, ObjectNode, PickQuery, SceneObject } from './scene-object.js';
import { colorScaleOf, styleClim, styleColor, styleNumber, styleOneOf } from './style.js';

const SHADINGS = ['smooth', 'flat'] as const;

// The data as the kernel sent it: what picking runs on, and what colours are computed from.
interface Data {
  positions: Float32Array;
  indices: Uint32Array;
  scalars: Float32Array | null;
  perFace: boolean;
}

interface StandIn {
  geometry: THREE.BufferGeometry;
  // For each stand-in vertex, one vertex of the full mesh it stands for (its colour is taken from there).
  origin: Uint32Array;
  outer: OuterSide | null;
}

// The side of each triangle a node draws with: both, or only the outer side of a closed mesh.
type Look = (standIn: boolean, camera: THREE.PerspectiveCamera) => THREE.Material;

export class Surface implements SceneObject {
  readonly kind = 'mesh';
  readonly #material: THREE.MeshStandardMaterial;
  // The same material drawing one side only, for a closed opaque mesh seen from outside.
  readonly #oneSided: Record<OuterSide, THREE.MeshStandardMaterial>;
  readonly #nodes = new Set<SurfaceNode>();
  #data: Data;
  #lut: Uint8Array | null;
  #clim: [number, number] | null;
  #geometry: THREE.BufferGeometry;
  #outer: OuterSide | null = null;
  #standIn: StandIn | null;
  #bounds = new THREE.Box3();

  constructor(style: Record<string, unknown>, arrays: ArrayInput) {
    const positions = requiredArray(arrays, 'vertices', 'float32', 3).data;
    const indices = requiredArray(arrays, 'faces', 'uint32', 3).data;
    checkFinite('vertices', positions, 3);
    checkIndices('faces', indices, positions.length / 3, 3, 'vertex');
    this.#data = { positions, indices, ...readScalars(arrays, positions.length / 3, indices.length / 3) };
    this.#lut = readLut(arrays);
    this.#clim = styleClim(style, null);
    checkColoring(this.#data, this.#lut, this.#clim);
    const opacity = styleNumber(style, 'opacity', 1, 0, 1);
    this.#material = new THREE.MeshStandardMaterial({
      color: this.#data.scalars === null ? solidColor(styleColor(style, DEFAULT_COLOR)) : 0xffffff,
      vertexColors: this.#data.scalars !== null,
      flatShading: styleOneOf(style, 'shading', SHADINGS, 'smooth') === 'flat',
      roughness: 0.55,
      metalness: 0.1,
      side: THREE.DoubleSide,
    });
    this.#oneSided = { front: this.#material.clone(), back: this.#material.clone() };
    this.#setOpacity(opacity);
    this.#syncSides();
    this.#outer = outerSide(positions, indices);
    this.#geometry = this.#buildGeometry();
    this.#standIn = this.#buildStandIn();
    this.#colorStandIn();
    this.#bounds.setFromArray(positions);
  }

  node(): ObjectNode {
    const look: Look = (standIn, camera) => this.#look(standIn, camera);
    const node = new SurfaceNode(this.#geometry, this.#standIn?.geometry ?? null, look, (gone) =>
      this.#nodes.delete(gone),
    );
    this.#nodes.add(node);
    return node;
  }

  bounds(): THREE.Box3 {
    return this.#bounds.clone();
  }

  update(style: Record<string, unknown>, arrays: ArrayInput): void {
    const newPositions = optionalArray(arrays, 'vertices', 'float32', 3)?.data;
    const newIndices = optionalArray(arrays, 'faces', 'uint32', 3)?.data;
    const positions = newPositions ?? this.#data.positions;
    const indices = newIndices ?? this.#data.indices;
    if (newPositions !== undefined) checkFinite('vertices', newPositions, 3);
    if (newPositions !== undefined || newIndices !== undefined) {
      if (newIndices === undefined && positions.length !== this.#data.positions.length) {
        throw new InputError(
          `the mesh has ${this.#data.positions.length / 3} vertices and its faces index them; ` +
            `new vertices (${positions.length / 3}) need new faces too`,
        );
      }
      checkIndices('faces', indices, positions.length / 3, 3, 'vertex');
    }
    const scalars = arrays.has('scalars') ? readScalars(arrays, positions.length / 3, indices.length / 3) : null;
    const lut = readLut(arrays) ?? this.#lut;
    const clim = styleClim(style, this.#clim);
    const next: Data = { positions, indices, ...(scalars ?? this.#keptScalars(positions, indices)) };
    checkColoring(next, lut, clim);
    const color = style['color'] === undefined ? null : styleColor(style, DEFAULT_COLOR);
    const opacity = style['opacity'] === undefined ? null : styleNumber(style, 'opacity', 1, 0, 1);
    const shading = style['shading'] === undefined ? null : styleOneOf(style, 'shading', SHADINGS, 'smooth');
    // Every check is done: from here on the object changes.
    const reshaped =
      newIndices !== undefined ||
      newPositions !== undefined ||
      (scalars !== null && scalars.perFace !== this.#data.perFace) ||
      (next.scalars === null) !== (this.#data.scalars === null);
    this.#data = next;
    this.#lut = lut;
    this.#clim = clim;
    if (color !== null) this.#material.color = solidColor(color);
    if (opacity !== null) this.#setOpacity(opacity);
    if (shading !== null) this.#material.flatShading = shading === 'flat';
    if (this.#material.vertexColors !== (next.scalars !== null)) {
      this.#material.vertexColors = next.scalars !== null;
      this.#material.color = next.scalars !== null ? new THREE.Color(0xffffff) : solidColor(color ?? DEFAULT_COLOR);
    }
    this.#material.needsUpdate = true;
    this.#syncSides();
    if (reshaped) {
      this.#rebuild(newPositions !== undefined || newIndices !== undefined);
      return;
    }
    this.#recolor();
  }

  pick(query: PickQuery): Hit | null {
    const { positions, indices, scalars, perFace } = this.#data;
    // nothing before the near plane is drawn, so nothing there is picked
    const hit = pickTriangles(query.ray, positions, indices, query.camera.near * distancePerDepth(query));
    if (hit === null) return null;
    const value = scalars === null ? null : scalars[perFace ? hit.face : hit.vertex]!;
    return { index: hit.face, vertex: hit.vertex, position: hit.point, value, distance: hit.distance };
  }

  colorScale(): ColorScale | null {
    return colorScaleOf(this.#data.scalars, this.#lut, this.#clim);
  }

  dispose(): void {
    this.#geometry.dispose();
    this.#standIn?.geometry.dispose();
    this.#material.dispose();
    this.#oneSided.front.dispose();
    this.#oneSided.back.dispose();
  }

  // Both sides, unless the mesh (or its stand-in) is closed, opaque and the eye is outside it with room for the
  // near plane: then only its outer side, which shows the same picture.
  #look(standIn: boolean, camera: THREE.PerspectiveCamera): THREE.Material {
    const outer = standIn ? (this.#standIn?.outer ?? null) : this.#outer;
    if (outer === null || this.#material.transparent || !outsideBox(camera, this.#bounds)) return this.#material;
    return this.#oneSided[outer];
  }

  // The one-sided materials follow every change of the two-sided one.
  #syncSides(): void {
    for (const side of ['front', 'back'] as const) {
      const material = this.#oneSided[side];
      material.copy(this.#material);
      material.side = side === 'front' ? THREE.FrontSide : THREE.BackSide;
      material.needsUpdate = true;
    }
  }

  // Scalars the update did not replace, dropped when the mesh's counts no longer fit them.
  #keptScalars(positions: Float32Array, indices: Uint32Array): Pick<Data, 'scalars' | 'perFace'> {
    const { scalars, perFace } = this.#data;
    const count = perFace ? indices.length / 3 : positions.length / 3;
    if (scalars !== null && scalars.length !== count) {
      throw new InputError(
        `the mesh's scalars (${scalars.length}) no longer match its ${perFace ? 'faces' : 'vertices'} (${count}); ` +
          'send new scalars with the new geometry',
      );
    }
    return { scalars, perFace };
  }

  #setOpacity(opacity: number): void {
    this.#material.opacity = opacity;
    this.#material.transparent = opacity < 1;
    this.#material.depthWrite = opacity >= 1;
  }

  #rebuild(geometryChanged: boolean): void {
    const old = this.#geometry;
    const oldStandIn = this.#standIn;
    if (geometryChanged) this.#outer = outerSide(this.#data.positions, this.#data.indices);
    this.#geometry = this.#buildGeometry();
    this.#standIn = geometryChanged ? this.#buildStandIn() : oldStandIn;
    this.#colorStandIn();
    this.#bounds.setFromArray(this.#data.positions);
    for (const node of this.#nodes) node.swap(this.#geometry, this.#standIn?.geometry ?? null);
    old.dispose();
    if (oldStandIn !== null && oldStandIn !== this.#standIn) oldStandIn.geometry.dispose();
  }

  // Indexed geometry over the kernel's arrays (no copy) when colours are per vertex or absent; per-face
  // colours need each face's corners apart.
  #buildGeometry(): THREE.BufferGeometry {
    const { positions, indices, perFace } = this.#data;
    const geometry = new THREE.BufferGeometry();
    if (perFace && this.#data.scalars !== null) {
      const flat = new Float32Array(indices.length * 3);
      for (let i = 0; i < indices.length; i += 1)
        flat.set(positions.subarray(indices[i]! * 3, indices[i]! * 3 + 3), i * 3);
      geometry.setAttribute('position', new THREE.BufferAttribute(flat, 3));
    } else {
      geometry.setAttribute('position', new THREE.BufferAttribute(positions, 3));
      const small = positions.length / 3 <= 65536;
      geometry.setIndex(new THREE.BufferAttribute(small ? Uint16Array.from(indices) : indices, 1));
    }
    geometry.computeVertexNormals();
    geometry.computeBoundingSphere();
    this.#colorGeometry(geometry);
    return geometry;
  }

  #buildStandIn(): StandIn | null {
    const built = decimate({ positions: this.#data.positions, indices: this.#data.indices });
    if (built === null) return null;
    const geometry = new THREE.BufferGeometry();
    geometry.setAttribute('position', new THREE.BufferAttribute(built.positions, 3));
    geometry.setIndex(new THREE.BufferAttribute(built.indices, 1));
    geometry.computeVertexNormals();
    geometry.computeBoundingSphere();
    return { geometry, origin: built.origin, outer: outerSide(built.positions, built.indices) };
  }

  #recolor(): void {
    this.#colorGeometry(this.#geometry);
    this.#colorStandIn();
  }

  // The colour attribute from the scalars (updated in place, so only its bytes are uploaded again).
  #colorGeometry(geometry: THREE.BufferGeometry): void {
    const { scalars, perFace, indices } = this.#data;
    if (scalars === null || this.#lut === null || this.#clim === null) {
      geometry.deleteAttribute('color');
      return;
    }
    const count = geometry.getAttribute('position').count;
    const current = geometry.getAttribute('color') as THREE.BufferAttribute | undefined;
    const out = current?.array instanceof Float32Array && current.count === count ? current.array : undefined;
    const colors = out ?? new Float32Array(count * 3);
    if (perFace) {
      const perEntry = scalarColors(scalars, this.#lut, this.#clim);
      for (let corner = 0; corner < indices.length; corner += 1) {
        const face = Math.floor(corner / 3);
        colors[corner * 3] = perEntry[face * 3]!;
        colors[corner * 3 + 1] = perEntry[face * 3 + 1]!;
        colors[corner * 3 + 2] = perEntry[face * 3 + 2]!;
      }
    } else {
      scalarColors(scalars, this.#lut, this.#clim, colors);
    }
    if (current !== undefined && out !== undefined) {
      current.needsUpdate = true;
      return;
    }
    geometry.setAttribute('color', new THREE.BufferAttribute(colors, 3));
  }

  #colorStandIn(): void {
    const standIn = this.#standIn;
    const { scalars, perFace, indices, positions } = this.#data;
    if (standIn === null) return;
    if (scalars === null || this.#lut === null || this.#clim === null) {
      standIn.geometry.deleteAttribute('color');
      return;
    }
    let perVertex = scalars;
    if (perFace) {
      perVertex = new Float32Array(positions.length / 3);
      for (let corner = 0; corner < indices.length; corner += 1)
        perVertex[indices[corner]!] = scalars[Math.floor(corner / 3)]!;
    }
    const picked = new Float32Array(standIn.origin.length);
    for (let i = 0; i < picked.length; i += 1) picked[i] = perVertex[standIn.origin[i]!]!;
    // three never deletes the GL buffer of an attribute that is replaced, so the colours are rewritten in place
    const current = standIn.geometry.getAttribute('color') as THREE.BufferAttribute | undefined;
    if (current?.array instanceof Float32Array && current.count === picked.length) {
      scalarColors(picked, this.#lut, this.#clim, current.array);
      current.needsUpdate = true;
      return;
    }
    standIn.geometry.setAttribute('color', new THREE.BufferAttribute(scalarColors(picked, this.#lut, this.#clim), 3));
  }
}

// One view's node: the full mesh and its stand-in, sharing the surface's geometry and materials.
class SurfaceNode implements ObjectNode {
  readonly root = new THREE.Group();
  readonly #full: THREE.Mesh;
  #standIn: THREE.Mesh | null = null;
  readonly #look: Look;
  readonly #detached: (node: SurfaceNode) => void;

  constructor(
    geometry: THREE.BufferGeometry,
    standIn: THREE.BufferGeometry | null,
    look: Look,
    detached: (node: SurfaceNode) => void,
  ) {
    this.#look = look;
    this.#detached = detached;
    this.#full = new THREE.Mesh(geometry);
    this.root.add(this.#full);
    this.swap(geometry, standIn);
  }

  swap(geometry: THREE.BufferGeometry, standIn: THREE.BufferGeometry | null): void {
    this.#full.geometry = geometry;
    if (this.#standIn !== null) this.root.remove(this.#standIn);
    this.#standIn = standIn === null ? null : new THREE.Mesh(standIn);
    if (this.#standIn !== null) {
      this.#standIn.visible = false;
      this.root.add(this.#standIn);
    }
  }

  get hasStandIn(): boolean {
    return this.#standIn !== null;
  }

  useStandIn(on: boolean): void {
    if (this.#standIn === null) return;
    this.#standIn.visible = on;
    this.#full.visible = !on;
  }

  prepare(_context: DrawContext, camera: THREE.PerspectiveCamera): void {
    this.#full.material = this.#look(false, camera);
    if (this.#standIn !== null) this.#standIn.material = this.#look(true, camera);
  }

  detach(): void {
    this.root.removeFromParent();
    this.#detached(this);
  }
}

// Scalars per vertex (N values) or per face (M values), if the request carries them.
function readScalars(arrays: ArrayInput, vertices: number, faces: number): Pick<Data, 'scalars' | 'perFace'> {
  const scalars = optionalArray(arrays, 'scalars', 'float32', 0)?.data ?? null;
  if (scalars === null) return { scalars: null, perFace: false };
  checkFinite('scalars', scalars);
  if (scalars.length !== vertices && scalars.length !== faces) {
    throw new InputError(
      `scalars has ${scalars.length} values; a mesh of ${vertices} vertices and ${faces} faces takes one per ` +
        'vertex or one per face',
    );
  }
  return { scalars, perFace: scalars.length !== vertices };
}

function checkColoring(data: Data, lut: Uint8Array | null, clim: [number, number] | null): void {
  if (data.scalars !== null && (lut === null || clim === null)) {
    throw new GlstreamError('protocol', 'scalars need a colour table ("lut") and a range ("clim")');
  }
}
