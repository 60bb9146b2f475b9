// A real JupyterHub for the tests: the hub from the project's venv, configurable-http-proxy from node_modules, the
// default LocalProcessSpawner (each user's server runs as that local user) and the DummyAuthenticator with a
// password, all on 127.0.0.1.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa, type ResultPromise } from 'execa';
import { freePort, VENV_BIN } from './jupyter-server.js';
import { alive } from './proc.js';
import { waitFor } from './wait.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const NODE_BIN = `${ROOT}node_modules/.bin`;

// What the hub is told: who may log in, their password, and what their servers get in their environment.
export interface HubOptions {
  users: string[];
  password: string;
  environment: Record<string, string>;
}

// A running hub: its public URL, its process, its log, and how to stop it with every server it spawned; stop()
// answers what it had to kill itself because the hub left it running (its proxy).
export interface Hub {
  url: string;
  process: ResultPromise;
  log(): string;
  stop(): Promise<string[]>;
}

// jupyterhub_config.py: a Python file; JSON strings, lists and objects of strings are Python literals too.
function config(options: HubOptions, dir: string, ports: { public: number; hub: number; api: number }): string {
  const json = JSON.stringify;
  return [
    'c = get_config()  # noqa',
    `c.JupyterHub.bind_url = ${json(`http://127.0.0.1:${ports.public}`)}`,
    "c.JupyterHub.hub_ip = '127.0.0.1'",
    `c.JupyterHub.hub_port = ${ports.hub}`,
    `c.ConfigurableHTTPProxy.api_url = ${json(`http://127.0.0.1:${ports.api}`)}`,
    `c.ConfigurableHTTPProxy.command = ${json([join(NODE_BIN, 'configurable-http-proxy')])}`,
    `c.ConfigurableHTTPProxy.pid_file = ${json(join(dir, 'proxy.pid'))}`,
    `c.JupyterHub.db_url = ${json(`sqlite:///${join(dir, 'jupyterhub.sqlite')}`)}`,
    `c.JupyterHub.cookie_secret_file = ${json(join(dir, 'cookie_secret'))}`,
    "c.JupyterHub.authenticator_class = 'dummy'",
    `c.DummyAuthenticator.password = ${json(options.password)}`,
    `c.Authenticator.allowed_users = set(${json(options.users)})`,
    `c.Spawner.cmd = ${json([join(VENV_BIN, 'jupyterhub-singleuser')])}`,
    "c.Spawner.default_url = '/lab'",
    "c.Spawner.notebook_dir = '~'",
    `c.Spawner.environment = ${json(options.environment)}`,
    // three servers, kernels and renderers starting at once on two cores
    'c.Spawner.start_timeout = 180',
    'c.Spawner.http_timeout = 180',
  ].join('\n');
}

// Start the hub; resolves once its API answers.
export async function startHub(options: HubOptions, timeoutMs = 60_000): Promise<Hub> {
  const dir = mkdtempSync(join(tmpdir(), 'glstream-hub-'));
  const ports = { public: await freePort(), hub: await freePort(), api: await freePort() };
  writeFileSync(join(dir, 'jupyterhub_config.py'), config(options, dir, ports));
  let log = '';
  // PATH reaches the spawned servers (the spawner keeps it): the venv, configurable-http-proxy, Node.js and Xvfb.
  // No DISPLAY: each user's renderer starts a display of its own.
  const { DISPLAY: _, ...inherited } = process.env;
  const env = { ...inherited, PATH: `${VENV_BIN}:${NODE_BIN}:${process.env['PATH']}` };
  const child = execa(`${VENV_BIN}/jupyterhub`, ['-f', join(dir, 'jupyterhub_config.py')], {
    cwd: dir,
    env,
    extendEnv: false,
    reject: false,
    all: true,
    buffer: false,
  });
  child.all!.on('data', (chunk: Buffer) => {
    log += chunk.toString();
  });
  const url = `http://127.0.0.1:${ports.public}`;
  const proxyPid = () => Number(readFileSync(join(dir, 'proxy.pid'), 'utf8'));
  const stop = async () => {
    const proxy = existsSync(join(dir, 'proxy.pid')) ? proxyPid() : undefined;
    // On SIGTERM the hub stops every server it spawned, then its proxy (execa kills it 5 s later if it hangs).
    child.kill('SIGTERM');
    await child;
    const left = proxy !== undefined && alive(proxy) ? [`configurable-http-proxy (pid ${proxy})`] : [];
    if (proxy !== undefined && alive(proxy)) process.kill(proxy, 'SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    return left;
  };
  try {
    await waitFor(
      async () => {
        if (child.exitCode !== null) throw new Error('jupyterhub exited early');
        return fetch(`${url}/hub/api/`).then(
          (response) => response.ok,
          () => false,
        );
      },
      timeoutMs,
      'JupyterHub to answer',
    );
  } catch (error) {
    await stop();
    throw new Error(`JupyterHub did not start; its log:\n${log}`, { cause: error });
  }
  return { url, process: child, log: () => log, stop };
}
