// One run of the Chromium benchmark: a notebook run in JupyterLab, opened on the Jupyter server or on the link
// proxy in front of it, a scripted 10-second drag, and what it measured: frames painted, the widget's latency, the
// still after the release, the bytes that crossed (at the proxy on a link, else in the page), the frames' types.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { waitFor } from '../test/support/wait.js';
import type { TappedFrame } from './frame-tap.js';
import type { Link, LinkProxy } from './link-proxy.js';
import { cellOutput, counted, type Drag, pointer, runUntil } from './page.js';

// 10 s of moves every 8 ms: a 120 Hz mouse.
export const DRAG: Drag = { ms: 10_000, interval: 8, path: 'orbit' };

export type Transport = 'loopback' | 'proxy' | 'comm';

// What to run: glstream on a transport (with a knot of `segments` x `sides` x 2 triangles), or jupyter_rfb.
export interface Case {
  peer: 'glstream' | 'jupyter_rfb';
  transport: Transport;
  segments?: number;
  sides?: number;
}

// Where the run happens: the page's origin (the Jupyter server's or the proxy's), and the proxy when on a link.
export interface Route {
  url: string;
  link: Link | null;
  proxy: LinkProxy | null;
}

export interface Measured {
  moves: number;
  frames: number;
  delivered_fps: number;
  // Down (to the browser) and up; on a link, every byte at the proxy; without one, the page's count (see bytesNow).
  kB_per_s_down: number;
  kB_per_s_up: number | null;
  bytes_counted_at: string;
  // Frames painted during the drag by type: glstream's canvas data-mime, jupyter_rfb's image blob types.
  frame_types: Record<string, number>;
  first_frame_ms?: number;
  still_after_mouse_up_ms?: number;
  latency_ms_p50?: number | null;
  latency_ms_p95?: number | null;
  widget_stats?: Record<string, number>;
  // The machine's 1-minute load average when the run began.
  load_1min?: number;
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

// Bytes so far. On a link: all bytes through the proxy, both ways. Without one (no proxy in the way): the payload
// of the FRAMEs that arrived on glstream's view websocket (frame-tap.ts), or all that the kernel's websocket
// received when the frames ride the comm.
async function bytesNow(page: Page, route: Route, viewSocket: boolean): Promise<{ down: number; up: number | null }> {
  if (route.proxy !== null) return route.proxy.bytes();
  const read = viewSocket
    ? () => (window as unknown as { glsTap: TappedFrame[] }).glsTap.reduce((sum, frame) => sum + frame.bytes, 0)
    : () => (window as unknown as { glsKernelBytes: number }).glsKernelBytes;
  return { down: await page.evaluate(read), up: null };
}

// Press on `selector`, drag, and count what happened during the drag: `shown()` frames shown so far, `counter` the
// page's counter of frame types; the pointer stays down.
async function drag(
  page: Page,
  route: Route,
  selector: string,
  { viewSocket, counter, shown }: { viewSocket: boolean; counter: string; shown: () => Promise<number> },
) {
  const types = () =>
    page.evaluate(
      ([name]) => ({ ...((window as unknown as Record<string, Record<string, number>>)[name!] ?? {}) }),
      [counter],
    );
  const typesBefore = await types();
  const bytesBefore = await bytesNow(page, route, viewSocket);
  const shownBefore = await shown();
  const started = Date.now();
  const moves = await pointer(page, selector, 'down', DRAG);
  const frames = (await shown()) - shownBefore;
  const seconds = (Date.now() - started) / 1000;
  const bytesAfter = await bytesNow(page, route, viewSocket);
  const frameTypes = counted(typesBefore, await types());
  const up = bytesAfter.up === null || bytesBefore.up === null ? null : (bytesAfter.up - bytesBefore.up) / seconds;
  return {
    moves,
    frames,
    delivered_fps: frames / seconds,
    frame_types: frameTypes,
    kB_per_s_down: (bytesAfter.down - bytesBefore.down) / seconds / 1000,
    kB_per_s_up: up === null ? null : up / 1000,
    bytes_counted_at:
      route.proxy !== null ? 'proxy, all bytes' : viewSocket ? 'page, view socket frames' : 'page, kernel socket',
  };
}

export async function runGlstream(page: Page, route: Route, work: string, run: Case): Promise<Measured> {
  const canvas = 'canvas.glstream-canvas';
  const notebook = notebookFor(work, run.transport, run.segments, run.sides);
  await runUntil(page, route.url, notebook, `${canvas}[data-still="true"][data-transport="${run.transport}"]`);
  const t0 = Number(/T0=([\d.]+)/.exec(await page.locator('.jp-OutputArea-output').first().innerText())![1]) * 1000;
  const firstPaint = await page.evaluate(() => (window as unknown as Record<string, number>)['glsFirstPaint']!);
  const shown = async () => Number(await page.locator(canvas).getAttribute('data-frames'));
  const during = await drag(page, route, canvas, { viewSocket: run.transport !== 'comm', counter: 'glsPaints', shown });
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
  const stats = JSON.parse(statsText.replace(/'/g, '"').replace(/\bNone\b/g, 'null')) as Record<string, number>;
  return {
    ...during,
    first_frame_ms: firstPaint - t0,
    still_after_mouse_up_ms: stillAt - upAt,
    latency_ms_p50: stats['latency_ms_p50'] ?? null,
    latency_ms_p95: stats['latency_ms_p95'] ?? null,
    widget_stats: stats,
  };
}

// jupyter_rfb carrying the same frames (rfb-drag.ipynb), counted as image loads in the page.
export async function runRfb(page: Page, route: Route): Promise<Measured> {
  const image = '.jp-OutputArea-output img[src^="blob:"]';
  await runUntil(page, route.url, 'rfb-drag.ipynb', image);
  const shown = () => page.evaluate(() => (window as unknown as Record<string, number>)['rfbLoads']!);
  const during = await drag(page, route, image, { viewSocket: false, counter: 'glsBlobs', shown });
  await pointer(page, image, 'up', DRAG);
  return during;
}
