// Step 4, first fallback: VirtualGL's faker, which renders GLX on a GPU (VGL_DISPLAY) and copies into the
// virtual display.
import { dirname, join } from 'node:path';
import { firstExisting, libraryDirs } from './find-library.js';
import { find, type Probe } from './probe.js';
import { step, type Step } from './steps.js';
import type { Candidate } from './glx.js';

// VirtualGL's setup when vglrun and libvglfaker.so are installed; otherwise the step saying why not.
export async function findVirtualGl(probe: Probe, eglAvailable: boolean): Promise<Candidate | Step> {
  const vglrun = await find(probe, 'vglrun');
  if (vglrun === undefined)
    return step('virtualgl', 'skipped', 'VirtualGL is not installed: no vglrun on PATH (packages from virtualgl.org)');
  const root = dirname(dirname(vglrun));
  const faker = await firstExisting(
    [join(root, 'lib'), join(root, 'lib64'), ...(await libraryDirs(probe))],
    ['libvglfaker.so'],
  );
  if (faker === undefined)
    return step(
      'virtualgl',
      'failed',
      `found ${vglrun}, but no libvglfaker.so next to it, on LD_LIBRARY_PATH or in the ldconfig cache`,
    );
  // VirtualGL 3 renders on an EGL device directly; otherwise on a GPU-backed X server, :0 by default.
  const vglDisplay = probe.env['VGL_DISPLAY'] ?? (eglAvailable ? 'egl' : ':0');
  return {
    env: { VGL_DISPLAY: vglDisplay },
    preload: [faker],
    overlay: { VGL_DISPLAY: vglDisplay, LD_PRELOAD: [faker, probe.env['LD_PRELOAD']].filter(Boolean).join(':') },
    describe: `VirtualGL (${faker}, VGL_DISPLAY=${vglDisplay})`,
  };
}
