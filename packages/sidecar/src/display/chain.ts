// The display chain: an existing display, EGL, a virtual X server, then GLX / VirtualGL / Mesa on it.
import { closeSync } from 'node:fs';
import type { Backend } from '@glstream/protocol';
import { DisplayChainError } from './chain-error.js';
import { chooseGl } from './choose-gl.js';
import { detectEgl } from './egl.js';
import { probeExisting } from './existing.js';
import { probeOf, type Probe } from './probe.js';
import { step, type Step } from './steps.js';
import { startXpra } from './xpra.js';
import { startXvfb } from './xvfb.js';
import type { GlSetup } from './glx.js';
import type { Display } from './x-server.js';

// What the caller may choose; `probe` replaces the environment and paths the chain looks at (tests). `lifeline`:
// an fd (the read end of the kernel's pipe) whose EOF, not this process' death, stops an X server the chain
// starts; the chain closes this process' copy once the server has its own.
export interface ChainOptions {
  forceHeadless?: boolean;
  backend?: Backend;
  screen?: string;
  lifeline?: number;
  probe?: Partial<Probe>;
}

// A display with working GL, the setup GL needs on it, and the record of every step.
export interface DisplaySetup extends GlSetup {
  display: Display;
  steps: Step[];
}

// Run the chain; throws DisplayChainError listing every step when nothing works.
export async function setupDisplay(options: ChainOptions = {}): Promise<DisplaySetup> {
  const { forceHeadless = false, backend = 'xvfb', screen = '1920x1080x24', lifeline } = options;
  const probe = probeOf(options.probe);
  const steps: Step[] = [];
  const existing = await probeExisting(probe, forceHeadless);
  const egl = await detectEgl(probe);
  steps.push(existing.step, egl);
  let display: Display;
  if (existing.name !== undefined) {
    if (lifeline !== undefined) closeSync(lifeline);
    display = { name: existing.name, source: 'existing', pid: null, xauthority: null, stop: async () => {} };
  } else {
    const started = await (backend === 'xpra' ? startXpra : startXvfb)(probe, screen, lifeline).finally(() => {
      if (lifeline !== undefined) closeSync(lifeline);
    });
    steps.push(started.step);
    if (started.display === undefined) {
      for (const name of ['glx', 'virtualgl', 'mesa'] as const)
        steps.push(step(name, 'skipped', 'no X display to test'));
      throw new DisplayChainError(steps, backend);
    }
    display = started.display;
  }
  // The GL probes are clients of the display like any other: they need its cookie.
  const client =
    display.xauthority === null ? probe : { ...probe, env: { ...probe.env, XAUTHORITY: display.xauthority } };
  try {
    const gl = await chooseGl(client, display.name, egl.status === 'ok', steps);
    if (gl === null) throw new DisplayChainError(steps, backend);
    return { ...gl, display, steps };
  } catch (error) {
    await display.stop();
    throw error;
  }
}
