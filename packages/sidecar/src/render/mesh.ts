// Turn raw vertex and face bytes from the kernel into a three.js mesh, checking them on the way in.
import * as THREE from 'three';
import { InputError } from '../errors.js';
import { decimate } from './stand-in.js';

// Shape-tagged raw array as described in a request's params.
export interface ArraySpec {
  dtype: string;
  shape: number[];
}

// Check and copy the arrays (the payload slice may be unaligned), then build the geometry.
export function buildMesh(
  vertices: ArraySpec,
  vertexBytes: Uint8Array,
  faces: ArraySpec,
  faceBytes: Uint8Array,
  color: string,
): THREE.Mesh {
  const positions = new Float32Array(readArray('vertices', vertices, 'float32', vertexBytes));
  const indices = new Uint32Array(readArray('faces', faces, 'uint32', faceBytes));
  const count = positions.length / 3;
  for (let i = 0; i < positions.length; i += 1) {
    if (!Number.isFinite(positions[i]))
      throw new InputError(`vertices row ${Math.floor(i / 3)} is not finite (${positions[i]})`);
  }
  for (let i = 0; i < indices.length; i += 1) {
    if (indices[i]! >= count)
      throw new InputError(
        `faces row ${Math.floor(i / 3)} refers to vertex ${indices[i]}, but there are only ${count} vertices`,
        { code: 'out_of_range' },
      );
  }
  const material = new THREE.MeshStandardMaterial({
    color: new THREE.Color(color),
    roughness: 0.55,
    metalness: 0.1,
    side: THREE.DoubleSide,
  });
  return new THREE.Mesh(geometry(positions, indices), material);
}

// A coarse stand-in sharing the mesh's material, for frames drawn during a drag; null for small meshes.
export function standInMesh(mesh: THREE.Mesh): THREE.Mesh | null {
  const position = mesh.geometry.getAttribute('position');
  const index = mesh.geometry.getIndex();
  if (
    index === null ||
    !(position.array instanceof Float32Array) ||
    !(index.array instanceof Uint16Array || index.array instanceof Uint32Array)
  )
    return null;
  const standIn = decimate({ positions: position.array, indices: index.array });
  return standIn === null ? null : new THREE.Mesh(geometry(standIn.positions, standIn.indices), mesh.material);
}

function geometry(positions: Float32Array, indices: Uint32Array): THREE.BufferGeometry {
  const built = new THREE.BufferGeometry();
  built.setAttribute('position', new THREE.BufferAttribute(positions, 3));
  built.setIndex(new THREE.BufferAttribute(positions.length / 3 <= 65536 ? Uint16Array.from(indices) : indices, 1));
  built.computeVertexNormals();
  built.computeBoundingSphere();
  return built;
}

// Free the GPU buffers and the material of a mesh.
export function disposeMesh(mesh: THREE.Mesh): void {
  mesh.geometry.dispose();
  (mesh.material as THREE.Material).dispose();
}

function readArray(name: string, spec: ArraySpec, dtype: string, bytes: Uint8Array): ArrayBuffer {
  if (spec.dtype !== dtype) throw new InputError(`${name} must be sent as ${dtype}, got ${spec.dtype}`);
  const [rows, columns] = spec.shape;
  if (spec.shape.length !== 2 || columns !== 3 || !Number.isInteger(rows) || rows! < 1) {
    throw new InputError(`${name} must have shape (N, 3) with N >= 1, got (${spec.shape.join(', ')})`);
  }
  const expected = rows! * 3 * 4;
  if (bytes.byteLength !== expected)
    throw new InputError(
      `${name} holds ${bytes.byteLength} bytes, but shape (${rows}, 3) of ${dtype} needs ${expected}`,
    );
  return bytes.slice().buffer;
}
