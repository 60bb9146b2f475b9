// Meshes for the tests and benchmarks, as the raw arrays a kernel sends with add_mesh.
// Vertex positions (x, y, z each) and triangles (three vertex indices each).
export interface Mesh {
  positions: Float32Array;
  indices: Uint32Array;
}

// A unit cube: 8 vertices, 12 triangles.
export function cube(): Mesh {
  return {
    positions: new Float32Array([0, 0, 0, 1, 0, 0, 1, 1, 0, 0, 1, 0, 0, 0, 1, 1, 0, 1, 1, 1, 1, 0, 1, 1]),
    indices: new Uint32Array([
      0, 2, 1, 0, 3, 2, 4, 5, 6, 4, 6, 7, 0, 1, 5, 0, 5, 4, 2, 3, 7, 2, 7, 6, 1, 2, 6, 1, 6, 5, 0, 4, 7, 0, 7, 3,
    ]),
  };
}

// A UV sphere of radius 1 with `rings` x `segments` quads, two triangles each.
export function sphere(rings: number, segments: number): Mesh {
  const positions: number[] = [];
  for (let r = 0; r <= rings; r += 1) {
    const theta = (Math.PI * r) / rings;
    for (let s = 0; s <= segments; s += 1) {
      const phi = (2 * Math.PI * s) / segments;
      positions.push(Math.sin(theta) * Math.cos(phi), Math.cos(theta), Math.sin(theta) * Math.sin(phi));
    }
  }
  const indices: number[] = [];
  for (let r = 0; r < rings; r += 1) {
    for (let s = 0; s < segments; s += 1) {
      const a = r * (segments + 1) + s;
      const b = a + segments + 1;
      indices.push(a, b, a + 1, b, b + 1, a + 1);
    }
  }
  return { positions: Float32Array.from(positions), indices: Uint32Array.from(indices) };
}

// How add_object describes one raw array.
interface ArraySpec {
  name: string;
  dtype: string;
  shape: number[];
}

// The arrays add_object takes for a mesh, in buffer order: rows of three float32 coordinates, rows of three
// uint32 indices.
export function meshSpecs({ positions, indices }: Mesh): ArraySpec[] {
  return [
    { name: 'vertices', dtype: 'float32', shape: [positions.length / 3, 3] },
    { name: 'faces', dtype: 'uint32', shape: [indices.length / 3, 3] },
  ];
}

// Raw bytes of a typed array.
export function bytes(array: Float32Array | Uint32Array): Uint8Array {
  return new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
}
