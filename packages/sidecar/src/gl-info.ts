// What renders for us: the WebGL layer's own strings and the OpenGL driver beneath it.
import { queryDriver, type DriverInfo } from './display/glx-info.js';
import type { Renderer, WebGlInfo } from './render/renderer.js';

// The GL stack in use; `renderer` names the driver (e.g. llvmpipe) when GLX could be asked.
export interface GlInfo extends DriverInfo {
  webgl: WebGlInfo;
}

// Describe the GL stack behind `renderer` on `display`.
export async function describeGl(renderer: Renderer, display: string): Promise<GlInfo> {
  const webgl = renderer.info();
  const driver = await queryDriver(display);
  if (driver === null) return { vendor: 'unknown', renderer: 'unknown (install mesa-utils for glxinfo to name the driver)', version: 'unknown', webgl };
  return { ...driver, webgl };
}
