// Step 3 (default backend): start Xvfb on a display number it picks itself (-displayfd), so two kernels never race,
// admitting only clients with the cookie of its private Xauthority.
import { rm } from 'node:fs/promises';
import { launch, DISPLAYFD, type Display } from './x-server.js';
import { find, type Probe } from './probe.js';
import { children, reaped } from './reaper.js';
import { removeServerFiles } from './server-files.js';
import { lacking } from './install-hints.js';
import { step, type Step } from './steps.js';
import { createXauthority, nameDisplay } from './xauthority.js';

// Start Xvfb with GLX at `screen` (WxHxD), stopped when the fd `lifeline` reaches EOF rather than when the sidecar
// dies, if one is given; the step says how it went, `display` is set when it is ready.
export async function startXvfb(
  probe: Probe,
  screen: string,
  lifeline?: number,
): Promise<{ step: Step; display?: Display }> {
  const [xvfb, setpriv] = await Promise.all([find(probe, 'Xvfb'), find(probe, 'setpriv')]);
  if (xvfb === undefined) return { step: lacking(step('xvfb', 'failed', 'Xvfb was not found on PATH'), 'xvfb') };
  const auth = await createXauthority().catch((error: Error) => error);
  if (auth instanceof Error) return { step: step('xvfb', 'failed', `could not write an Xauthority: ${auth.message}`) };
  const command = [xvfb, '-displayfd', String(DISPLAYFD), ...xvfbOptions(screen, auth.file)];
  const server = await launch(
    probe,
    reaped(auth.dir, command, setpriv, lifeline !== undefined),
    {},
    undefined,
    lifeline,
  );
  if ('error' in server) {
    await rm(auth.dir, { recursive: true, force: true });
    return { step: step('xvfb', 'failed', `${xvfb} did not become ready: ${server.error}`, server.output) };
  }
  const { name, child } = server;
  // The reaper's first child is the server (a lifeline's watcher comes after).
  const pid = (await children(child.pid!))[0] ?? child.pid!;
  const stop = async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await child;
    }
    await removeServerFiles(name, pid);
    await rm(auth.dir, { recursive: true, force: true });
  };
  const named = await nameDisplay(auth, name).catch((error: Error) => error);
  if (named instanceof Error) {
    await stop();
    return { step: step('xvfb', 'failed', `could not write the Xauthority of ${name}: ${named.message}`) };
  }
  return {
    step: step('xvfb', 'ok', `started ${xvfb} on ${name} (screen ${screen}, pid ${pid})`),
    display: { name, source: 'xvfb', pid, xauthority: auth.file, stop },
  };
}

// How glstream runs every Xvfb, its own or xpra's: one screen of `screen` (WxHxD), GLX, no TCP, only clients with
// the cookie in `xauthority`, and no reset when its last client leaves, since the kernel's programs come and go on
// the display it serves.
export function xvfbOptions(screen: string, xauthority: string): string[] {
  return ['-screen', '0', screen, '-nolisten', 'tcp', '-auth', xauthority, '-noreset', '+extension', 'GLX'];
}
