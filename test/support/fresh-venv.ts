// What a user of `pip install glstream` has: a fresh virtual environment away from the repository, whose programs
// run with a PATH that holds no Node.js and an environment that holds nothing of the test's.
import { mkdirSync, readdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import type { OtherVenv } from './jupyter-server.js';

// Left off PATH: Node.js under both its names, and the package managers that come with it.
const NODE_PROGRAMS = new Set(['node', 'nodejs', 'npm', 'npx', 'corepack']);

// A folder of links to every program of /usr/bin and /bin but Node.js's, for a PATH of the system without Node.js.
function programsWithoutNode(dir: string): string {
  mkdirSync(dir);
  const linked = new Set<string>();
  for (const source of ['/usr/bin', '/bin'])
    for (const name of readdirSync(source)) {
      if (NODE_PROGRAMS.has(name) || linked.has(name)) continue;
      linked.add(name);
      symlinkSync(join(source, name), join(dir, name));
    }
  return dir;
}

// Create `dir`/venv with the system's python3; Jupyter's and IPython's own folders live in `dir` too, so nothing of
// the user's or the repository's set-up is read.
export async function freshVenv(dir: string): Promise<OtherVenv> {
  await execa('python3', ['-m', 'venv', join(dir, 'venv')]);
  const bin = join(dir, 'venv', 'bin');
  const env = {
    PATH: `${bin}:${programsWithoutNode(join(dir, 'programs'))}`,
    HOME: process.env['HOME'] ?? dir,
    LANG: 'C.UTF-8',
    PYTHONNOUSERSITE: '1',
    PIP_DISABLE_PIP_VERSION_CHECK: '1',
    JUPYTER_CONFIG_DIR: join(dir, 'jupyter-config'),
    JUPYTER_DATA_DIR: join(dir, 'jupyter-data'),
    JUPYTER_RUNTIME_DIR: join(dir, 'jupyter-runtime'),
    IPYTHONDIR: join(dir, 'ipython'),
  };
  return { bin, env };
}

// Run `command` (a program of the venv, or one on its PATH) in `cwd` with the venv's environment only.
export function inVenv(venv: OtherVenv, cwd: string, command: string, args: string[]) {
  return execa(command, args, { cwd, env: venv.env, extendEnv: false, reject: false, all: true });
}
