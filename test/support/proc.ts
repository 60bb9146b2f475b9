// What /proc says about a process: whether it runs, its parent, its CPU time, its command line, its descendants.
import { readdirSync, readFileSync } from 'node:fs';

// The fields of /proc/<pid>/stat the tests and benchmarks read.
export interface ProcStat {
  // R, S, D, Z...: Z is a zombie, ended but not yet reaped.
  state: string;
  ppid: number;
  // CPU time in user and in kernel mode, in clock ticks (1/100 s on Linux).
  utime: number;
  stime: number;
}

// Parse /proc/<pid>/stat, or undefined once the process is gone.
export function statOf(pid: number): ProcStat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The second field is the command name in parentheses, which may hold spaces and parentheses itself.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return { state: fields[0]!, ppid: Number(fields[1]), utime: Number(fields[11]), stime: Number(fields[12]) };
}

// Whether a process is still running (a zombie has ended: a container's init may never reap it).
export function alive(pid: number): boolean {
  const stat = statOf(pid);
  return stat !== undefined && stat.state !== 'Z';
}

// Parent pid of `pid`, or undefined if it is gone.
export function parentOf(pid: number): number | undefined {
  return statOf(pid)?.ppid;
}

// CPU time of a running process, user and kernel, in clock ticks.
export function cpuTicks(pid: number): number {
  const stat = statOf(pid);
  if (stat === undefined) throw new Error(`process ${pid} is gone`);
  return stat.utime + stat.stime;
}

// A process' arguments, or none once it is gone.
export function cmdline(pid: number): string[] {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').slice(0, -1);
  } catch {
    return [];
  }
}

// Pids whose command line contains every one of `words` and that descend from `ancestor`.
export function descendantsRunning(ancestor: number, words: string[]): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    const args = cmdline(pid);
    if (!words.every((word) => args.includes(word))) continue;
    for (let parent = parentOf(pid); parent !== undefined && parent > 1; parent = parentOf(parent)) {
      if (parent === ancestor) {
        found.push(pid);
        break;
      }
    }
  }
  return found;
}
