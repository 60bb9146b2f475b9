// Step 3 with backend 'xpra': an xpra server and its Xvfb, torn down together even when the sidecar is killed.
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { launch, DISPLAYFD, type Display } from './x-server.js';
import { find, type Probe } from './probe.js';
import { children, reaped } from './reaper.js';
import { removeServerFiles } from './server-files.js';
import { lacking } from './install-hints.js';
import { step, type Step } from './steps.js';
import { createXauthority, nameDisplay } from './xauthority.js';
import { xvfbOptions } from './xvfb.js';

const QUIET = [
  '--daemon=no',
  '--mdns=no',
  '--pulseaudio=no',
  '--notifications=no',
  '--bell=no',
  '--webcam=no',
  '--speaker=off',
  '--microphone=off',
  '--html=off',
  '--systemd-run=no',
  '--start-new-commands=no',
  '--terminate-children=yes',
  '--dbus-launch=',
  '--dbus-proxy=no',
  '--dbus-control=no',
  '--clipboard=no',
  '--printing=no',
  '--file-transfer=no',
  '--opengl=no',
];

// Start `xpra start` with its own Xvfb at `screen`; ready once xpra logs "xpra is ready". With `lifeline`, both
// are stopped when that fd reaches EOF rather than when the sidecar dies.
export async function startXpra(
  probe: Probe,
  screen: string,
  lifeline?: number,
): Promise<{ step: Step; display?: Display }> {
  const [xpra, xvfb, setpriv] = await Promise.all([find(probe, 'xpra'), find(probe, 'Xvfb'), find(probe, 'setpriv')]);
  if (xpra === undefined) return { step: lacking(step('xpra', 'failed', 'xpra was not found on PATH'), 'xpra') };
  if (xvfb === undefined)
    return { step: lacking(step('xpra', 'failed', 'xpra needs Xvfb, which was not found on PATH'), 'xvfb') };
  // The private directory of the Xauthority holds xpra's sockets, logs and config too, all removed together.
  const auth = await createXauthority().catch((error: Error) => error);
  if (auth instanceof Error) return { step: step('xpra', 'failed', `could not write an Xauthority: ${auth.message}`) };
  const { dir } = auth;
  // A config read after /etc/xpra's replaces its `start = /etc/X11/Xsession true` (a desktop session we do not want).
  await mkdir(join(dir, 'xpra'));
  await writeFile(join(dir, 'xpra', 'xpra.conf'), 'start = /bin/true\n');
  // xpra's Xvfb gets its own parent-death signal, so a killed xpra cannot leave it behind.
  const xvfbCommand = [
    ...(setpriv === undefined ? [] : [setpriv, '--pdeathsig', 'TERM']),
    xvfb,
    ...xvfbOptions(screen, auth.file),
  ];
  const args = [
    'start',
    `--displayfd=${DISPLAYFD}`,
    `--xvfb=${xvfbCommand.map(quote).join(' ')}`,
    `--socket-dirs=${dir}`,
    `--socket-dir=${dir}`,
    `--log-dir=${dir}`,
    ...QUIET,
  ];
  // xpra connects to its Xvfb with the cookie of XAUTHORITY (and adds one of its own there, which Xvfb never reads).
  const overlay = { XAUTHORITY: auth.file, XDG_RUNTIME_DIR: dir, XDG_CONFIG_DIRS: dir, HOME: dir };
  const server = await launch(
    probe,
    reaped(dir, [xpra, ...args], setpriv, lifeline !== undefined),
    overlay,
    (stderr) => stderr.includes('xpra is ready'),
    lifeline,
  );
  if ('error' in server) {
    await rm(dir, { recursive: true, force: true });
    return { step: step('xpra', 'failed', `${xpra} did not become ready: ${server.error}`, server.output) };
  }
  const { name, child } = server;
  // The reaper's first child is xpra (a lifeline's watcher comes after).
  const xpraPid = (await children(child.pid!))[0] ?? child.pid!;
  const xvfbPid = (await children(xpraPid, 'Xvfb'))[0];
  const stop = async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await child;
    }
    if (xvfbPid !== undefined) await removeServerFiles(name, xvfbPid);
    await rm(dir, { recursive: true, force: true });
  };
  const named = await nameDisplay(auth, name).catch((error: Error) => error);
  if (named instanceof Error) {
    await stop();
    return { step: step('xpra', 'failed', `could not write the Xauthority of ${name}: ${named.message}`) };
  }
  return {
    step: step(
      'xpra',
      'ok',
      `started ${xpra} on ${name} (screen ${screen}, pid ${xpraPid}, its Xvfb pid ${xvfbPid ?? 'unknown'})`,
    ),
    display: { name, source: 'xpra', pid: xpraPid, xauthority: auth.file, stop },
  };
}

function quote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, "'\\''")}'`;
}
