// End-to-end benchmark in Chromium through a real JupyterLab: glstream on each of its transports (direct
// websocket on loopback, the same through jupyter-server-proxy, the kernel's comm), then jupyter_rfb carrying
// pre-rendered frames of the same scene over its comm, each driven by the same scripted 10-second drag.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { launchChromium } from '../test/support/browser.js';
import { startJupyter } from '../test/support/jupyter-server.js';
import { runNotebook } from '../test/support/notebook.js';
import { waitFor } from '../test/support/wait.js';
import { table } from './table.js';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const DRAG_MS = 10_000;
const TRANSPORTS = ['loopback', 'proxy', 'comm'] as const;
const MOVE_INTERVAL_MS = 8;

// Open a notebook in a fresh workspace of its own, run all its cells, and return once `ready` appears.
async function runUntil(page: Page, url: string, name: string, ready: string): Promise<void> {
  await runNotebook(page, `${url}/lab/workspaces/${name.replace(/\W/g, '-')}/tree/${name}?reset`);
  await page.locator(ready).first().waitFor({ timeout: 180_000 });
  await page.locator(ready).first().scrollIntoViewIfNeeded();
}

// In-page pointer driver, kept as source text: the bundler's helpers would not exist in the page.
const POINTER_DRIVER = `(element, phase, ms, interval) => {
  const rect = element.getBoundingClientRect();
  const cx = rect.left + rect.width / 2;
  const cy = rect.top + rect.height / 2;
  const fire = (type, x, y, buttons) => element.dispatchEvent(new PointerEvent(type, {
    bubbles: true, cancelable: true, composed: true,
    pointerId: 1, pointerType: 'mouse', isPrimary: true, clientX: x, clientY: y, button: 0, buttons }));
  if (phase === 'up') {
    fire('pointerup', cx, cy, 0);
    return 0;
  }
  fire('pointerdown', cx, cy, 1);
  let moves = 0;
  const end = performance.now() + ms;
  return new Promise((resolve) => {
    const timer = setInterval(() => {
      moves += 1;
      fire('pointermove', cx + 200 * Math.sin(moves / 40), cy + 60 * Math.cos(moves / 55), 1);
      if (performance.now() >= end) {
        clearInterval(timer);
        resolve(moves);
      }
    }, interval);
  });
}`;

// Press on `selector` and drag for DRAG_MS with moves generated in the page every MOVE_INTERVAL_MS, the way a 120 Hz
// mouse feeds the main thread (driving each move over the DevTools protocol caps the rate at its round trip);
// or release it. Returns the moves made.
async function pointer(page: Page, selector: string, phase: 'down' | 'up'): Promise<number> {
  await page
    .locator(selector)
    .first()
    .evaluate((element) => {
      (window as unknown as Record<string, unknown>)['glstreamTarget'] = element;
    });
  return (await page.evaluate(
    `(${POINTER_DRIVER})(window.glstreamTarget, '${phase}', ${DRAG_MS}, ${MOVE_INTERVAL_MS})`,
  )) as number;
}

// A copy of glstream-drag.ipynb whose Viewer uses `transport` and whose knot has `segments` x `sides` x 2
// triangles (the default: 342 x 24 x 2 = 16416); returns its name.
function notebookFor(work: string, transport: string, segments = 342, sides = 24): string {
  const name = `glstream-drag-${transport}-${segments * sides * 2}.ipynb`;
  let text = readFileSync(join(work, 'glstream-drag.ipynb'), 'utf8');
  const edits: [string, string][] = [
    [
      'glstream.Viewer(width=1280, height=720)',
      `glstream.Viewer(width=1280, height=720, transport=\\"${transport}\\")`,
    ],
    ['trefoil()', `trefoil(${segments}, ${sides})`],
  ];
  for (const [from, to] of edits) {
    if (!text.includes(from)) throw new Error(`glstream-drag.ipynb no longer has ${from}`);
    text = text.replace(from, to);
  }
  writeFileSync(join(work, name), text);
  return name;
}

// Shut every kernel down, so that the next run has the machine to itself.
async function stopKernels(url: string, token: string): Promise<void> {
  const headers = { authorization: `token ${token}` };
  const kernels = (await (await fetch(`${url}/api/kernels`, { headers })).json()) as { id: string }[];
  await Promise.all(kernels.map(({ id }) => fetch(`${url}/api/kernels/${id}`, { method: 'DELETE', headers })));
}

async function benchGlstream(page: Page, url: string, notebook: string, transport: string) {
  const canvas = 'canvas.glstream-canvas';
  await runUntil(page, url, notebook, `${canvas}[data-still="true"][data-transport="${transport}"]`);
  const t0 = Number(/T0=([\d.]+)/.exec(await page.locator('.jp-OutputArea-output').first().innerText())![1]) * 1000;
  const firstPaint = await page.evaluate(() => (window as unknown as Record<string, number>)['glsFirstPaint']!);
  const framesBefore = Number(await page.locator(canvas).getAttribute('data-frames'));
  const started = Date.now();
  const moves = await pointer(page, canvas, 'down');
  const framesDuring = Number(await page.locator(canvas).getAttribute('data-frames')) - framesBefore;
  const seconds = (Date.now() - started) / 1000;
  const seqAtUp = Number(await page.locator(canvas).getAttribute('data-seq'));
  const upAt = await page.evaluate(() => performance.now());
  await pointer(page, canvas, 'up');
  const stillAt = await waitFor(
    () =>
      page.locator(canvas).evaluate((element, seq) => {
        const c = element as HTMLCanvasElement;
        return c.dataset['still'] === 'true' && Number(c.dataset['seq']) >= seq ? performance.now() : 0;
      }, seqAtUp),
    10_000,
    'the still after mouse-up',
  );
  await page.locator('.jp-CodeCell').nth(1).locator('.jp-InputArea-editor').click();
  await page.keyboard.press('Shift+Enter');
  const statsText = await waitFor(
    async () => {
      const text = await page
        .locator('.jp-CodeCell')
        .nth(1)
        .locator('.jp-OutputArea-output')
        .innerText()
        .catch(() => '');
      return text.trim();
    },
    30_000,
    'v.stats()',
  );
  // v.stats() prints a Python dict of numbers: its repr is JSON once the quotes are swapped.
  const stats = JSON.parse(statsText.replace(/'/g, '"')) as Record<string, number>;
  return {
    moves,
    delivered_fps: framesDuring / seconds,
    frames: framesDuring,
    first_frame_ms: firstPaint - t0,
    still_after_mouse_up_ms: stillAt - upAt,
    latency_ms_p50: stats['latency_ms_p50']!,
    latency_ms_p95: stats['latency_ms_p95']!,
    widget_stats: stats,
  };
}

async function benchRfb(page: Page, url: string) {
  const image = '.jp-OutputArea-output img[src^="blob:"]';
  await runUntil(page, url, 'rfb-drag.ipynb', image);
  const loads = () => page.evaluate(() => (window as unknown as Record<string, number>)['rfbLoads']!);
  const before = await loads();
  const started = Date.now();
  const moves = await pointer(page, image, 'down');
  const during = (await loads()) - before;
  const seconds = (Date.now() - started) / 1000;
  await pointer(page, image, 'up');
  return { moves, delivered_fps: during / seconds, frames: during };
}

// Counters the page keeps across navigations: the first glstream paint, and jupyter_rfb's image loads.
function instrument(): void {
  const w = window as unknown as Record<string, number>;
  w['rfbLoads'] = 0;
  document.addEventListener(
    'load',
    (event) => {
      const target = event.target as HTMLElement;
      if (target instanceof HTMLImageElement && target.src.startsWith('blob:')) w['rfbLoads']! += 1;
    },
    true,
  );
  document.addEventListener('DOMContentLoaded', () => {
    new MutationObserver(() => {
      const canvas = document.querySelector<HTMLCanvasElement>('canvas.glstream-canvas');
      if (canvas?.dataset['frames'] === '1') w['glsFirstPaint'] ??= Date.now();
    }).observe(document.body, { subtree: true, attributes: true, attributeFilter: ['data-frames'] });
  });
}

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'glstream-bench-'));
  cpSync(join(HERE, 'notebooks'), work, { recursive: true });
  const server = await startJupyter(work);
  const browser = await launchChromium();
  const page = await browser.newPage({ viewport: { width: 1800, height: 1100 }, deviceScaleFactor: 1 });
  try {
    await page.addInitScript(instrument);
    await page.goto(`${server.url}/lab?token=${server.token}`);
    const glstream: Record<string, Awaited<ReturnType<typeof benchGlstream>>> = {};
    for (const transport of TRANSPORTS) {
      glstream[transport] = await benchGlstream(page, server.url, notebookFor(work, transport), transport);
      await stopKernels(server.url, server.token);
    }
    const million = await benchGlstream(page, server.url, notebookFor(work, 'loopback', 4096, 128), 'loopback');
    await stopKernels(server.url, server.token);
    const rfb = await benchRfb(page, server.url);
    const ratios = Object.fromEntries(
      TRANSPORTS.map((transport) => [transport, glstream[transport]!.delivered_fps / rfb.delivered_fps]),
    );
    const browserResult = {
      drag_seconds: DRAG_MS / 1000,
      move_interval_ms: MOVE_INTERVAL_MS,
      size: '1280x720',
      triangles: 16416,
      glstream,
      glstream_1m_triangles_loopback: million,
      jupyter_rfb: rfb,
      glstream_over_jupyter_rfb: ratios,
    };
    const out = join(HERE, 'results', 'latest.json');
    const latest = existsSync(out) ? (JSON.parse(readFileSync(out, 'utf8')) as Record<string, unknown>) : {};
    mkdirSync(join(HERE, 'results'), { recursive: true });
    writeFileSync(out, `${JSON.stringify({ ...latest, browser: browserResult }, null, 2)}\n`);
    const rows = TRANSPORTS.map((transport) => {
      const run = glstream[transport]!;
      return {
        peer: 'glstream',
        transport,
        fps: run.delivered_fps.toFixed(1),
        p50: run.latency_ms_p50,
        p95: run.latency_ms_p95,
        still: run.still_after_mouse_up_ms.toFixed(0),
        first: run.first_frame_ms.toFixed(0),
        ratio: ratios[transport]!.toFixed(2),
      };
    });
    table(
      'end to end in Chromium through JupyterLab ' +
        '(1280x720, 16k triangles, 10 s drag at 120 Hz; latency measured by the widget)',
      [
        ['peer', 'peer'],
        ['transport', 'transport'],
        ['fps', 'fps delivered'],
        ['p50', 'latency p50 ms'],
        ['p95', 'p95 ms'],
        ['still', 'still after up ms'],
        ['first', 'first frame ms'],
        ['ratio', 'x jupyter_rfb'],
      ],
      [...rows, { peer: 'jupyter_rfb', transport: 'comm', fps: rfb.delivered_fps.toFixed(1) }],
    );
    const latency = `latency p50 ${million.latency_ms_p50} ms, p95 ${million.latency_ms_p95} ms`;
    const still = `still ${million.still_after_mouse_up_ms.toFixed(0)} ms after mouse-up`;
    console.log(
      `\nglstream, 1,048,576 triangles, loopback: ${million.delivered_fps.toFixed(1)} fps delivered, ${latency}, ` +
        `${still}, first frame ${million.first_frame_ms.toFixed(0)} ms`,
    );
    console.log(`written to ${out}`);
  } finally {
    mkdirSync(join(HERE, 'results'), { recursive: true });
    await page.screenshot({ path: join(HERE, 'results', 'browser-last.png') }).catch(() => undefined);
    await browser.close();
    await server.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
