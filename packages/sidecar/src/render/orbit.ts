// Server-side orbit camera: spherical coordinates around a target, driven by pixel deltas.

export type Vec3 = [number, number, number];

// Where the camera is, as plain numbers so the math is testable without GL. `up` (unit) is the axis the camera
// turns around: phi is the angle from it, theta the turn about it (see basis()).
export interface Orbit {
  target: Vec3;
  radius: number;
  theta: number;
  phi: number;
  fov: number;
  up: Vec3;
}

const EPS = 1e-4;
const MIN_RADIUS = 1e-6;
const MAX_RADIUS = 1e9;
const Y_UP: Vec3 = [0, 1, 0];

// A camera looking at a bounding sphere from a three-quarter view, far enough to see all of it.
export function fitOrbit(center: Vec3, sphereRadius: number, fov = 45, up: Vec3 = Y_UP): Orbit {
  const half = (fov * Math.PI) / 360;
  const radius = (Math.max(sphereRadius, MIN_RADIUS) / Math.sin(half)) * 1.05;
  return { target: [...center], radius, theta: Math.PI / 5, phi: Math.PI / 2.6, fov, up: [...up] };
}

// Turn around the target: a drag across the full view height is one full turn.
export function rotate(orbit: Orbit, dx: number, dy: number, viewHeight: number): Orbit {
  const scale = (2 * Math.PI) / Math.max(viewHeight, 1);
  const phi = Math.min(Math.PI - EPS, Math.max(EPS, orbit.phi - dy * scale));
  return { ...orbit, theta: orbit.theta - dx * scale, phi };
}

// Move towards (dy < 0) or away from (dy > 0) the target; one wheel notch (100) is 10%.
export function zoom(orbit: Orbit, dy: number): Orbit {
  const radius = orbit.radius * 1.1 ** (dy / 100);
  return { ...orbit, radius: Math.min(MAX_RADIUS, Math.max(MIN_RADIUS, radius)) };
}

// Slide the target in the view plane so the point under the pointer follows it.
export function pan(orbit: Orbit, dx: number, dy: number, viewHeight: number): Orbit {
  const perPixel = (2 * orbit.radius * Math.tan((orbit.fov * Math.PI) / 360)) / Math.max(viewHeight, 1);
  const { side, up, front } = basis(orbit.up);
  const c = Math.cos(orbit.phi);
  const right = combine(Math.cos(orbit.theta), side, 0, up, -Math.sin(orbit.theta), front);
  const screenUp = combine(
    -c * Math.sin(orbit.theta),
    side,
    Math.sin(orbit.phi),
    up,
    -c * Math.cos(orbit.theta),
    front,
  );
  const target = orbit.target.map(
    (value, i) => value - dx * perPixel * right[i]! + dy * perPixel * screenUp[i]!,
  ) as Vec3;
  return { ...orbit, target };
}

// The camera position for an orbit.
export function eye(orbit: Orbit): Vec3 {
  const { side, up, front } = basis(orbit.up);
  const s = Math.sin(orbit.phi);
  const offset = combine(
    orbit.radius * s * Math.sin(orbit.theta),
    side,
    orbit.radius * Math.cos(orbit.phi),
    up,
    orbit.radius * s * Math.cos(orbit.theta),
    front,
  );
  return orbit.target.map((value, i) => value + offset[i]!) as Vec3;
}

// The right-handed frame theta and phi are measured in: `up`, and `side` and `front` (theta = 0, phi = pi/2 looks
// from `front`) turned from x and z by the shortest rotation that takes y to `up`. For up = y these are exactly
// x, y and z, so y-up orbits keep the numbers they always had; for z-up the camera starts on the -y side, x right.
export function basis(up: Vec3): { side: Vec3; up: Vec3; front: Vec3 } {
  const u = unit(up);
  const [x, c, z] = u;
  const k = 1 / (1 + c);
  // At -y the rotation is a half turn about x; near it the formula loses digits, which one Gram-Schmidt step
  // takes out of the frame again.
  const turned: Vec3 = c === -1 ? [0, 0, -1] : [-x * z * k, -z, 1 - z * z * k];
  const front = unit(orthogonal(turned, u));
  return { side: cross(u, front), up: u, front };
}

// a*p + b*q + c*r, component by component in that order.
function combine(a: number, p: Vec3, b: number, q: Vec3, c: number, r: Vec3): Vec3 {
  return [a * p[0] + b * q[0] + c * r[0], a * p[1] + b * q[1] + c * r[1], a * p[2] + b * q[2] + c * r[2]];
}

export function dot(a: Vec3, b: Vec3): number {
  return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}

export function cross(a: Vec3, b: Vec3): Vec3 {
  return [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
}

// `v` scaled to length 1 (callers make sure it is not zero).
export function unit(v: Vec3): Vec3 {
  const length = Math.hypot(...v);
  return [v[0] / length, v[1] / length, v[2] / length];
}

// The part of `v` perpendicular to the unit vector `u`.
export function orthogonal(v: Vec3, u: Vec3): Vec3 {
  const along = dot(v, u);
  return [v[0] - along * u[0], v[1] - along * u[1], v[2] - along * u[2]];
}
