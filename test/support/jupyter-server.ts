// Start a real Jupyter server with JupyterLab (or Notebook 7) from the project's venv, on a free port, with a token.
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { execa, type ResultPromise } from 'execa';
import { waitFor } from './wait.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const VENV_BIN = `${ROOT}.venv/bin`;

// A running Jupyter server.
export interface JupyterServer {
  url: string;
  token: string;
  process: ResultPromise;
  log(): string;
  stop(): Promise<void>;
}

// Ask the kernel for a free TCP port on loopback.
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

// The front end the server is started for: `jupyter lab` or `jupyter notebook` (Notebook 7, /notebooks/<path>).
export type JupyterApp = 'lab' | 'notebook';

// Another Python environment than the project's venv: its bin/ folder, and the whole environment its programs get.
export interface OtherVenv {
  bin: string;
  env: Record<string, string>;
}

// Start `jupyter <app>` serving `rootDir`, under `baseUrl` (like JupyterHub's /user/<name>/), from the project's
// venv or from `venv`; resolves once its API answers.
export async function startJupyter(
  rootDir: string,
  timeoutMs = 60_000,
  baseUrl = '/',
  app: JupyterApp = 'lab',
  venv?: OtherVenv,
): Promise<JupyterServer> {
  const port = await freePort();
  const token = randomBytes(16).toString('hex');
  const args = [
    app,
    '--no-browser',
    '--ip=127.0.0.1',
    `--port=${port}`,
    `--ServerApp.token=${token}`,
    `--ServerApp.root_dir=${rootDir}`,
    '--ServerApp.port_retries=0',
    `--ServerApp.base_url=${baseUrl}`,
  ];
  if (process.getuid?.() === 0) args.push('--allow-root');
  let log = '';
  const child = execa(`${venv?.bin ?? VENV_BIN}/jupyter`, args, {
    env: venv?.env ?? {
      PATH: `${VENV_BIN}:${process.env['PATH']}`,
      JUPYTER_CONFIG_DIR: `${rootDir}/.jupyter-config`,
      JUPYTER_RUNTIME_DIR: `${rootDir}/.jupyter-runtime`,
    },
    extendEnv: venv === undefined,
    reject: false,
    all: true,
    buffer: false,
  });
  child.all!.on('data', (chunk: Buffer) => {
    log += chunk.toString();
  });
  const url = `http://127.0.0.1:${port}${baseUrl.replace(/\/$/, '')}`;
  try {
    await waitFor(
      async () => {
        if (child.exitCode !== null) throw new Error(`jupyter ${app} exited early`);
        return fetch(`${url}/api/status?token=${token}`).then(
          (response) => response.ok,
          () => false,
        );
      },
      timeoutMs,
      `jupyter ${app} to answer`,
    );
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(`jupyter ${app} did not start; its log:\n${log}`, { cause: error });
  }
  return {
    url,
    token,
    process: child,
    log: () => log,
    stop: async () => {
      child.kill('SIGTERM');
      await child;
    },
  };
}
