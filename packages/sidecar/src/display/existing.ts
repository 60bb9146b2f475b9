// Step 1: use the DISPLAY we inherited when it answers and offers GLX, so a desktop session is used, not replaced.
import { find, run, type Probe } from './probe.js';
import { lacking } from './install-hints.js';
import { step, type Step } from './steps.js';

// The decision on the inherited display; `name` is set when it is to be used.
export async function probeExisting(probe: Probe, forceHeadless: boolean): Promise<{ step: Step; name?: string }> {
  const name = probe.env['DISPLAY'];
  if (name === undefined || name === '') return { step: step('existing', 'skipped', 'DISPLAY is not set') };
  if (forceHeadless) return { step: step('existing', 'skipped', `DISPLAY=${name} is set, but headless was forced`) };
  const xdpyinfo = await find(probe, 'xdpyinfo');
  if (xdpyinfo === undefined)
    return {
      step: lacking(step('existing', 'skipped', `cannot check DISPLAY=${name}: xdpyinfo is not installed`), 'xdpyinfo'),
    };
  const result = await run(probe, xdpyinfo, ['-display', name]);
  if (!result.ok)
    return { step: step('existing', 'skipped', `DISPLAY=${name} does not answer xdpyinfo`, result.output) };
  if (!hasGlx(result.stdout))
    return { step: step('existing', 'skipped', `DISPLAY=${name} answers, but lists no GLX extension`) };
  return { step: step('existing', 'ok', `DISPLAY=${name} answers xdpyinfo and lists GLX`), name };
}

// Whether xdpyinfo's extension list names GLX.
export function hasGlx(xdpyinfo: string): boolean {
  return /^\s+GLX$/m.test(xdpyinfo);
}
