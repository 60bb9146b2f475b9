// Find processes by command line and parentage through /proc, to reach the sidecar a kernel started.
import { readdirSync, readFileSync } from 'node:fs';

// Parent pid of `pid`, or undefined if it is gone.
export function parentOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return undefined;
  }
}

// Pids whose command line contains every one of `words` and that descend from `ancestor`.
export function descendantsRunning(ancestor: number, words: string[]): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    let args: string[];
    try {
      args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    } catch {
      continue;
    }
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
