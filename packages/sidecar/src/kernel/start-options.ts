// The "start" request's params, checked: {force_headless?, backend?, screen?}.
import type { ChainOptions } from './display/index.js';
import { InputError } from './errors.js';

// Chain options from the params of "start"; throws InputError naming a bad value.
export function startOptions(params: Record<string, unknown>): ChainOptions {
  const {
    force_headless: forceHeadless = false,
    backend = 'xvfb',
    screen = '1920x1080x24',
  } = Object.fromEntries(Object.entries(params).filter(([, value]) => value !== undefined));
  if (typeof forceHeadless !== 'boolean')
    throw new InputError(`"force_headless" must be a boolean, got ${JSON.stringify(forceHeadless)}`);
  if (backend !== 'xvfb' && backend !== 'xpra')
    throw new InputError(`"backend" must be "xvfb" or "xpra", got ${JSON.stringify(backend)}`);
  if (typeof screen !== 'string' || !/^\d{2,5}x\d{2,5}x(8|16|24|32)$/.test(screen)) {
    throw new InputError(`"screen" must look like 1920x1080x24 (WIDTHxHEIGHTxDEPTH), got ${JSON.stringify(screen)}`);
  }
  return { forceHeadless, backend, screen };
}
