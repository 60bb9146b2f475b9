// The lock file and socket an X server leaves behind when it cannot clean up after itself.
import { readFile, rm } from 'node:fs/promises';

// Paths of the lock file and the UNIX socket of display `:N`.
export function serverFiles(name: string): { lock: string; socket: string } {
  const number = name.replace(/^:/, '').split('.')[0];
  return { lock: `/tmp/.X${number}-lock`, socket: `/tmp/.X11-unix/X${number}` };
}

// After the server we started as `pid` has exited: remove its socket, and its lock if the lock names it.
export async function removeServerFiles(name: string, pid: number): Promise<void> {
  const { lock, socket } = serverFiles(name);
  await rm(socket, { force: true });
  const owner = await readFile(lock, 'utf8').then(
    (text) => Number.parseInt(text.trim(), 10),
    () => undefined,
  );
  if (owner === pid) await rm(lock, { force: true });
}
