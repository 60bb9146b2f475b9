// The direct websocket through the Jupyter server (jupyter-server-proxy, the JupyterHub/Binder path, under a
// /user/<name>/ prefix as JupyterHub serves it) next to the kernel's comm, in one notebook: each viewer paints
// its scene on its own path, and the proxied one keeps answering a drag while a cell keeps the kernel busy.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Locator, Page } from 'playwright-core';
import { glstreamPage, launchChromium } from '../support/browser.js';
import { painted } from '../support/canvas.js';
import { meanAbsDiff, stats, type Rgb } from '../support/images.js';
import { startJupyter, type JupyterServer } from '../support/jupyter-server.js';
import { codeCell, CUBE_PY, kernelStatus, openNotebook, runMenu } from '../support/notebook.js';
import { waitFor } from '../support/wait.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const ARTIFACTS = join(ROOT, 'artifacts', 'e2e');

let server: JupyterServer;
let browser: Browser;
let page: Page;
let workdir: string;
let flag: string;

before(async () => {
  workdir = mkdtempSync(join(tmpdir(), 'glstream-e2e-transport-'));
  flag = join(workdir, 'release-the-kernel');
  const notebook = {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: 'python3', display_name: 'Python 3 (ipykernel)', language: 'python' } },
    cells: [
      codeCell(['import os, threading', 'import numpy as np', 'import glstream', ...CUBE_PY].join('\n')),
      codeCell(
        [
          'proxied = glstream.Viewer(width=420, height=300, transport="proxy")',
          'proxied.add_mesh(vertices, faces, color="#ff8800")',
          'proxied',
        ].join('\n'),
      ),
      codeCell(
        [
          'through_kernel = glstream.Viewer(width=420, height=300, transport="comm")',
          'through_kernel.add_mesh(vertices, faces, color="#3388ff")',
          'through_kernel',
        ].join('\n'),
      ),
      codeCell(
        [
          '# keeps the kernel busy until the test lets it go',
          `while not os.path.exists(${JSON.stringify(flag)}):`,
          '    threading.Event().wait(0.05)',
          '"released"',
        ].join('\n'),
      ),
    ],
  };
  writeFileSync(join(workdir, 'transport.ipynb'), JSON.stringify(notebook));
  mkdirSync(ARTIFACTS, { recursive: true });
  server = await startJupyter(workdir, 60_000, '/user/ada/');
  browser = await launchChromium();
  page = await glstreamPage(browser, 1100);
});

after(async () => {
  if (flag !== undefined && !existsSync(flag)) writeFileSync(flag, '');
  await page?.screenshot({ path: join(ARTIFACTS, 'transport-final.png') }).catch(() => undefined);
  await browser?.close();
  await server?.stop();
});

// Drag across a canvas and wait for the lossless still that follows, newer than `after`.
async function drag(canvas: Locator, after: number): Promise<Awaited<ReturnType<typeof painted>>> {
  await canvas.scrollIntoViewIfNeeded();
  const box = (await canvas.boundingBox())!;
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  await page.mouse.move(cx, cy);
  await page.mouse.down();
  for (let step = 1; step <= 20; step += 1) await page.mouse.move(cx + step * 6, cy + step * 3);
  await page.mouse.up();
  return waitFor(
    async () => {
      const now = await painted(canvas);
      return now.still && now.seq > after ? now : null;
    },
    30_000,
    'a new lossless still after the drag',
  );
}

test('a proxied and a comm viewer paint their scenes; the proxied one answers while the kernel is busy', async () => {
  await openNotebook(page, `${server.url}/lab/tree/transport.ipynb?token=${server.token}`);
  const busyCell = page.locator('.jp-CodeCell', { hasText: 'keeps the kernel busy' });
  await busyCell.locator('.jp-InputArea-editor').click();
  await runMenu(page, /^Run All Above Selected Cell$/);

  const proxied = page.locator('canvas.glstream-canvas[data-transport="proxy"]');
  const viaKernel = page.locator('canvas.glstream-canvas[data-transport="comm"]');
  await proxied.and(page.locator('[data-still="true"]')).waitFor({ timeout: 120_000 });
  await viaKernel.and(page.locator('[data-still="true"]')).waitFor({ timeout: 120_000 });
  assert.equal(await page.locator('canvas.glstream-canvas').count(), 2);
  await kernelStatus(page, 'Idle').waitFor({ timeout: 30_000 });
  await busyCell.locator('.jp-InputArea-editor').click();
  await page.keyboard.press('Shift+Enter');
  await kernelStatus(page, 'Busy').waitFor({ timeout: 30_000 });

  const orange = await painted(proxied);
  const blue = await painted(viaKernel);
  for (const [name, frame] of [
    ['proxied', orange],
    ['comm', blue],
  ] as const) {
    const { deviation } = stats(frame.image);
    assert.ok(deviation > 10, `the ${name} canvas is blank (deviation ${deviation.toFixed(1)})`);
  }
  const meanColour = (image: Rgb, channel: number) => {
    let sum = 0;
    for (let i = channel; i < image.data.length; i += 3) sum += image.data[i]!;
    return sum / (image.data.length / 3);
  };
  assert.ok(meanColour(orange.image, 0) > meanColour(orange.image, 2), 'the proxied view shows the orange cube');
  assert.ok(meanColour(blue.image, 2) > meanColour(blue.image, 0), 'the comm view shows the blue cube');

  const moved = await drag(proxied, orange.seq);
  assert.ok(!existsSync(flag), 'the busy cell is still running');
  await kernelStatus(page, 'Busy').waitFor({ timeout: 1_000 });
  assert.ok(meanAbsDiff(orange.image, moved.image) > 3, 'the drag turned the proxied view while the kernel was busy');
  await proxied.scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(ARTIFACTS, 'transport-busy-kernel.png') });
  console.log(
    `artifact: proxied view dragged while the kernel is busy at ${join(ARTIFACTS, 'transport-busy-kernel.png')}`,
  );

  writeFileSync(flag, '');
  await kernelStatus(page, 'Idle').waitFor({ timeout: 30_000 });
  const turned = await drag(viaKernel, blue.seq);
  assert.ok(meanAbsDiff(blue.image, turned.image) > 3, 'the comm view turns once the kernel is free');
  assert.equal(turned.transport, 'comm');
});
