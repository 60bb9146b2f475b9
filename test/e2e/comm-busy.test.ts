// A comm-transport Viewer in JupyterLab keeps turning while a cell keeps the kernel's main thread busy: its acks
// and input reach the renderer through glstream's kernel subshell (python-shim/glstream/_input_route.py), so a drag
// during the cell paints new frames that show it before the cell ends. Twice: with JupyterLab's own comms over
// subshells (its default since 4.4), and without them, as VS Code, Colab and older JupyterLabs send comm messages.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { glstreamPage, launchChromium } from '../support/browser.js';
import { type Painted, painted } from '../support/canvas.js';
import { meanAbsDiff, stats } from '../support/images.js';
import { startJupyter, type JupyterServer } from '../support/jupyter-server.js';
import { codeCell, CUBE_PY, openNotebook, runMenu } from '../support/notebook.js';
import { waitFor } from '../support/wait.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const ARTIFACTS = join(ROOT, 'artifacts', 'e2e');

let server: JupyterServer;
let browser: Browser;
let page: Page;
let flag: string;

before(async () => {
  const workdir = mkdtempSync(join(tmpdir(), 'glstream-e2e-comm-busy-'));
  flag = join(workdir, 'release-the-kernel');
  const notebook = {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: 'python3', display_name: 'Python 3 (ipykernel)', language: 'python' } },
    cells: [
      codeCell(
        [
          'import os',
          'import numpy as np',
          'import glstream',
          ...CUBE_PY,
          'v = glstream.Viewer(width=420, height=300, transport="comm")',
          'v.add_mesh(vertices, faces, color="#3388ff")',
          'v',
        ].join('\n'),
      ),
      codeCell(
        [
          '# the workload: a loop holding the main thread (and mostly the GIL) until the test lets it go',
          'spins = 0',
          `while not os.path.exists(${JSON.stringify(flag)}):`,
          '    spins += 1',
          `os.remove(${JSON.stringify(flag)})`,
          'print("cell ended after", spins, "spins")',
        ].join('\n'),
      ),
    ],
  };
  writeFileSync(join(workdir, 'comm-busy.ipynb'), JSON.stringify(notebook));
  mkdirSync(ARTIFACTS, { recursive: true });
  server = await startJupyter(workdir);
  browser = await launchChromium();
});

after(async () => {
  if (flag !== undefined && !existsSync(flag)) writeFileSync(flag, '');
  await browser?.close();
  await server?.stop();
});

// JupyterLab's setting of comms over kernel subshells: "perCommTarget" (its default) or "disabled".
async function commsOverSubshells(value: 'perCommTarget' | 'disabled'): Promise<void> {
  const plugin = encodeURIComponent('@jupyterlab/apputils-extension:kernels-settings');
  const response = await fetch(`${server.url}/lab/api/settings/${plugin}`, {
    method: 'PUT',
    headers: { authorization: `token ${server.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ raw: JSON.stringify({ commsOverSubshells: value }) }),
  });
  assert.equal(response.status, 204, await response.text());
}

for (const setting of ['perCommTarget', 'disabled'] as const) {
  test(`a comm view paints a drag made while a cell runs (comms over subshells: ${setting})`, async () => {
    await commsOverSubshells(setting);
    // A fresh JupyterLab page reads the setting; it opens the notebook in the same kernel.
    await page?.close();
    page = await glstreamPage(browser, 900);
    await dragWhileBusy(setting);
  });
}

async function dragWhileBusy(setting: string): Promise<void> {
  await openNotebook(page, `${server.url}/lab/tree/comm-busy.ipynb?token=${server.token}`);
  const canvas = page.locator('canvas.glstream-canvas[data-transport="comm"]');
  const busyCell = page.locator('.jp-CodeCell', { hasText: 'the workload' });
  await busyCell.locator('.jp-InputArea-editor').click();
  await runMenu(page, /^Run All Above Selected Cell$/);
  await canvas.and(page.locator('[data-still="true"]')).waitFor({ timeout: 120_000 });
  const before = await painted(canvas);
  const { deviation } = stats(before.image);
  assert.ok(deviation > 10, `the comm canvas is blank (deviation ${deviation.toFixed(1)})`);

  await busyCell.locator('.jp-InputArea-editor').click();
  await page.keyboard.press('Shift+Enter');
  // The cell runs once its prompt shows the star; then the kernel's main thread is in the loop.
  await busyCell.locator('.jp-InputPrompt', { hasText: '[*]' }).waitFor({ timeout: 30_000 });

  await canvas.scrollIntoViewIfNeeded();
  const box = (await canvas.boundingBox())!;
  const [cx, cy] = [box.x + box.width / 2, box.y + box.height / 2];
  await page.mouse.move(cx, cy);
  await page.mouse.down();
  for (let step = 1; step <= 20; step += 1) await page.mouse.move(cx + step * 6, cy + step * 3);
  // An interactive frame, painted with the button still down: only input makes one, so the drag crossed the busy
  // kernel (it is drawn smaller than the still, at the size the quality controller picks).
  const during = await waitFor(
    async () => {
      const now = await painted(canvas);
      return now.seq > before.seq && !now.still ? now : null;
    },
    30_000,
    'an interactive frame of the drag while the cell runs',
  );
  assert.ok(stats(during.image).deviation > 10, 'the interactive frame is not blank');
  await page.mouse.up();
  const settled: Painted = await waitFor(
    async () => {
      const now = await painted(canvas);
      return now.still && now.seq > during.seq ? now : null;
    },
    30_000,
    'the still after the drag while the cell runs',
  );
  assert.ok(!existsSync(flag), 'the busy cell was never released');
  assert.equal(await busyCell.locator('.jp-OutputArea-output').count(), 0, 'the busy cell has not ended');
  assert.ok(meanAbsDiff(before.image, settled.image) > 3, 'the still shows the turned view');
  assert.equal(settled.transport, 'comm');
  await page.screenshot({ path: join(ARTIFACTS, `comm-busy-kernel-${setting}.png`) });
  console.log(`artifact: comm view dragged while a cell runs at ${join(ARTIFACTS, `comm-busy-kernel-${setting}.png`)}`);

  writeFileSync(flag, '');
  await busyCell.locator('.jp-OutputArea-output', { hasText: 'cell ended after' }).waitFor({ timeout: 30_000 });
}
