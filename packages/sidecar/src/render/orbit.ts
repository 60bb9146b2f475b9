// Server-side orbit camera: spherical coordinates around a target, driven by pixel deltas.

// Where the camera is, as plain numbers so the math is testable without GL.
export interface Orbit {
  target: [number, number, number];
  radius: number;
  theta: number;
  phi: number;
  fov: number;
}

const EPS = 1e-4;
const MIN_RADIUS = 1e-6;
const MAX_RADIUS = 1e9;

// A camera looking at a bounding sphere from a three-quarter view, far enough to see all of it.
export function fitOrbit(center: [number, number, number], sphereRadius: number, fov = 45): Orbit {
  const half = (fov * Math.PI) / 360;
  const radius = (Math.max(sphereRadius, MIN_RADIUS) / Math.sin(half)) * 1.05;
  return { target: [...center], radius, theta: Math.PI / 5, phi: Math.PI / 2.6, fov };
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
  const { right, up } = basis(orbit);
  const target = orbit.target.map(
    (value, i) => value - dx * perPixel * right[i]! + dy * perPixel * up[i]!,
  ) as Orbit['target'];
  return { ...orbit, target };
}

// The camera position for an orbit (y is up).
export function eye(orbit: Orbit): [number, number, number] {
  const [x, y, z] = orbit.target;
  const s = Math.sin(orbit.phi);
  return [
    x + orbit.radius * s * Math.sin(orbit.theta),
    y + orbit.radius * Math.cos(orbit.phi),
    z + orbit.radius * s * Math.cos(orbit.theta),
  ];
}

function basis(orbit: Orbit): { right: number[]; up: number[] } {
  const right = [Math.cos(orbit.theta), 0, -Math.sin(orbit.theta)];
  const c = Math.cos(orbit.phi);
  const up = [-c * Math.sin(orbit.theta), Math.sin(orbit.phi), -c * Math.cos(orbit.theta)];
  return { right, up };
}
