// Step 3 with backend 'xpra': an xpra server and its Xvfb, torn down together even when the sidecar is killed.
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launch, DISPLAYFD, type Display } from './x-server.js';
import { find, type Probe } from './probe.js';
import { removeServerFiles } from './server-files.js';
import { lacking } from './install-hints.js';
import { step, type Step } from './steps.js';
import { xvfbOptions } from './xvfb.js';

// A reaper shell: on SIGTERM (the sidecar's parent-death signal) it stops xpra, waits for it, then removes
// xpra's directory.
const REAPER = [
  'dir=$1; shift',
  'trap \'kill -TERM "$pid" 2>/dev/null\' TERM HUP INT',
  '"$@" & pid=$!',
  'wait "$pid"; wait "$pid"',
  'rm -rf "$dir"',
].join('; ');

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

// Start `xpra start` with its own Xvfb at `screen`; ready once xpra logs "xpra is ready".
export async function startXpra(probe: Probe, screen: string): Promise<{ step: Step; display?: Display }> {
  const [xpra, xvfb, setpriv] = await Promise.all([find(probe, 'xpra'), find(probe, 'Xvfb'), find(probe, 'setpriv')]);
  if (xpra === undefined) return { step: lacking(step('xpra', 'failed', 'xpra was not found on PATH'), 'xpra') };
  if (xvfb === undefined)
    return { step: lacking(step('xpra', 'failed', 'xpra needs Xvfb, which was not found on PATH'), 'xvfb') };
  const dir = await mkdtemp(join(tmpdir(), 'glstream-xpra-'));
  // A config read after /etc/xpra's replaces its `start = /etc/X11/Xsession true` (a desktop session we do not want).
  await mkdir(join(dir, 'xpra'));
  await writeFile(join(dir, 'xpra', 'xpra.conf'), 'start = /bin/true\n');
  // xpra's Xvfb gets its own parent-death signal, so a killed xpra cannot leave it behind.
  const xvfbCommand = [
    ...(setpriv === undefined ? [] : [setpriv, '--pdeathsig', 'TERM']),
    xvfb,
    ...xvfbOptions(screen),
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
  const overlay = { XAUTHORITY: join(dir, 'Xauthority'), XDG_RUNTIME_DIR: dir, XDG_CONFIG_DIRS: dir, HOME: dir };
  const server = await launch(
    probe,
    ['/bin/sh', '-c', REAPER, 'glstream-xpra', dir, xpra, ...args],
    overlay,
    (stderr) => stderr.includes('xpra is ready'),
  );
  if ('error' in server) {
    await rm(dir, { recursive: true, force: true });
    return { step: step('xpra', 'failed', `${xpra} did not become ready: ${server.error}`, server.output) };
  }
  const { name, child } = server;
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
  return {
    step: step(
      'xpra',
      'ok',
      `started ${xpra} on ${name} (screen ${screen}, pid ${xpraPid}, its Xvfb pid ${xvfbPid ?? 'unknown'})`,
    ),
    display: { name, source: 'xpra', pid: xpraPid, stop },
  };
}

// The pids of a process' children (Linux) whose command line contains `named`.
export async function children(pid: number, named = ''): Promise<number[]> {
  const text = await readFile(`/proc/${pid}/task/${pid}/children`, 'utf8').catch(() => '');
  const pids = text
    .split(' ')
    .filter((word) => word.trim() !== '')
    .map(Number);
  const commands = await Promise.all(pids.map((child) => readFile(`/proc/${child}/cmdline`, 'utf8').catch(() => '')));
  return pids.filter((_, index) => commands[index]!.includes(named));
}

function quote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, "'\\''")}'`;
}
