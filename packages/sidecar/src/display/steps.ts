// The record of the display chain: each step taken or skipped, and why.
import type { Piece } from './install-hints.js';

// The steps of the chain, in the order they are decided.
export type StepName = 'existing' | 'egl' | 'xvfb' | 'xpra' | 'glx' | 'virtualgl' | 'mesa';

// One decision of the chain; `output` is what the probe printed, when it says more than the reason; `missing`, the
// system packages whose absence the reason reports (install-hints.ts).
export interface Step {
  step: StepName;
  status: 'ok' | 'skipped' | 'failed';
  reason: string;
  output?: string;
  missing?: Piece[];
}

// A step with its output attached only when there is some.
export function step(name: StepName, status: Step['status'], reason: string, output = ''): Step {
  const trimmed = output.trim();
  return trimmed === '' ? { step: name, status, reason } : { step: name, status, reason, output: tail(trimmed) };
}

// The steps as an aligned list for a message or the doctor's report.
export function formatSteps(steps: Step[]): string {
  return steps
    .map(({ step: name, status, reason, output }) => {
      const line = `  ${name.padEnd(9)} ${status.padEnd(7)} ${reason}`;
      return output === undefined ? line : `${line}\n${output.replace(/^/gm, '      | ')}`;
    })
    .join('\n');
}

function tail(text: string, max = 2_000): string {
  return text.length <= max ? text : `...${text.slice(-max)}`;
}
