// The lock file and socket an X server leaves behind when it cannot clean up after itself.
import { readFile, rm } from 'node:fs/promises';

// Paths of the lock file and the UNIX socket of display `:N`.
export function serverFiles(name: string): { lock: string; socket: string } {
  const number = name.replace(/^:/, '').split('.')[0];
  return { lock: `/tmp/.X${number}-lock`, socket: `/tmp/.X11-unix/X${number}` };
}

// Remove the display's lock and socket, but only if the lock names the server we started.
export async function removeStaleServerFiles(name: string, pid: number): Promise<void> {
  const { lock, socket } = serverFiles(name);
  let owner: number;
  try {
    owner = Number.parseInt((await readFile(lock, 'utf8')).trim(), 10);
  } catch {
    return;
  }
  if (owner !== pid) return;
  await rm(lock, { force: true });
  await rm(socket, { force: true });
}
