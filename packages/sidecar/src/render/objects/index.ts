// Scene objects by kind: what add_object makes from a request's style and arrays.
import { InputError } from '../../errors.js';
import type { ArrayInput } from './arrays.js';
import { LineSet } from './lines.js';
import { PointCloud } from './points.js';
import type { ObjectKind, SceneObject } from './scene-object.js';
import { VolumeSlices } from './slices.js';
import { Surface } from './surface.js';

const KINDS: Record<ObjectKind, new (style: Record<string, unknown>, arrays: ArrayInput) => SceneObject> = {
  mesh: Surface,
  points: PointCloud,
  lines: LineSet,
  slices: VolumeSlices,
};

// A new object of `kind`; throws an InputError naming a bad param before anything is allocated.
export function createObject(kind: string, style: Record<string, unknown>, arrays: ArrayInput): SceneObject {
  if (!Object.hasOwn(KINDS, kind)) {
    throw new InputError(`"kind" must be one of ${Object.keys(KINDS).join(', ')}, got ${JSON.stringify(kind)}`);
  }
  return new KINDS[kind as ObjectKind](style, arrays);
}
