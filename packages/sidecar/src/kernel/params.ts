// Checks of a request's params at the kernel's boundary: each returns the value with its type, or throws an
// InputError that names the param (`invalid_type` for a value of the wrong kind, else `invalid_argument`).
import { isOneOf, LIMITS, type StillKind } from '@glstream/protocol';
import { InputError } from '../errors.js';

export type Params = Record<string, unknown>;

// A non-empty string.
export function text(params: Params, key: string): string {
  const value = params[key];
  if (typeof value === 'string' && value !== '') return value;
  throw new InputError(`"${key}" must be a non-empty string`, {
    code: typeof value === 'string' ? 'invalid_argument' : 'invalid_type',
  });
}

// A whole number of pixels within the shared side limits.
export function side(params: Params, key: string): number {
  const value = params[key];
  const { min, max } = LIMITS.side;
  if (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max) return value;
  throw new InputError(`"${key}" must be an integer from ${min} to ${max}, got ${String(value)}`, {
    code: typeof value === 'number' ? 'invalid_argument' : 'invalid_type',
  });
}

// A frame rate within the shared limits; undefined when absent.
export function frameRate(params: Params, key: string): number | undefined {
  const value = params[key];
  const { min, max } = LIMITS.frame_rate;
  if (value === undefined || (typeof value === 'number' && value >= min && value <= max)) return value;
  throw new InputError(`"${key}" must be a number from ${min} to ${max}, got ${String(value)}`, {
    code: typeof value === 'number' ? 'invalid_argument' : 'invalid_type',
  });
}

// A positive whole number: an X window id, a pid, a frame's sequence number.
export function positive(params: Params, key: string): number {
  const value = params[key];
  if (typeof value === 'number' && Number.isInteger(value) && value > 0) return value;
  throw new InputError(`"${key}" must be a positive integer, got ${String(value)}`, {
    code: typeof value === 'number' ? 'invalid_argument' : 'invalid_type',
  });
}

// The pacing options every view takes: its interactive frame-rate target and its still frame kind.
export function pacing(params: Params): { targetFps: number | undefined; still: StillKind | undefined } {
  return { targetFps: frameRate(params, 'target_fps'), still: oneOf(params, 'still', LIMITS.still_kinds) };
}

// true or false; undefined when absent.
export function flag(params: Params, key: string): boolean | undefined {
  const value = params[key];
  if (value === undefined || typeof value === 'boolean') return value;
  throw new InputError(`"${key}" must be a boolean, got ${JSON.stringify(value)}`, { code: 'invalid_type' });
}

// One of `list`; undefined when absent.
export function oneOf<T extends string>(params: Params, key: string, list: readonly T[]): T | undefined {
  const value = params[key];
  if (value === undefined || isOneOf(list, value)) return value;
  const allowed = list.map((item) => JSON.stringify(item)).join(' or ');
  throw new InputError(`"${key}" must be ${allowed}, got ${JSON.stringify(value)}`);
}

// A finite number.
export function finite(params: Params, key: string): number {
  const value = params[key];
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  throw new InputError(`"${key}" must be a finite number, got ${String(value)}`, {
    code: typeof value === 'number' ? 'invalid_argument' : 'invalid_type',
  });
}

// A JSON object; {} when absent.
export function record(params: Params, key: string): Record<string, unknown> {
  const value = params[key];
  if (value === undefined) return {};
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  throw new InputError(`"${key}" must be an object, got ${JSON.stringify(value)}`, { code: 'invalid_type' });
}

// A list of non-empty strings.
export function texts(params: Params, key: string): string[] {
  const value = params[key];
  if (Array.isArray(value) && value.every((item) => typeof item === 'string' && item !== '')) return value;
  throw new InputError(`"${key}" must be a list of non-empty strings, got ${JSON.stringify(value)}`, {
    code: 'invalid_type',
  });
}
