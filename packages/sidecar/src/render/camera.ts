// The camera as the kernel sees it ({position, target, up, fov}) and the orbit behind it.
import { InputError } from '../errors.js';
import { basis, cross, dot, eye, type Orbit, unit, type Vec3 } from './orbit.js';

export interface CameraState {
  position: Vec3;
  target: Vec3;
  up: Vec3;
  fov: number;
}

// Below this sine of the angle between up and the view direction, the camera's roll is undefined.
const MIN_UP_SINE = 1e-6;

// Where an orbit puts the camera; `up` is the orbit's axis (the picture's up is its part across the view).
export function cameraState(orbit: Orbit): CameraState {
  return { position: eye(orbit), target: [...orbit.target], up: [...orbit.up], fov: orbit.fov };
}

// The orbit that puts the camera where `state` says, keeping from `current` what it leaves out; a position left
// out keeps the current distance and direction from the (perhaps new) target. Only the part of `up` across the
// view direction shows in the picture, but the whole of it stays the axis drags turn around.
export function orbitFrom(state: Partial<CameraState>, current: Orbit): Orbit {
  const target = state.target ?? current.target;
  const offset: Vec3 =
    state.position === undefined
      ? eye({ ...current, target: [0, 0, 0] })
      : (state.position.map((value, i) => value - target[i]!) as Vec3);
  const radius = Math.hypot(...offset);
  if (radius === 0) {
    throw new InputError('the camera "position" equals its "target"; place the camera away from what it looks at');
  }
  const fov = state.fov ?? current.fov;
  if (!(fov > 0 && fov < 180)) {
    throw new InputError(`"fov" must be between 0 and 180 degrees (exclusive), got ${fov}`);
  }
  const given = state.up ?? current.up;
  if (Math.hypot(...given) === 0) {
    throw new InputError('"up" must not be the zero vector; give a direction such as [0, 1, 0]');
  }
  const frame = basis(given);
  const direction = unit(offset);
  if (Math.hypot(...cross(direction, frame.up)) < MIN_UP_SINE) {
    throw new InputError(
      `"up" ${JSON.stringify(given)} is parallel to the view direction, so the picture's up is undefined; ` +
        'give an up across the line from the target to the camera',
    );
  }
  const across = dot(direction, frame.side);
  const along = dot(direction, frame.front);
  return {
    target: [...target],
    radius,
    theta: Math.atan2(across, along),
    phi: Math.atan2(Math.hypot(across, along), dot(direction, frame.up)),
    fov,
    up: frame.up,
  };
}

// The camera keys of a set_camera request: position, target and up as three finite numbers, fov a number; each
// one absent is left out. Ranges and geometry are checked by orbitFrom.
export function cameraParams(params: Record<string, unknown>): Partial<CameraState> {
  const state: Partial<CameraState> = {};
  for (const key of ['position', 'target', 'up'] as const) {
    const value = vector(params, key);
    if (value !== undefined) state[key] = value;
  }
  const fov = params.fov;
  if (fov !== undefined) {
    if (typeof fov !== 'number') {
      throw new InputError(`"fov" must be a number of degrees, got ${JSON.stringify(fov)}`, { code: 'invalid_type' });
    }
    state.fov = fov;
  }
  return state;
}

function vector(params: Record<string, unknown>, key: string): Vec3 | undefined {
  const value = params[key];
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'number')) {
    throw new InputError(`"${key}" must be a list of three numbers [x, y, z], got ${JSON.stringify(value)}`, {
      code: 'invalid_type',
    });
  }
  if (value.length !== 3 || !value.every(Number.isFinite)) {
    throw new InputError(`"${key}" must be three finite numbers [x, y, z], got [${value.join(', ')}]`);
  }
  return [...value] as Vec3;
}
