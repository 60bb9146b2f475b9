// The renderer's key never leaves the live session, and the direct websocket comes back when it drops, for real:
// JupyterLab in Chromium runs a notebook whose view reaches the renderer over the direct websocket; the URLs the
// page opened carry single-use tickets, none of which JupyterLab saves in the .ipynb (with the widget state saved,
// as "Save Jupyter widget state in notebooks" does), and a spent one is refused. Then the kernel revokes the view's
// direct connections (what a change of `transport` to "comm" does): the socket drops, the view falls back to the
// comm, its retry with the HELLO's ticket is refused, it asks the kernel for a fresh ticket, reconnects, and a drag
// still turns the scene.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page, WebSocket as PageSocket } from 'playwright-core';
import WebSocket from 'ws';
import { glstreamPage, launchChromium } from '../support/browser.js';
import { dragToNewStill, painted } from '../support/canvas.js';
import { meanAbsDiff } from '../support/images.js';
import { startJupyter, type JupyterServer } from '../support/jupyter-server.js';
import { MarkedCells, markedNotebook, mtime } from '../support/marked-cells.js';
import { CUBE_PY, openNotebook } from '../support/notebook.js';
import { waitFor } from '../support/wait.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const ARTIFACTS = join(ROOT, 'artifacts', 'e2e');
const CANVAS = 'canvas.glstream-canvas';
const NOTEBOOK = 'direct-key.ipynb';

let server: JupyterServer;
let browser: Browser;
let page: Page;
let workdir: string;
// Every direct websocket the page opened (to /view/<id>), in order, with the frames it received.
const sockets: { url: string; frames: number; closed: boolean }[] = [];

before(async () => {
  workdir = mkdtempSync(join(tmpdir(), 'glstream-e2e-direct-key-'));
  writeFileSync(
    join(workdir, NOTEBOOK),
    markedNotebook([
      [
        '# view',
        [
          'import numpy as np',
          'import glstream',
          ...CUBE_PY,
          'v = glstream.Viewer(width=420, height=300)',
          'v.add_mesh(vertices, faces, color="#ff8800")',
          'v',
        ].join('\n'),
      ],
      ['# revoke', 'v.sidecar.request("revoke_direct", {"view": v._view_id})\nopen("revoked", "w").close()'],
    ]),
  );
  // JupyterLab saves the widget state with the notebook: the strongest case, the state is in the file.
  const settings = join(workdir, '.jupyter-config/lab/user-settings/@jupyter-widgets/jupyterlab-manager');
  mkdirSync(settings, { recursive: true });
  writeFileSync(join(settings, 'plugin.jupyterlab-settings'), JSON.stringify({ saveState: true }));
  mkdirSync(ARTIFACTS, { recursive: true });
  server = await startJupyter(workdir);
  browser = await launchChromium();
  page = await glstreamPage(browser);
  page.on('websocket', (socket: PageSocket) => {
    if (!/\/view\//.test(socket.url())) return;
    const seen = { url: socket.url(), frames: 0, closed: false };
    sockets.push(seen);
    socket.on('framereceived', () => (seen.frames += 1));
    socket.on('close', () => (seen.closed = true));
  });
});

after(async () => {
  await page?.screenshot({ path: join(ARTIFACTS, 'direct-key-final.png') }).catch(() => undefined);
  await browser?.close();
  await server?.stop();
});

// The HTTP status a websocket upgrade to `url` is refused with (from Node, not the page).
function refusal(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url);
    socket.on('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
    socket.on('open', () => {
      socket.close();
      reject(new Error(`${url} was accepted`));
    });
    socket.on('error', () => undefined);
  });
}

const keyOf = (url: string) => new URL(url).searchParams.get('key') ?? '';

test('no used ticket is in the saved notebook, a spent one is refused, a dropped socket comes back', async () => {
  await openNotebook(page, `${server.url}/lab/tree/${NOTEBOOK}?token=${server.token}`);
  const cells = new MarkedCells(page, workdir);
  await cells.run('# view');
  const canvas = page.locator(`${CANVAS}[data-transport="loopback"]`);
  await canvas.and(page.locator('[data-still="true"]')).waitFor({ timeout: 120_000 });
  assert.ok(sockets.length >= 1 && sockets[0]!.frames > 0, 'frames came over a direct websocket');
  const keys = sockets.map((socket) => keyOf(socket.url));
  assert.ok(
    keys.every((key) => key.length >= 32),
    `each URL carries a ticket: ${keys.length}`,
  );

  // Saved until the file holds the widget state: JupyterLab loads the setting that saves it after the page opens.
  const path = join(workdir, NOTEBOOK);
  const saved = await waitFor(
    async () => {
      const before = mtime(path);
      await page.locator('.lm-MenuBar-itemLabel', { hasText: /^File$/ }).click();
      await page.locator('.lm-Menu-itemLabel', { hasText: /^Save Notebook$/ }).click();
      await waitFor(() => mtime(path) > before, 30_000, 'JupyterLab to save the notebook');
      const text = readFileSync(path, 'utf-8');
      return text.includes('application/vnd.jupyter.widget-state+json') ? text : null;
    },
    60_000,
    'the notebook saved with its widget state',
  );
  assert.ok(!saved.includes('"_direct"'), 'no _direct trait in the saved state');
  for (const key of keys) assert.ok(!saved.includes(key), 'no ticket the page used is in the saved notebook');
  assert.equal(await refusal(sockets[0]!.url), 403, 'the spent ticket of the first URL is refused');

  const first = await painted(canvas);
  const opened = sockets.length;
  await cells.produce('# revoke', 'revoked');
  await waitFor(() => sockets[opened - 1]!.closed, 30_000, 'the revoked websocket to close');
  // The retry with the HELLO's ticket (refused: revoked), then the fresh ticket the kernel gave.
  const back = await waitFor(
    () => sockets.slice(opened).find((socket) => socket.frames > 0 && !socket.closed) ?? null,
    60_000,
    'a new direct websocket with frames after the revocation',
  );
  console.log(`direct websockets opened: ${sockets.length}; the one now in use received ${back.frames} frames`);
  assert.ok(sockets.length >= opened + 2, "first a retry with the revoked HELLO's ticket, then a fresh ticket");
  assert.equal(sockets[opened]!.frames, 0, "the retry with the revoked HELLO's ticket got nothing");
  await page.locator(`${CANVAS}[data-transport="loopback"]`).waitFor({ timeout: 30_000 });
  assert.equal(await refusal(back.url), 403, 'the ticket in use is spent too');

  const moved = await dragToNewStill(page, canvas, first, 'a new still after the drag on the reconnected view');
  assert.ok(meanAbsDiff(first.image, moved.image) > 3, 'the drag turned the scene');
  await page.screenshot({ path: join(ARTIFACTS, 'direct-key-reconnected.png') });
  console.log(
    `artifact: the view after the reconnection and a drag at ${join(ARTIFACTS, 'direct-key-reconnected.png')}`,
  );
});
