// MSAA samples a WebGL context made like the sidecar's gets (headless-gl may not honour `antialias`): VTK's peer
// is set to the same. Needs the display the sidecar's GL would use.
import { createRequire } from 'node:module';

export function webglSamples(): number {
  const createGL = createRequire(import.meta.url)('gl') as (
    w: number,
    h: number,
    o: object,
  ) => WebGLRenderingContext | null;
  const gl = createGL(1, 1, { antialias: true, preserveDrawingBuffer: true, premultipliedAlpha: false });
  if (gl === null) return 0;
  const samples = Number(gl.getParameter(gl.SAMPLES));
  gl.getExtension('STACKGL_destroy_context')?.destroy();
  return samples;
}
