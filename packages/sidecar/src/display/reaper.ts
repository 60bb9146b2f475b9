import { readFile } from 'node:fs/promises';

// A shell between the sidecar and an X server: on SIGTERM (the sidecar's parent-death signal, or stop()) it stops
// the server, waits for it, then removes the server's private directory (its Xauthority, xpra's sockets), so even
// a killed sidecar leaves no cookie behind. It exits with the server's status; a signal only interrupts `wait`,
// so it waits again while the server lives. `command -p` finds rm whatever PATH the server was given.
// With a lifeline (fd LIFELINE_FD, the read end of a pipe whose write end the kernel holds), a watcher also stops
// the server when the pipe reaches EOF: the kernel died or let go of the display. `read` is a shell builtin, so
// the watcher is one process, ended with the reaper.
function reaper(lifeline: boolean): string {
  return [
    'dir=$1; shift',
    'trap \'kill -TERM "$pid" 2>/dev/null\' TERM HUP INT',
    '"$@" & pid=$!',
    ...(lifeline
      ? [`{ while read -r _; do :; done; kill -TERM "$pid" 2>/dev/null; } <&${LIFELINE_FD} & watch=$!`]
      : []),
    'while kill -0 "$pid" 2>/dev/null; do wait "$pid"; status=$?; done',
    ...(lifeline ? ['kill "$watch" 2>/dev/null'] : []),
    'command -p rm -rf "$dir"',
    'exit "$status"',
  ].join('; ');
}

// The reaper's fd of the lifeline.
export const LIFELINE_FD = 4;

// `command` run by the reaper of `dir`; with setpriv, the server also gets SIGTERM if the reaper itself is killed.
// With `lifeline`, the reaper watches fd LIFELINE_FD (see reaper()).
export function reaped(dir: string, command: string[], setpriv: string | undefined, lifeline = false): string[] {
  const server = setpriv === undefined ? command : [setpriv, '--pdeathsig', 'TERM', ...command];
  return ['/bin/sh', '-c', reaper(lifeline), 'glstream-reaper', dir, ...server];
}

// The pids of a process' children (Linux) whose command line contains `named`: the server under its reaper.
export async function children(pid: number, named = ''): Promise<number[]> {
  const text = await readFile(`/proc/${pid}/task/${pid}/children`, 'utf8').catch(() => '');
  const pids = text
    .split(' ')
    .filter((word) => word.trim() !== '')
    .map(Number);
  const commands = await Promise.all(pids.map((child) => readFile(`/proc/${child}/cmdline`, 'utf8').catch(() => '')));
  return pids.filter((_, index) => commands[index]!.includes(named));
}
