// CPU time of the processes a benchmark runs, from /proc: percent of one core over a stretch of time.
import { readFileSync } from 'node:fs';
import { cpuTicks } from '../test/support/proc.js';

// Clock ticks (1/100 s) per named process, read at one moment; a process that is gone is left out.
export type CpuSnapshot = Record<string, number>;

// Ticks of each named process (all its threads); with `mainThreadOf`, also `<name>_main`: that process' main
// thread alone (the sidecar's JavaScript: grabs, swizzles, sends; sharp encodes on other threads).
export function cpuSnapshot(pids: Record<string, number | null>, mainThreadOf?: string): CpuSnapshot {
  const found: CpuSnapshot = {};
  for (const [name, pid] of Object.entries(pids)) {
    if (pid === null) continue;
    try {
      found[name] = cpuTicks(pid);
      if (name === mainThreadOf) found[`${name}_main`] = threadTicks(pid, pid);
    } catch {
      // gone
    }
  }
  return found;
}

// Percent of one core `name` used between two snapshots `seconds` apart; null if it was not in both.
export function cpuPercent(before: CpuSnapshot, after: CpuSnapshot, name: string, seconds: number): number | null {
  const [a, b] = [before[name], after[name]];
  return a === undefined || b === undefined ? null : Math.round(((b - a) * 10) / seconds) / 10;
}

function threadTicks(pid: number, tid: number): number {
  const text = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
  // The second field is the command name in parentheses, which may hold spaces and parentheses itself.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}
