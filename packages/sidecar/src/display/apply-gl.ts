// Make this process use the chosen GL setup: set its variables and load its libraries before the first GL context.
import { readFile, realpath } from 'node:fs/promises';
import { basename } from 'node:path';
import { constants } from 'node:os';
import { step, type Step } from './steps.js';
import type { GlSetup } from './glx.js';

// glibc's RTLD_NODELETE, which Node does not export: Node dlcloses a library that is no addon, this keeps it loaded.
const RTLD_NODELETE = 0x1000;

// Set `setup.env` in process.env and dlopen each preload library globally; a failed step for each that did not load.
export async function applyGl(setup: Pick<GlSetup, 'env' | 'preload'>): Promise<Step[]> {
  Object.assign(process.env, setup.env);
  const failed: Step[] = [];
  for (const path of setup.preload) {
    let printed = '';
    try {
      process.dlopen(
        { exports: {} } as NodeJS.Module,
        path,
        constants.dlopen.RTLD_NOW | constants.dlopen.RTLD_GLOBAL | RTLD_NODELETE,
      );
    } catch (error) {
      // A GL library is no Node addon: dlopen loads it, then Node complains that it registers no module
      // (and dlcloses it).
      printed = (error as Error).message;
    }
    if (!(await isMapped(path))) {
      const name = basename(path).startsWith('libvglfaker') ? 'virtualgl' : 'mesa';
      failed.push(step(name, 'failed', `could not load ${path} into the sidecar`, printed));
    }
  }
  return failed;
}

// Whether `path` (or the file it links to) is mapped into this process.
export async function isMapped(path: string): Promise<boolean> {
  const real = await realpath(path).catch(() => path);
  const maps = await readFile('/proc/self/maps', 'utf8');
  return maps.split('\n').some((line) => line.endsWith(` ${real}`) || line.endsWith(` ${path}`));
}
