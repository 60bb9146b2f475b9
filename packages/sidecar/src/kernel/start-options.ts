// The "start" request's params (also the doctor's options), checked: {force_headless?, backend?, screen?,
// lifeline_fd?}.
import { fstatSync } from 'node:fs';
import { LIMITS } from '@glstream/protocol';
import type { ChainOptions } from '../display/index.js';
import { InputError } from '../errors.js';
import { flag, oneOf, type Params } from './params.js';

const SCREEN = /^\d{2,5}x\d{2,5}x(8|16|24|32)$/;

// Chain options from the params of "start"; throws InputError naming a bad value.
export function startOptions(params: Params): ChainOptions {
  const screen = params['screen'] ?? '1920x1080x24';
  if (typeof screen !== 'string' || !SCREEN.test(screen)) {
    throw new InputError(`"screen" must look like 1920x1080x24 (WIDTHxHEIGHTxDEPTH), got ${JSON.stringify(screen)}`);
  }
  return {
    forceHeadless: flag(params, 'force_headless') ?? false,
    backend: oneOf(params, 'backend', LIMITS.backends) ?? 'xvfb',
    screen,
    lifeline: lifelineFd(params),
  };
}

// The fd of the kernel's lifeline pipe (its read end, inherited): not stdin, stdout or stderr, which carry the
// protocol and the log.
function lifelineFd(params: Params): number | undefined {
  const value = params['lifeline_fd'];
  if (value === undefined) return undefined;
  if (!(typeof value === 'number' && Number.isInteger(value) && value > 2)) {
    throw new InputError(
      `"lifeline_fd" must be the number of a file descriptor the sidecar inherited (an integer above 2), got ${JSON.stringify(value)}`,
    );
  }
  try {
    fstatSync(value);
  } catch (error) {
    throw new InputError(`"lifeline_fd" ${value} is not open in the sidecar: pass it to the sidecar's process`, {
      cause: error,
    });
  }
  return value;
}
