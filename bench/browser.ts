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
import { waitFor } from '../test/support/wait.js';
import { cellOutput, type Drag, instrument, pointer, runUntil, stopKernels } from './page.js';
import { table } from './table.js';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const TRANSPORTS = ['loopback', 'proxy', 'comm'] as const;
// 10 s of moves every 8 ms: a 120 Hz mouse.
const DRAG: Drag = { ms: 10_000, interval: 8, path: 'orbit' };

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

async function benchGlstream(page: Page, url: string, notebook: string, transport: string) {
  const canvas = 'canvas.glstream-canvas';
  await runUntil(page, url, notebook, `${canvas}[data-still="true"][data-transport="${transport}"]`);
  const t0 = Number(/T0=([\d.]+)/.exec(await page.locator('.jp-OutputArea-output').first().innerText())![1]) * 1000;
  const firstPaint = await page.evaluate(() => (window as unknown as Record<string, number>)['glsFirstPaint']!);
  const framesBefore = Number(await page.locator(canvas).getAttribute('data-frames'));
  const started = Date.now();
  const moves = await pointer(page, canvas, 'down', DRAG);
  const framesDuring = Number(await page.locator(canvas).getAttribute('data-frames')) - framesBefore;
  const seconds = (Date.now() - started) / 1000;
  const seqAtUp = Number(await page.locator(canvas).getAttribute('data-seq'));
  const upAt = await page.evaluate(() => performance.now());
  await pointer(page, canvas, 'up', DRAG);
  const stillAt = await waitFor(
    () =>
      page.locator(canvas).evaluate((element, seq) => {
        const c = element as HTMLCanvasElement;
        return c.dataset['still'] === 'true' && Number(c.dataset['seq']) >= seq ? performance.now() : 0;
      }, seqAtUp),
    10_000,
    'the still after mouse-up',
  );
  const statsText = await cellOutput(page, 1);
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
  const moves = await pointer(page, image, 'down', DRAG);
  const during = (await loads()) - before;
  const seconds = (Date.now() - started) / 1000;
  await pointer(page, image, 'up', DRAG);
  return { moves, delivered_fps: during / seconds, frames: during };
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
      drag_seconds: DRAG.ms / 1000,
      move_interval_ms: DRAG.interval,
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
