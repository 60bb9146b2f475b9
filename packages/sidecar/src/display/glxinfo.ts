// Ask a display's GLX, through glxinfo, for a real GL context: the driver under headless-gl (whose own
// strings say "ANGLE").
import { find, run, type Probe } from './probe.js';

// The OpenGL driver as GLX reports it.
export interface DriverInfo {
  vendor: string;
  renderer: string;
  version: string;
}

// Run `glxinfo -B` on `display` with `overlay` added to the environment; null driver when glxinfo fails.
export async function queryDriver(
  probe: Probe,
  display: string,
  overlay: Record<string, string> = {},
): Promise<{ driver: DriverInfo | null; output: string } | undefined> {
  const glxinfo = await find(probe, 'glxinfo');
  if (glxinfo === undefined) return undefined;
  const result = await run(probe, glxinfo, ['-B', '-display', display], overlay);
  return { driver: result.ok ? parseGlxinfo(result.stdout) : null, output: result.output };
}

// Pick vendor, renderer and version out of glxinfo's output.
export function parseGlxinfo(text: string): DriverInfo | null {
  const field = (name: string) => new RegExp(`^OpenGL ${name} string: (.*)$`, 'm').exec(text)?.[1]?.trim();
  const renderer = field('renderer');
  if (renderer === undefined) return null;
  return {
    vendor: field('vendor') ?? 'unknown',
    renderer,
    version: field('core profile version') ?? field('version') ?? 'unknown',
  };
}
