// Step 4: test GLX on a display, first its extension list, then a real GL context (glxinfo), plain or with a GL setup.
import { hasGlx } from './existing.js';
import { queryDriver, type DriverInfo } from './glxinfo.js';
import { find, run, type Probe } from './probe.js';
import { lacking } from './install-hints.js';
import { step, type Step } from './steps.js';

// The GL setup a process needs: variables to set and libraries to load globally before any GL library.
export interface GlSetup {
  env: Record<string, string>;
  preload: string[];
  driver: DriverInfo | null;
}

// A way to get GL on the display (VirtualGL, Mesa): its setup, the environment its test runs with, and its name.
export interface Candidate {
  env: Record<string, string>;
  preload: string[];
  overlay: Record<string, string>;
  describe: string;
}

const NO_GLXINFO = 'glxinfo is not installed';

// Plain GLX: does xdpyinfo list it, and does glxinfo get a context?
export async function testGlx(probe: Probe, display: string): Promise<{ step: Step; setup?: GlSetup }> {
  const xdpyinfo = await find(probe, 'xdpyinfo');
  const listed = xdpyinfo === undefined ? undefined : await run(probe, xdpyinfo, ['-display', display]);
  if (listed !== undefined && !listed.ok)
    return { step: step('glx', 'failed', `${display} does not answer xdpyinfo`, listed.output) };
  if (listed !== undefined && !hasGlx(listed.stdout))
    return { step: step('glx', 'failed', `${display} lists no GLX extension (xdpyinfo)`) };
  const query = await queryDriver(probe, display);
  const setup = { env: {}, preload: [], driver: query?.driver ?? null };
  if (query === undefined && listed === undefined) {
    const untested = step('glx', 'ok', `not tested: neither xdpyinfo nor ${NO_GLXINFO}`);
    return { step: lacking(untested, 'xdpyinfo', 'glxinfo'), setup };
  }
  if (query === undefined) {
    const listedOnly = step('glx', 'ok', `${display} lists GLX; no context was tested because ${NO_GLXINFO}`);
    return { step: lacking(listedOnly, 'glxinfo'), setup };
  }
  if (query.driver === null)
    return { step: step('glx', 'failed', `glxinfo could not make a GL context on ${display}`, query.output) };
  return { step: step('glx', 'ok', `glxinfo made a GL context on ${display}: ${query.driver.renderer}`), setup };
}

// Test `candidate` with glxinfo on `display`; the step is named `name`.
export async function tryCandidate(
  probe: Probe,
  display: string,
  name: 'virtualgl' | 'mesa',
  candidate: Candidate,
): Promise<{ step: Step; setup?: GlSetup }> {
  const query = await queryDriver(probe, display, candidate.overlay);
  if (query === undefined) return { step: step(name, 'failed', `cannot test ${candidate.describe}: ${NO_GLXINFO}`) };
  if (query.driver === null)
    return {
      step: step(
        name,
        'failed',
        `${candidate.describe}: glxinfo could not make a GL context on ${display}`,
        query.output,
      ),
    };
  const setup = { env: candidate.env, preload: candidate.preload, driver: query.driver };
  return {
    step: step(name, 'ok', `${candidate.describe}: glxinfo made a GL context on ${display}: ${query.driver.renderer}`),
    setup,
  };
}
