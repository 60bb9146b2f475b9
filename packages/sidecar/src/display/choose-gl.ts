// Step 4 as a whole: plain GLX, else VirtualGL, else Mesa; every step is recorded, taken or not.
import { findMesa } from './mesa.js';
import { testGlx, tryCandidate, type Candidate, type GlSetup } from './glx.js';
import type { Probe } from './probe.js';
import { step, type Step } from './steps.js';
import { findVirtualGl } from './virtualgl.js';

// The first GL setup that gets a context on `display`, or null when none does; appends to `steps`.
export async function chooseGl(
  probe: Probe,
  display: string,
  eglAvailable: boolean,
  steps: Step[],
): Promise<GlSetup | null> {
  const plain = await testGlx(probe, display);
  steps.push(plain.step);
  if (plain.setup !== undefined) {
    const virtualgl = await findVirtualGl(probe, eglAvailable);
    const availability = 'step' in virtualgl ? `; ${virtualgl.reason}` : `; available: ${virtualgl.describe}`;
    steps.push(
      step('virtualgl', 'skipped', `not needed: GLX works on ${display}${availability}`),
      step('mesa', 'skipped', `not needed: GLX works on ${display}`),
    );
    return plain.setup;
  }
  const fallbacks: ['virtualgl' | 'mesa', () => Promise<Candidate | Step>][] = [
    ['virtualgl', () => findVirtualGl(probe, eglAvailable)],
    ['mesa', () => findMesa(probe)],
  ];
  for (const [name, locate] of fallbacks) {
    const candidate = await locate();
    if ('step' in candidate) {
      steps.push(candidate);
      continue;
    }
    const tried = await tryCandidate(probe, display, name, candidate);
    steps.push(tried.step);
    if (tried.setup !== undefined) {
      if (name === 'virtualgl') steps.push(step('mesa', 'skipped', 'not needed: VirtualGL works'));
      return tried.setup;
    }
  }
  return null;
}
