// Find an executable on PATH without spawning a shell.
import { access, constants } from 'node:fs/promises';
import { delimiter, join } from 'node:path';

// Resolve `command` against PATH; undefined when it is not there.
export async function which(command: string, path = process.env['PATH'] ?? ''): Promise<string | undefined> {
  for (const dir of path.split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, command);
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not there, or not executable: try the next directory.
    }
  }
  return undefined;
}
