// Ask the display's GLX which OpenGL driver sits under headless-gl (its own strings only say "ANGLE").
import { execa } from 'execa';
import { which } from './which.js';

// The OpenGL driver as GLX reports it.
export interface DriverInfo {
  vendor: string;
  renderer: string;
  version: string;
}

// Parse `glxinfo -B`; null when glxinfo is missing or fails on `display`.
export async function queryDriver(display: string, timeoutMs = 10_000): Promise<DriverInfo | null> {
  const glxinfo = await which('glxinfo');
  if (glxinfo === undefined) return null;
  const result = await execa(glxinfo, ['-B', '-display', display], { reject: false, timeout: timeoutMs });
  if (result.exitCode !== 0) return null;
  return parseGlxinfo(result.stdout);
}

// Pick vendor, renderer and version out of glxinfo's output.
export function parseGlxinfo(text: string): DriverInfo | null {
  const field = (name: string) => new RegExp(`^OpenGL ${name} string: (.*)$`, 'm').exec(text)?.[1]?.trim();
  const renderer = field('renderer');
  if (renderer === undefined) return null;
  return { vendor: field('vendor') ?? 'unknown', renderer, version: field('core profile version') ?? field('version') ?? 'unknown' };
}
