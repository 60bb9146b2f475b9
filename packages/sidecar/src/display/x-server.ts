// Launch an X server that reports its display number on fd 3 (-displayfd), under a parent-death signal.
import type { Backend } from '@glstream/protocol';
import { execa } from 'execa';
import { find, type Probe } from './probe.js';

// The display GL renders on, how it was obtained, the Xauthority file its clients need (null for a display we
// inherited: its clients already have what they need), and how to let go of it.
export interface Display {
  name: string;
  source: 'existing' | Backend;
  pid: number | null;
  xauthority: string | null;
  stop(): Promise<void>;
}

// The file descriptor the server writes its display number to.
export const DISPLAYFD = 3;

type Launched = ReturnType<typeof spawn>;

// Start `command`; resolve with the display once it wrote its number and `ready(stderr)` holds, else with
// an error and its stderr. With `lifeline` (an fd of this process), the command gets it as its fd 4 (the reaper's
// LIFELINE_FD, after the display number's 3).
export async function launch(
  probe: Probe,
  command: string[],
  overlay: Record<string, string>,
  ready = (_stderr: string) => true,
  lifeline?: number,
): Promise<{ name: string; child: Launched } | { error: string; output: string }> {
  const setpriv = await find(probe, 'setpriv');
  // With setpriv the server gets SIGTERM when the sidecar dies, even by SIGKILL, and cleans up after itself; with
  // a lifeline it lives on until the lifeline ends instead (reaper.ts), so a restarted sidecar can use it again.
  const [file, ...args] =
    setpriv === undefined || lifeline !== undefined ? command : [setpriv, '--pdeathsig', 'TERM', ...command];
  const child = spawn(file!, args, { ...probe.env, ...overlay }, lifeline);
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-20_000);
  });
  try {
    return { name: await readiness(child, probe.readyTimeoutMs, () => ready(stderr)), child };
  } catch (error) {
    killGroup(child.pid);
    await child;
    return { error: (error as Error).message, output: stderr };
  }
}

function spawn(file: string, args: string[], env: NodeJS.ProcessEnv, lifeline: number | undefined) {
  const stdio = ['ignore', 'ignore', 'pipe', 'pipe'] as const;
  return execa(file, args, {
    env,
    extendEnv: false,
    // execa hands a number on to the child as that fd, but types one only for stdin, stdout and stderr.
    stdio: lifeline === undefined ? stdio : ([...stdio, lifeline] as unknown as typeof stdio),
    detached: true,
    reject: false,
    forceKillAfterDelay: 5_000,
    buffer: false,
  });
}

function readiness(child: Launched, timeoutMs: number, ready: () => boolean): Promise<string> {
  return new Promise((resolve, reject) => {
    let number = '';
    const timer = setTimeout(() => reject(new Error(`not ready after ${timeoutMs} ms`)), timeoutMs);
    const check = () => {
      if (!number.includes('\n') || !ready()) return;
      clearTimeout(timer);
      resolve(`:${number.trim()}`);
    };
    child.stdio[DISPLAYFD]!.on('data', (chunk: Buffer) => {
      number += chunk.toString();
      check();
    });
    child.stderr.on('data', check);
    child.then((result) => {
      clearTimeout(timer);
      reject(new Error(`it exited with ${result.exitCode ?? result.signal} before it was ready`));
    }, reject);
  });
}

// SIGKILL a server's whole process group (it was started detached, as the group's leader).
export function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // The group is already gone.
  }
}
