// What renders for us: the WebGL layer's own strings and the OpenGL driver beneath it.
import type { DriverInfo } from '../display/glxinfo.js';
import type { Renderer, WebGlInfo } from './renderer.js';

// The GL stack in use; `renderer` names the driver (e.g. llvmpipe) when glxinfo could be asked.
export interface GlInfo extends DriverInfo {
  webgl: WebGlInfo;
}

// Describe the GL stack behind `renderer`, with the driver the display chain's glxinfo saw.
export function describeGl(renderer: Renderer, driver: DriverInfo | null): GlInfo {
  const webgl = renderer.info();
  if (driver === null)
    return {
      vendor: 'unknown',
      renderer: 'unknown (install mesa-utils for glxinfo to name the driver)',
      version: 'unknown',
      webgl,
    };
  return { ...driver, webgl };
}
