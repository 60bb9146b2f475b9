// Step 3 (default backend): start Xvfb on a display number it picks itself (-displayfd), so two kernels never race.
import { launch, DISPLAYFD, type Display } from './x-server.js';
import { find, type Probe } from './probe.js';
import { removeServerFiles } from './server-files.js';
import { lacking } from './install-hints.js';
import { step, type Step } from './steps.js';

// Start Xvfb with GLX at `screen` (WxHxD); the step says how it went, `display` is set when it is ready.
export async function startXvfb(probe: Probe, screen: string): Promise<{ step: Step; display?: Display }> {
  const xvfb = await find(probe, 'Xvfb');
  if (xvfb === undefined)
    return { step: lacking(step('xvfb', 'failed', 'Xvfb was not found on PATH'), 'xvfb') };
  const server = await launch(probe, [xvfb, '-displayfd', String(DISPLAYFD), ...xvfbOptions(screen)], {});
  if ('error' in server)
    return { step: step('xvfb', 'failed', `${xvfb} did not become ready: ${server.error}`, server.output) };
  const { name, child } = server;
  const pid = child.pid!;
  const stop = async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await child;
    }
    await removeServerFiles(name, pid);
  };
  return {
    step: step('xvfb', 'ok', `started ${xvfb} on ${name} (screen ${screen}, pid ${pid})`),
    display: { name, source: 'xvfb', pid, stop },
  };
}

// How glstream runs every Xvfb, its own or xpra's: one screen of `screen` (WxHxD), GLX, no TCP, and no reset when
// its last client leaves, since the kernel's programs come and go on the display it serves.
export function xvfbOptions(screen: string): string[] {
  return ['-screen', '0', screen, '-nolisten', 'tcp', '-noreset', '+extension', 'GLX'];
}
