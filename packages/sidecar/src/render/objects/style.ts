// Readers of an object's style params (colour, range, opacity, sizes): each returns the value or the fallback
// when the key is absent, and throws an InputError naming the key otherwise.
import { InputError } from '../../errors.js';
import type { ColorScale } from './scene-object.js';

const HEX = /^#[0-9a-f]{6}$/i;

export function styleColor(style: Record<string, unknown>, fallback: string): string {
  const value = style['color'];
  if (value === undefined || value === null) return fallback;
  if (typeof value === 'string' && HEX.test(value)) return value;
  throw new InputError(`"color" must be "#rrggbb", got ${JSON.stringify(value)}`, { code: 'invalid_type' });
}

// A number from min to max (inclusive).
export function styleNumber(
  style: Record<string, unknown>,
  key: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const value = style[key];
  if (value === undefined || value === null) return fallback;
  if (typeof value === 'number' && value >= min && value <= max) return value;
  throw new InputError(`"${key}" must be a number from ${min} to ${max}, got ${JSON.stringify(value)}`, {
    code: typeof value === 'number' ? 'invalid_argument' : 'invalid_type',
  });
}

export function styleOneOf<T extends string>(
  style: Record<string, unknown>,
  key: string,
  list: readonly T[],
  fallback: T,
): T {
  const value = style[key];
  if (value === undefined || value === null) return fallback;
  if (list.includes(value as T)) return value as T;
  throw new InputError(`"${key}" must be one of ${list.join(', ')}, got ${JSON.stringify(value)}`);
}

// [lo, hi] with lo < hi, both finite.
export function styleClim(style: Record<string, unknown>, fallback: [number, number] | null): [number, number] | null {
  const value = style['clim'];
  if (value === undefined || value === null) return fallback;
  if (Array.isArray(value) && value.length === 2 && value.every((v) => typeof v === 'number' && Number.isFinite(v))) {
    const [lo, hi] = value as [number, number];
    if (lo < hi) return [lo, hi];
  }
  throw new InputError(`"clim" must be [low, high] with low < high, got ${JSON.stringify(value)}`);
}

// Three finite numbers.
export function styleVector(
  style: Record<string, unknown>,
  key: string,
  fallback: [number, number, number],
): [number, number, number] {
  const value = style[key];
  if (value === undefined || value === null) return fallback;
  if (Array.isArray(value) && value.length === 3 && value.every((v) => typeof v === 'number' && Number.isFinite(v))) {
    return [value[0], value[1], value[2]];
  }
  throw new InputError(`"${key}" must be three finite numbers, got ${JSON.stringify(value)}`, {
    code: 'invalid_type',
  });
}

// The colour scale of scalars drawn through `lut` over `clim`, or null when the object has one colour.
export function colorScaleOf(
  scalars: Float32Array | null,
  lut: Uint8Array | null,
  clim: [number, number] | null,
): ColorScale | null {
  return scalars === null || lut === null || clim === null ? null : { lut, clim };
}
