// The raw arrays a request carries: params.arrays lists {name, dtype, shape} in the order of the buffers. Each
// reader checks dtype, shape and byte length and copies the bytes (a payload slice may be unaligned).
import { GlstreamError, InputError } from '../../errors.js';

// Shape-tagged raw array as described in a request's params.
export interface ArraySpec {
  dtype: string;
  shape: number[];
}

// The arrays of one request by name.
export type ArrayInput = ReadonlyMap<string, { spec: ArraySpec; bytes: Uint8Array }>;

const DTYPES = {
  float32: Float32Array,
  uint32: Uint32Array,
  uint8: Uint8Array,
} as const;

type Dtype = keyof typeof DTYPES;
type Typed<D extends Dtype> = InstanceType<(typeof DTYPES)[D]>;

// Pair params.arrays with the buffers.
export function arrayInput(specs: unknown, buffers: Uint8Array[]): ArrayInput {
  if (specs === undefined) specs = [];
  if (!Array.isArray(specs)) {
    throw new InputError(`"arrays" must be a list of {name, dtype, shape}, got ${JSON.stringify(specs)}`, {
      code: 'invalid_type',
    });
  }
  if (specs.length !== buffers.length) {
    throw new GlstreamError('protocol', `"arrays" describes ${specs.length} arrays but ${buffers.length} buffers came`);
  }
  const input = new Map<string, { spec: ArraySpec; bytes: Uint8Array }>();
  specs.forEach((value: unknown, i) => {
    const item = value as { name?: unknown; dtype?: unknown; shape?: unknown } | null;
    const shape = item?.shape;
    if (
      typeof item?.name !== 'string' ||
      typeof item.dtype !== 'string' ||
      !Array.isArray(shape) ||
      !shape.every((n) => Number.isInteger(n) && n >= 0)
    ) {
      throw new InputError(`"arrays" item ${i} must be {name, dtype, shape}, got ${JSON.stringify(value)}`, {
        code: 'invalid_type',
      });
    }
    input.set(item.name, { spec: { dtype: item.dtype, shape: shape as number[] }, bytes: buffers[i]! });
  });
  return input;
}

// The array `name` as a typed array of `dtype` whose shape is `columns` wide (0: one dimension; a list: exactly
// those trailing dimensions); undefined when the request does not carry it.
export function optionalArray<D extends Dtype>(
  input: ArrayInput,
  name: string,
  dtype: D,
  columns: number | number[],
): { data: Typed<D>; shape: number[] } | undefined {
  const entry = input.get(name);
  if (entry === undefined) return undefined;
  const { spec, bytes } = entry;
  if (spec.dtype !== dtype) throw new InputError(`${name} must be sent as ${dtype}, got ${spec.dtype}`);
  const rank = Array.isArray(columns) ? columns.length : columns === 0 ? 1 : 2;
  const trailing = Array.isArray(columns) ? columns : columns === 0 ? [] : [columns];
  const ok =
    spec.shape.length === rank &&
    spec.shape[0]! >= 1 &&
    trailing.every((n, i) => n === -1 || spec.shape[spec.shape.length - trailing.length + i] === n);
  if (!ok) throw new InputError(`${name} has shape (${spec.shape.join(', ')}), which ${describe(rank, trailing)}`);
  const count = spec.shape.reduce((a, b) => a * b, 1);
  const Type = DTYPES[dtype];
  const expected = count * Type.BYTES_PER_ELEMENT;
  if (bytes.byteLength !== expected) {
    throw new GlstreamError(
      'protocol',
      `${name} holds ${bytes.byteLength} bytes, but shape (${spec.shape.join(', ')}) of ${dtype} needs ${expected}`,
    );
  }
  return { data: new Type(bytes.slice().buffer) as Typed<D>, shape: spec.shape };
}

// Like optionalArray, for an array the request must carry.
export function requiredArray<D extends Dtype>(
  input: ArrayInput,
  name: string,
  dtype: D,
  columns: number | number[],
): { data: Typed<D>; shape: number[] } {
  const array = optionalArray(input, name, dtype, columns);
  if (array === undefined) throw new GlstreamError('protocol', `the request needs the array "${name}"`);
  return array;
}

// Throw unless every value is finite.
export function checkFinite(name: string, data: Float32Array, width = 1): void {
  for (let i = 0; i < data.length; i += 1) {
    if (!Number.isFinite(data[i])) {
      throw new InputError(`${name} row ${Math.floor(i / width)} is not finite (${data[i]})`);
    }
  }
}

// Throw unless every index is below `count` (`what` names the rows, `of` the indexed array).
export function checkIndices(name: string, data: Uint32Array, count: number, width: number, of: string): void {
  for (let i = 0; i < data.length; i += 1) {
    if (data[i]! >= count) {
      throw new InputError(
        `${name} row ${Math.floor(i / width)} refers to ${of} ${data[i]}, but there are only ${count}`,
        { code: 'out_of_range' },
      );
    }
  }
}

function describe(rank: number, trailing: number[]): string {
  if (rank === 1) return 'must be one-dimensional with at least one entry';
  const dims = trailing.map((n) => (n === -1 ? 'K' : String(n)));
  return `must be (N, ${dims.join(', ')}) with N >= 1`;
}

// An ArrayInput from typed arrays already in the sidecar (the demo scene, the benchmarks), as if the kernel
// had sent them.
export function arraysOf(
  arrays: Record<string, { data: Float32Array | Uint32Array | Uint8Array; shape: number[] }>,
): ArrayInput {
  const dtypes = new Map<unknown, string>([
    [Float32Array, 'float32'],
    [Uint32Array, 'uint32'],
    [Uint8Array, 'uint8'],
  ]);
  return new Map(
    Object.entries(arrays).map(([name, { data, shape }]) => [
      name,
      {
        spec: { dtype: dtypes.get(data.constructor)!, shape },
        bytes: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
      },
    ]),
  );
}
