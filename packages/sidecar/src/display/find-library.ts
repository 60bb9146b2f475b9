// Find shared libraries the way Anatomist's headless mode does: LD_LIBRARY_PATH first, then the ldconfig cache.
import { access } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { find, run, type Probe } from './probe.js';

// Directories to search: LD_LIBRARY_PATH's, then those of every library `ldconfig -p` lists.
export async function libraryDirs(probe: Probe): Promise<string[]> {
  const fromEnv = (probe.env['LD_LIBRARY_PATH'] ?? '').split(':').filter((dir) => dir !== '');
  const ldconfig = await find(probe, 'ldconfig', '/sbin:/usr/sbin');
  const cache = ldconfig === undefined ? '' : (await run(probe, ldconfig, ['-p'])).stdout;
  const fromCache = [...cache.matchAll(/=> (\/\S+)$/gm)].map((match) => dirname(match[1]!));
  return [...new Set([...fromEnv, ...fromCache])];
}

// The first `dir/name` that exists, for each dir in order and each of `names`.
export async function firstExisting(dirs: string[], names: string[]): Promise<string | undefined> {
  for (const dir of dirs) {
    for (const name of names) {
      const path = join(dir, name);
      if (
        await access(path).then(
          () => true,
          () => false,
        )
      )
        return path;
    }
  }
  return undefined;
}
