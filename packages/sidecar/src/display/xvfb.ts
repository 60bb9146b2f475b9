// Start Xvfb on a display number the server picks itself (-displayfd), so two kernels never race.
import { execa } from 'execa';
import { DisplayError } from '../errors.js';
import { which } from './which.js';
import { removeServerFiles } from './server-files.js';

// A virtual X server this process started and owns.
export interface VirtualDisplay {
  name: string;
  pid: number;
  stop(): Promise<void>;
}

export interface XvfbOptions {
  width?: number;
  height?: number;
  depth?: number;
  timeoutMs?: number;
}

const DISPLAYFD = 3;

// Start Xvfb and resolve once it has written its display number (it does so when ready).
export async function startXvfb(options: XvfbOptions = {}): Promise<VirtualDisplay> {
  const { width = 1920, height = 1080, depth = 24, timeoutMs = 20_000 } = options;
  const xvfb = await which('Xvfb');
  if (xvfb === undefined) {
    throw new DisplayError('Xvfb was not found on PATH, and no working DISPLAY is set', {
      hint: 'install the virtual X server: apt-get install xvfb (Debian/Ubuntu), or conda install -c conda-forge xorg-x11-server-xvfb-cos7-x86_64',
    });
  }
  const args = [xvfb, `-displayfd`, String(DISPLAYFD), '-screen', '0', `${width}x${height}x${depth}`, '-nolisten', 'tcp', '-noreset', '+extension', 'GLX'];
  const setpriv = await which('setpriv');
  // With setpriv, Xvfb gets SIGTERM when the sidecar dies, even by SIGKILL, and cleans its lock file up.
  const [file, ...rest] = setpriv === undefined ? args : [setpriv, '--pdeathsig', 'TERM', ...args];
  const child = spawn(file!, rest);
  try {
    const name = await readDisplayNumber(child, timeoutMs);
    const pid = child.pid!;
    return { name, pid, stop: () => stopServer(child, name, pid) };
  } catch (error) {
    child.kill('SIGKILL');
    const result = await child;
    throw new DisplayError(`Xvfb did not become ready: ${(error as Error).message}\n${String(result.stderr).trim()}`, {
      cause: error,
      hint: 'check that Xvfb runs by hand (Xvfb -displayfd 1); xauth and x11-utils must be installed',
    });
  }
}

function spawn(file: string, args: string[]) {
  return execa(file, args, { stdio: ['ignore', 'ignore', 'pipe', 'pipe'], detached: true, reject: false, forceKillAfterDelay: 5_000, buffer: { stderr: true, fd3: false } });
}

type XServer = ReturnType<typeof spawn>;

function readDisplayNumber(child: XServer, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const fd = child.stdio[DISPLAYFD]!;
    const timer = setTimeout(() => reject(new Error(`no display number after ${timeoutMs} ms`)), timeoutMs);
    fd.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      if (text.includes('\n')) {
        clearTimeout(timer);
        resolve(`:${text.trim()}`);
      }
    });
    child.then((result) => {
      clearTimeout(timer);
      reject(new Error(`Xvfb exited with ${result.exitCode ?? result.signal} before it was ready`));
    }, reject);
  });
}

async function stopServer(child: XServer, name: string, pid: number): Promise<void> {
  if (child.exitCode === null) {
    child.kill('SIGTERM');
    await child;
  }
  await removeServerFiles(name, pid);
}
