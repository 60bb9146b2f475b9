// The peer of glstream.show() for VTK: ipyvtklink, the same knot and off-screen window, dragged in Chromium through
// JupyterLab. It pins ipywidgets 7, so it runs in its own venv (bench/.peers/ipyvtklink, made by `make bench`) as
// a kernel of a Jupyter server of its own that loads ipywidgets 7's widget manager, ipycanvas and ipyevents from
// that venv, on a display of its own (this process starts it, as run.ts does).
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { obtainDisplay } from '@glstream/sidecar';
import type { Browser } from 'playwright-core';
import { startJupyter } from '../test/support/jupyter-server.js';
import { PAGE_TAP } from './frame-tap.js';
import { type Drag, pointer, runUntil } from './page.js';
import { cpuPercent, cpuSnapshot } from './proc-cpu.js';

const VENV = fileURLToPath(new URL('.peers/ipyvtklink', import.meta.url));
const SETTLE_MS = 2_000;
// ipyvtklink keeps painting after the release while its kernel works off the events it queued: counted this long.
const AFTER_MS = 3_000;
const CANVAS = '.jp-OutputArea-output canvas';
const EXTENSIONS = ['@jupyter-widgets/jupyterlab-manager', 'ipycanvas', 'ipyevents'];

// What the drag gave, or why the peer was not measured.
export type PeerResult =
  | { error: string }
  | {
      moves: number;
      seconds: number;
      delivered_fps: number;
      frames_after_release: number;
      bytes_per_s: number;
      kernel_cpu_percent: number | null;
    };

// The JUPYTER_PATH folder: the peer's widget extensions (found before the project's own) and its kernel.
function jupyterPath(work: string): string {
  const path = join(work, '.peer-jupyter');
  for (const name of EXTENSIONS) {
    const link = join(path, 'labextensions', name);
    mkdirSync(join(link, '..'), { recursive: true });
    symlinkSync(join(VENV, 'share/jupyter/labextensions', name), link);
  }
  mkdirSync(join(path, 'kernels/ipyvtklink'), { recursive: true });
  // The status bar reads this name: test/support/notebook.ts waits for "Python 3 (ipykernel) | Idle".
  const spec = { argv: [join(VENV, 'bin/python'), '-m', 'ipykernel_launcher', '-f', '{connection_file}'] };
  writeFileSync(
    join(path, 'kernels/ipyvtklink/kernel.json'),
    JSON.stringify({ ...spec, display_name: 'Python 3 (ipykernel)', language: 'python' }),
  );
  return path;
}

// Drag ipyvtklink's view of the knot in `work` (where show.ts put the notebooks, knot and vtk_pipeline.py).
export async function measureIpyvtklink(browser: Browser, work: string, drag: Drag): Promise<PeerResult> {
  if (existsSync(`${VENV}.failed`)) return { error: `did not install: ${readFileSync(`${VENV}.failed`, 'utf8')}` };
  if (!existsSync(join(VENV, 'bin/python'))) return { error: 'not installed (make bench installs it)' };
  const env = { DISPLAY: process.env['DISPLAY'], JUPYTER_PATH: process.env['JUPYTER_PATH'] };
  const setup = await obtainDisplay();
  process.env['JUPYTER_PATH'] = jupyterPath(work);
  const server = await startJupyter(work);
  const page = await browser.newPage({ viewport: { width: 1800, height: 1100 }, deviceScaleFactor: 1 });
  try {
    await page.addInitScript(PAGE_TAP);
    await page.goto(`${server.url}/lab?token=${server.token}`);
    await runUntil(page, server.url, 'peer-ipyvtklink.ipynb', CANVAS);
    const printed = await page.locator('.jp-CodeCell').first().locator('.jp-OutputArea').innerText();
    const pids = JSON.parse(/PIDS=(.*)/.exec(printed)![1]!) as { kernel: number };
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    const count = async () => (await page.evaluate('[window.glsDraws, window.glsKernelBytes]')) as number[];
    const cpu0 = cpuSnapshot(pids);
    const [draws0, bytes0] = await count();
    const began = Date.now();
    const moves = await pointer(page, CANVAS, 'down', drag);
    const [draws1, bytes1] = await count();
    const seconds = (Date.now() - began) / 1000;
    const cpu1 = cpuSnapshot(pids);
    await pointer(page, CANVAS, 'up', drag);
    await new Promise((resolve) => setTimeout(resolve, AFTER_MS));
    const [draws2] = await count();
    return {
      moves,
      seconds: round(seconds),
      delivered_fps: round((draws1! - draws0!) / seconds),
      frames_after_release: draws2! - draws1!,
      bytes_per_s: Math.round((bytes1! - bytes0!) / seconds),
      kernel_cpu_percent: cpuPercent(cpu0, cpu1, 'kernel', seconds),
    };
  } finally {
    await page.close();
    await server.stop();
    await setup.display.stop();
    for (const [key, value] of Object.entries(env)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
