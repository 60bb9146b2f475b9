// Step 4, last fallback: Mesa's software GL (llvmpipe), from a mesa/ directory of its own or the system's Mesa.
import { dirname } from 'node:path';
import { firstExisting, libraryDirs } from './find-library.js';
import type { Probe } from './probe.js';
import { lacking } from './install-hints.js';
import { step, type Step } from './steps.js';
import type { Candidate } from './glx.js';

const SOFTWARE = { LIBGL_ALWAYS_SOFTWARE: '1', GALLIUM_DRIVER: 'llvmpipe' };

// Mesa's setup: a mesa/libGL.so.1 beside the library directories (loaded first), else libglvnd's Mesa vendor.
export async function findMesa(probe: Probe): Promise<Candidate | Step> {
  const dirs = await libraryDirs(probe);
  const bundled = await firstExisting(dirs, ['mesa/libGL.so.1']);
  if (bundled !== undefined) {
    const env = {
      ...SOFTWARE,
      LD_LIBRARY_PATH: [dirname(bundled), probe.env['LD_LIBRARY_PATH']].filter(Boolean).join(':'),
    };
    return { env, preload: [bundled], overlay: env, describe: `Mesa software GL from ${bundled}` };
  }
  const vendor = await firstExisting(dirs, ['libGLX_mesa.so.0']);
  if (vendor !== undefined) {
    const env = { ...SOFTWARE, __GLX_VENDOR_LIBRARY_NAME: 'mesa' };
    return { env, preload: [], overlay: env, describe: `Mesa software GL (${vendor})` };
  }
  return lacking(
    step(
      'mesa',
      'failed',
      'no Mesa found: no mesa/libGL.so.1 and no libGLX_mesa.so.0 on LD_LIBRARY_PATH or in the ldconfig cache',
    ),
    'mesa',
  );
}
