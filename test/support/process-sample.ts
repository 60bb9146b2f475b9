// What a process and an X server hold at one moment: resident memory, open file descriptors, X resources per
// client (xrestop), and the files under a folder; read for the soak test's samples.
import { readdirSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { execa } from 'execa';

// Resident set size of `pid` in kB (VmRSS of /proc/<pid>/status); undefined once it is gone.
export function rssKb(pid: number): number | undefined {
  try {
    const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match === null ? undefined : Number(match[1]);
  } catch {
    return undefined;
  }
}

// Open file descriptors of `pid`, by what they point at ("socket", "pipe", "anon_inode:[eventfd]", a path...).
export function openFds(pid: number): string[] {
  const found: string[] = [];
  let entries: string[];
  try {
    entries = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return found;
  }
  for (const fd of entries) {
    try {
      // a socket or pipe reads "socket:[inode]": the kind is what a leak report needs, not the inode
      found.push(readlinkSync(`/proc/${pid}/fd/${fd}`).replace(/:\[\d+\]$/, ''));
    } catch {
      // closed between the listing and the read: not open any more
    }
  }
  return found;
}

// X resources one client holds, as xrestop counts them.
export interface XClient {
  name: string;
  windows: number;
  pixmaps: number;
  gcs: number;
  pictures: number;
  // everything else xrestop counts: fonts, glyphsets, colormaps, passive grabs, cursors, unknowns
  other: number;
  pixmapBytes: number;
  totalBytes: number;
}

const OTHER_FIELDS = ['fonts', 'glyphsets', 'colormaps', 'passive grabs', 'cursors', 'unknowns'];

// The X server's clients and their resources (xrestop in batch mode, one pass), leaving out xrestop itself.
export async function xResources(env: Record<string, string>): Promise<XClient[]> {
  const { stdout } = await execa('xrestop', ['-b', '-m', '1'], { env, timeout: 10_000 });
  const clients: XClient[] = [];
  for (const block of stdout.split(/^(?=\d+ - )/m)) {
    const name = /^\d+ - (.*?) \( PID:/.exec(block)?.[1];
    if (name === undefined || name === 'xrestop') continue;
    const field = (label: string) => Number(new RegExp(`^\\s*${label}\\s*: ~?(\\d+)`, 'm').exec(block)?.[1] ?? 0);
    clients.push({
      name,
      windows: field('windows'),
      pixmaps: field('pixmaps'),
      gcs: field('GCs'),
      pictures: field('pictures'),
      other: OTHER_FIELDS.reduce((sum, label) => sum + field(label), 0),
      pixmapBytes: field('pixmap bytes'),
      totalBytes: field('total bytes'),
    });
  }
  return clients;
}

// Every file and folder under `root`, as paths relative to it, sorted; [] if `root` is gone.
export function filesUnder(root: string): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    let entries: string[];
    try {
      entries = readdirSync(dir);
    } catch {
      return;
    }
    for (const entry of entries) {
      const path = join(dir, entry);
      found.push(relative(root, path));
      try {
        if (statSync(path).isDirectory()) walk(path);
      } catch {
        // removed while walking
      }
    }
  };
  walk(root);
  return found.sort();
}
