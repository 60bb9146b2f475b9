// Splits Renderer.render() into render and readback: headless-gl's readPixels is wrapped to finish() the GL queue
// first.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

// Milliseconds spent in the last finish() (rasterising) and readPixels() (copying) calls.
export const last = { finishMs: 0, readMs: 0 };

// Wrap readPixels once for every headless-gl context in this process.
export function installStageClock(): void {
  const proto = (require('gl') as { WebGLRenderingContext: { prototype: Record<string, unknown> } })
    .WebGLRenderingContext.prototype;
  if (proto['__benchClock'] === true) return;
  const readPixels = proto['readPixels'] as (this: WebGLRenderingContext, ...args: unknown[]) => void;
  proto['readPixels'] = function (this: WebGLRenderingContext, ...args: unknown[]): void {
    const t0 = performance.now();
    this.finish();
    const t1 = performance.now();
    readPixels.apply(this, args);
    last.finishMs = t1 - t0;
    last.readMs = performance.now() - t1;
  };
  proto['__benchClock'] = true;
}
