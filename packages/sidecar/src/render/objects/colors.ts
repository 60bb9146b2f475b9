// Colours of scene objects in three's working space (linear-light sRGB): three treats vertex colours and
// material colours as linear and encodes to sRGB on output, so the colour table's sRGB bytes are linearised here.
import * as THREE from 'three';
import { GlstreamError, InputError } from '../../errors.js';
import { type ArrayInput, checkFinite, optionalArray } from './arrays.js';
import { styleClim, styleColor } from './style.js';

// The colour of an object sent without a colour or scalars.
export const DEFAULT_COLOR = '#44aa88';

// Entries of a colour table (a lut: LUT_SIZE rows of sRGB bytes).
export const LUT_SIZE = 256;

// The lut entry of `value` over [lo, hi], the way matplotlib bins a colormap: LUT_SIZE bins of equal width,
// values outside the range clamped to the end entries.
export function lutBin(value: number, lo: number, hi: number): number {
  return Math.min(LUT_SIZE - 1, Math.max(0, Math.floor(((value - lo) / (hi - lo)) * LUT_SIZE)));
}

// Linear-light RGB (three floats per entry) of each scalar through `lut` over `clim`, written into `out` when
// given (it must hold 3 floats per scalar).
export function scalarColors(
  scalars: Float32Array,
  lut: Uint8Array,
  clim: [number, number],
  out: Float32Array = new Float32Array(scalars.length * 3),
): Float32Array {
  const table = linearTable(lut);
  const [lo, hi] = clim;
  for (let i = 0; i < scalars.length; i += 1) {
    const entry = lutBin(scalars[i]!, lo, hi) * 3;
    out[i * 3] = table[entry]!;
    out[i * 3 + 1] = table[entry + 1]!;
    out[i * 3 + 2] = table[entry + 2]!;
  }
  return out;
}

// A "#rrggbb" colour (sRGB, as CSS means it) in three's working space.
export function solidColor(hex: string): THREE.Color {
  return new THREE.Color(hex);
}

// The colour table a request carries, checked to be (256, 3); null when it carries none.
export function readLut(arrays: ArrayInput): Uint8Array | null {
  const lut = optionalArray(arrays, 'lut', 'uint8', 3);
  if (lut === undefined) return null;
  if (lut.shape[0] !== LUT_SIZE) {
    throw new InputError(`lut has shape (${lut.shape.join(', ')}), which must be (${LUT_SIZE}, 3)`);
  }
  return lut.data;
}

// How an object with optional scalars is coloured: `color` ("#rrggbb") without scalars, else its scalars through
// `lut` over `clim`.
export interface Coloring {
  color: string;
  scalars: Float32Array | null;
  lut: Uint8Array | null;
  clim: [number, number] | null;
}

// An object's colouring before any request: one colour.
export const UNCOLORED: Coloring = { color: DEFAULT_COLOR, scalars: null, lut: null, clim: null };

// The colouring after a request: `current` with what the request's style and arrays change. The scalars (new or
// kept) must have one of `counts` values, which `counted` says in words ("12 points take one value each").
export function readColoring(
  style: Record<string, unknown>,
  arrays: ArrayInput,
  current: Coloring,
  counts: number[],
  counted: string,
): Coloring {
  const fresh = optionalArray(arrays, 'scalars', 'float32', 0)?.data;
  if (fresh !== undefined) checkFinite('scalars', fresh);
  const scalars = fresh ?? current.scalars;
  if (scalars !== null && !counts.includes(scalars.length)) {
    throw new InputError(
      fresh === undefined
        ? `the scalars sent before (${scalars.length} values) no longer fit: ${counted}; send new scalars too`
        : `scalars has ${scalars.length} values, but ${counted}`,
    );
  }
  const coloring: Coloring = {
    color: styleColor(style, current.color),
    scalars,
    lut: readLut(arrays) ?? current.lut,
    clim: styleClim(style, current.clim),
  };
  if (scalars !== null && (coloring.lut === null || coloring.clim === null)) {
    throw new GlstreamError('protocol', 'scalars need a colour table ("lut") and a range ("clim")');
  }
  return coloring;
}

// The lut linearised once per call rather than once per scalar.
function linearTable(lut: Uint8Array): Float32Array {
  const table = new Float32Array(LUT_SIZE * 3);
  for (let i = 0; i < table.length; i += 1) table[i] = srgbToLinear(lut[i]! / 255);
  return table;
}

// The sRGB transfer function's inverse (IEC 61966-2-1), as three's ColorManagement applies it.
function srgbToLinear(c: number): number {
  return c < 0.04045 ? c * 0.0773993808 : (c * 0.9478672986 + 0.0521327014) ** 2.4;
}
