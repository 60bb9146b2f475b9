// The "start" request's params (also the doctor's options), checked: {force_headless?, backend?, screen?,
// lifeline_fd?}.
import { fstatSync, type Stats } from 'node:fs';
import { LIMITS } from '@glstream/protocol';
import type { ChainOptions } from '../display/index.js';
import { InputError } from '../errors.js';
import { flag, oneOf, type Params } from './params.js';

const SCREEN = /^\d{2,5}x\d{2,5}x(8|16|24|32)$/;

// The X screen glstream starts. Its views render off-screen (headless-gl, VTK) and need none of it; the windows of
// programs shown with glstream.run/show do: each is sized to its cell, in CSS pixels, and must lie on the screen
// for XTest's pointer to reach all of it. Full HD holds a full-width cell on a common monitor; its framebuffer is
// 8 MB of the X server's 70 MB RSS (the rest is Mesa and LLVM, loaded for GLX). GLSTREAM_SCREEN chooses another.
export const DEFAULT_SCREEN = '1920x1080x24';

// Chain options from the params of "start" (and GLSTREAM_SCREEN in `env`); throws InputError naming a bad value.
export function startOptions(params: Params, env: NodeJS.ProcessEnv = process.env): ChainOptions {
  const fromEnv = env['GLSTREAM_SCREEN'] || undefined;
  const screen = params['screen'] ?? fromEnv ?? DEFAULT_SCREEN;
  if (typeof screen !== 'string' || !SCREEN.test(screen)) {
    const source = params['screen'] === undefined ? 'GLSTREAM_SCREEN' : '"screen"';
    throw new InputError(`${source} must look like 1920x1080x24 (WIDTHxHEIGHTxDEPTH), got ${JSON.stringify(screen)}`);
  }
  const lifeline = lifelineFd(params);
  return {
    forceHeadless: flag(params, 'force_headless') ?? false,
    backend: oneOf(params, 'backend', LIMITS.backends) ?? 'xvfb',
    screen,
    ...(lifeline === undefined ? {} : { lifeline }),
  };
}

// The fd of the kernel's lifeline pipe (its read end, inherited): not stdin, stdout or stderr, which carry the
// protocol and the log.
function lifelineFd(params: Params): number | undefined {
  const value = params['lifeline_fd'];
  if (value === undefined) return undefined;
  if (!(typeof value === 'number' && Number.isInteger(value) && value > 2)) {
    throw new InputError(
      '"lifeline_fd" must be the number of a file descriptor the sidecar inherited (an integer above 2), ' +
        `got ${JSON.stringify(value)}`,
    );
  }
  let stat: Stats;
  try {
    stat = fstatSync(value);
  } catch (error) {
    throw new InputError(`"lifeline_fd" ${value} is not open in the sidecar: pass it to the sidecar's process`, {
      cause: error,
    });
  }
  // The sidecar closes its copy once the X server has one: a wrong number must not close a file of its own.
  if (!stat.isFIFO() && !stat.isSocket()) {
    throw new InputError(`"lifeline_fd" ${value} is not a pipe: give the read end of a pipe the kernel keeps open`);
  }
  return value;
}
