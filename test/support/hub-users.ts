// Local users for the JupyterHub test: created with a home of their own, removed with it, and the processes that
// run as them found (the test runs as root, as CI does).
import { chmodSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { execa } from 'execa';

// A local user: name, uid and home.
export interface LocalUser {
  name: string;
  uid: number;
  home: string;
}

// Create `name` with a home (removing a user of that name left by an earlier run first).
export async function createUser(name: string): Promise<LocalUser> {
  await removeUser(name);
  await execa('useradd', ['--create-home', '--shell', '/bin/bash', name]);
  const [uid, home] = (await execa('getent', ['passwd', name])).stdout
    .split(':')
    .filter((_, index) => [2, 5].includes(index));
  return { name, uid: Number(uid), home: home! };
}

// Remove `name` and its home, if it exists; its processes are killed first (userdel refuses while they run).
export async function removeUser(name: string): Promise<void> {
  const found = await execa('getent', ['passwd', name], { reject: false });
  if (found.exitCode !== 0) return;
  for (const pid of processesOf(Number(found.stdout.split(':')[2]))) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // It ended meanwhile.
    }
  }
  await execa('userdel', ['--remove', '--force', name], { reject: false });
}

// Pids of the processes running as `uid` (real uid).
export function processesOf(uid: number): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    try {
      const line = /^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (line !== null && Number(line[1]) === uid) found.push(pid);
    } catch {
      // It ended while we looked.
    }
  }
  return found;
}

// Run `command` as `user` (setpriv, with its groups, and a login's environment plus `env`), never rejecting: its
// exit code and output.
export async function runAs(
  user: LocalUser,
  command: string[],
  env: Record<string, string> = {},
): Promise<{ exitCode: number | undefined; output: string }> {
  const assignments = Object.entries(env).map(([name, value]) => `${name}=${value}`);
  const as = [`--reuid=${user.name}`, `--regid=${user.name}`, '--init-groups', '--reset-env'];
  const result = await execa('setpriv', [...as, 'env', ...assignments, ...command], {
    reject: false,
    all: true,
    timeout: 30_000,
  });
  return { exitCode: result.exitCode, output: result.all ?? '' };
}

// Let every user traverse the directories above `paths` (resolving links: the venv's interpreter may live under
// root's 0700 home, as pyenv puts it); returns what undoes it. Only search permission is added, never reading.
export function letUsersReach(paths: string[]): () => void {
  const changed = new Map<string, number>();
  for (const path of paths) {
    for (let dir = dirname(realpathSync(path)); dir !== '/'; dir = dirname(dir)) {
      const { mode } = statSync(dir);
      if ((mode & 0o001) === 0 && !changed.has(dir)) {
        changed.set(dir, mode & 0o7777);
        chmodSync(dir, (mode & 0o7777) | 0o001);
      }
    }
  }
  return () => {
    for (const [dir, mode] of changed) chmodSync(dir, mode);
  };
}
