// Obtain a display with working GL for this process: run the chain, point DISPLAY (and XAUTHORITY) at it, apply
// the GL setup.
import { applyGl } from './apply-gl.js';
import { setupDisplay, type ChainOptions, type DisplaySetup } from './chain.js';
import type { Display } from './x-server.js';

// Run the display chain and make this process render on its result (before any GL context exists).
export async function obtainDisplay(options: ChainOptions = {}): Promise<DisplaySetup> {
  const setup = await setupDisplay(options);
  useDisplay(setup.display);
  setup.steps.push(...(await applyGl(setup)));
  return setup;
}

// Point this process' X clients (headless-gl, window capture) at `display`, with its cookie when it has one.
export function useDisplay(display: Display): void {
  process.env['DISPLAY'] = display.name;
  if (display.xauthority !== null) process.env['XAUTHORITY'] = display.xauthority;
}

export { setupDisplay, type ChainOptions, type DisplaySetup } from './chain.js';
export { DisplayChainError, packageHint } from './chain-error.js';
export { loadedGlLibraries, type GlLibrary } from './loaded-gl.js';
export { serverFiles } from './server-files.js';
export type { Display } from './x-server.js';
export type { Step } from './steps.js';
