// The error when no step of the display chain works: every step, what it printed, and the packages that fix it.
import type { Backend } from '@glstream/protocol';
import { DisplayError } from '../errors.js';
import { chainPieces, installCommands } from './install-hints.js';
import { formatSteps, type Step } from './steps.js';

// A DisplayError that keeps the steps, so the doctor can report them.
export class DisplayChainError extends DisplayError {
  readonly steps: Step[];

  constructor(steps: Step[], backend: Backend, options: { cause?: unknown } = {}) {
    super(`no display with working OpenGL could be set up; steps tried:\n${formatSteps(steps)}`, {
      ...options,
      hint: packageHint(backend),
    });
    this.steps = steps;
  }
}

// The install commands that provide every piece the chain may need.
export function packageHint(backend: Backend): string {
  const virtualGl = 'GPU nodes whose X server lacks GLX: VirtualGL from https://virtualgl.org';
  return `${installCommands(chainPieces(backend))}; ${virtualGl}`;
}
