// Step 2: is there a GPU EGL device (rendering without X)? Recorded for kernels; headless-gl itself needs GLX.
import { readdir } from 'node:fs/promises';
import { find, run, type Probe } from './probe.js';
import { lacking } from './install-hints.js';
import { step, type Step } from './steps.js';

const STILL_X = 'headless-gl renders through GLX, so an X display is still set up';

// Look for GPU render nodes or an NVIDIA EGL vendor, then ask eglinfo whether a non-software device exists.
export async function detectEgl(probe: Probe): Promise<Step> {
  const nodes = (await list(probe.driDir)).filter((name) => name.startsWith('renderD'));
  const vendors = (await list(probe.eglVendorDir)).filter((name) => /nvidia/i.test(name));
  if (nodes.length === 0 && vendors.length === 0) {
    return step(
      'egl',
      'skipped',
      `no GPU render node in ${probe.driDir} and no NVIDIA EGL vendor in ${probe.eglVendorDir}`,
    );
  }
  const found = [
    ...nodes.map((name) => `${probe.driDir}/${name}`),
    ...vendors.map((name) => `${probe.eglVendorDir}/${name}`),
  ].join(', ');
  const eglinfo = await find(probe, 'eglinfo');
  if (eglinfo === undefined)
    return lacking(step('egl', 'ok', `found ${found} (eglinfo is not installed to confirm it); ${STILL_X}`), 'eglinfo');
  const result = await run(probe, eglinfo, ['-B']);
  const devices = countEglDevices(result.stdout);
  if (devices.hardware > 0)
    return step(
      'egl',
      'ok',
      `a GPU EGL device is available to kernels (EGL needs no X; eglinfo lists ${devices.hardware}); ${STILL_X}`,
    );
  return step(
    'egl',
    'skipped',
    `found ${found}, but eglinfo lists ${devices.software} software EGL device(s) and no GPU one`,
    result.output,
  );
}

// Count the devices of eglinfo's "Device platform" section, telling software (llvmpipe) ones apart.
export function countEglDevices(eglinfo: string): { hardware: number; software: number } {
  const section = (eglinfo.split(/^Device platform:$/m)[1] ?? '').split(/^Platform Device:$/m)[0]!;
  const blocks = section.split(/^Device #\d+:$/m).slice(1);
  const software = blocks.filter((block) => block.includes('EGL_MESA_device_software')).length;
  return { hardware: blocks.length - software, software };
}

async function list(dir: string): Promise<string[]> {
  return readdir(dir).catch(() => []);
}
