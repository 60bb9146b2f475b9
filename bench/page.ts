// What the Chromium benchmarks do in the page: run a notebook until something shows, drag with pointer events
// generated in the page, read a cell's printed output, shut kernels down, and the counters kept in the page.
import type { Page } from 'playwright-core';
import { runNotebook } from '../test/support/notebook.js';
import { waitFor } from '../test/support/wait.js';

// A drag: how long, a move every `interval` ms, along `path` ('orbit': a loop around the middle; 'sweep': x goes
// 2 CSS px a move across the middle 1000 px and back, y stays, so each x names the move that put the pointer there),
// as pointer events (glstream, jupyter_rfb) or mouse events (ipyvtklink's ipyevents listens to those).
export interface Drag {
  ms: number;
  interval: number;
  path: 'orbit' | 'sweep';
  events?: 'pointer' | 'mouse';
}

// Open a notebook in a fresh workspace of its own, run all its cells, and return once `ready` appears.
export async function runUntil(page: Page, url: string, name: string, ready: string): Promise<void> {
  await runNotebook(page, `${url}/lab/workspaces/${name.replace(/\W/g, '-')}/tree/${name}?reset`);
  await page.locator(ready).first().waitFor({ timeout: 180_000 });
  await page.locator(ready).first().scrollIntoViewIfNeeded();
}

// In-page pointer driver, kept as source text: the bundler's helpers would not exist in the page. Each move's
// event time and x (CSS px from the element's left) go to window.glsMoves.
const POINTER_DRIVER = `(element, phase, ms, interval, path, kind) => {
  const rect = element.getBoundingClientRect();
  const cx = rect.left + rect.width / 2;
  const cy = rect.top + rect.height / 2;
  const fire = (type, x, y, buttons) => {
    const init = {
      bubbles: true, cancelable: true, composed: true,
      pointerId: 1, pointerType: 'mouse', isPrimary: true, clientX: x, clientY: y, button: 0, buttons };
    const event = kind === 'mouse'
      ? new MouseEvent(type.replace('pointer', 'mouse'), init)
      : new PointerEvent(type, init);
    element.dispatchEvent(event);
    return event.timeStamp;
  };
  if (phase === 'up') {
    fire('pointerup', cx, cy, 0);
    return 0;
  }
  const at = (moves) => {
    if (path === 'orbit') return [cx + 200 * Math.sin(moves / 40), cy + 60 * Math.cos(moves / 55)];
    const step = (2 * moves) % 2000;
    return [cx - 500 + (step < 1000 ? step : 2000 - step), cy];
  };
  window.glsMoves = [];
  if (path === 'orbit') fire('pointerdown', cx, cy, 1);
  else fire('pointerdown', ...at(0), 1);
  let moves = 0;
  const end = performance.now() + ms;
  return new Promise((resolve) => {
    const timer = setInterval(() => {
      moves += 1;
      const [x, y] = at(moves);
      window.glsMoves.push({ t: fire('pointermove', x, y, 1), x: x - rect.left });
      if (performance.now() >= end) {
        clearInterval(timer);
        resolve(moves);
      }
    }, interval);
  });
}`;

// Press on `selector` and drag as `drag` says, with moves generated in the page (the way a mouse feeds the main
// thread; driving each move over the DevTools protocol caps the rate at its round trip); or release it. Returns
// the moves made.
export async function pointer(page: Page, selector: string, phase: 'down' | 'up', drag: Drag): Promise<number> {
  await page
    .locator(selector)
    .first()
    .evaluate((element) => {
      (window as unknown as Record<string, unknown>)['glstreamTarget'] = element;
    });
  const { ms, interval, path, events = 'pointer' } = drag;
  const args = `window.glstreamTarget, '${phase}', ${ms}, ${interval}, '${path}', '${events}'`;
  return (await page.evaluate(`(${POINTER_DRIVER})(${args})`)) as number;
}

// Run code cell `index` again (Shift+Enter) and return what it prints once it prints something.
export async function cellOutput(page: Page, index: number): Promise<string> {
  const cell = page.locator('.jp-CodeCell').nth(index);
  await cell.locator('.jp-InputArea-editor').click();
  await page.keyboard.press('Shift+Enter');
  return waitFor(
    async () => {
      const text = await cell
        .locator('.jp-OutputArea-output')
        .innerText()
        .catch(() => '');
      return text.trim();
    },
    30_000,
    `the output of cell ${index}`,
  );
}

// Shut every kernel down, so that the next run has the machine to itself.
export async function stopKernels(url: string, token: string): Promise<void> {
  const headers = { authorization: `token ${token}` };
  const kernels = (await (await fetch(`${url}/api/kernels`, { headers })).json()) as { id: string }[];
  await Promise.all(kernels.map(({ id }) => fetch(`${url}/api/kernels/${id}`, { method: 'DELETE', headers })));
}

// Counters the page keeps across navigations: the first glstream paint; glstream's paints by the canvas' frame type
// (data-mime; the lossless stills as "still"); jupyter_rfb's image loads, and the types of the image blobs the
// page makes (jupyter_rfb shows each frame as a blob of the type its encoder chose).
export function instrument(): void {
  const w = window as unknown as Record<string, number>;
  const paints: Record<string, number> = {};
  const blobs: Record<string, number> = {};
  (window as unknown as Record<string, unknown>)['glsPaints'] = paints;
  (window as unknown as Record<string, unknown>)['glsBlobs'] = blobs;
  w['rfbLoads'] = 0;
  document.addEventListener(
    'load',
    (event) => {
      const target = event.target as HTMLElement;
      if (target instanceof HTMLImageElement && target.src.startsWith('blob:')) w['rfbLoads']! += 1;
    },
    true,
  );
  const createObjectURL = URL.createObjectURL.bind(URL);
  URL.createObjectURL = (object: Blob | MediaSource) => {
    if (object instanceof Blob && object.type.startsWith('image/')) blobs[object.type] = (blobs[object.type] ?? 0) + 1;
    return createObjectURL(object);
  };
  document.addEventListener('DOMContentLoaded', () => {
    new MutationObserver((records) => {
      for (const { target } of records) {
        const canvas = target as HTMLCanvasElement;
        if (!canvas.classList.contains('glstream-canvas') || canvas.dataset['frames'] === '0') continue;
        if (canvas.dataset['frames'] === '1') w['glsFirstPaint'] ??= Date.now();
        const type = canvas.dataset['still'] === 'true' ? 'still' : (canvas.dataset['mime'] ?? 'unknown');
        paints[type] = (paints[type] ?? 0) + 1;
      }
    }).observe(document.body, { subtree: true, attributes: true, attributeFilter: ['data-frames'] });
  });
}

// How many of each kind a counter of the page (glsPaints, glsBlobs) counted between two readings of it.
export function counted(before: Record<string, number>, after: Record<string, number>): Record<string, number> {
  return Object.fromEntries(
    Object.entries(after)
      .map(([key, n]) => [key, n - (before[key] ?? 0)] as const)
      .filter(([, n]) => n > 0),
  );
}
