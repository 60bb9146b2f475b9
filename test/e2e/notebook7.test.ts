// The quickstart in Notebook 7 (`jupyter notebook`, /notebooks/<path>), where glstream ships no extension: anywidget's
// front end runs the widget module the Viewer sends. The view paints the scene the renderer snapshots, over the
// direct websocket (the page is on this machine), and a drag turns it. Once the renderer is gone, a view shown again
// cannot go live: it shows the Viewer's saved still (`_still`) under the error, not a blank box.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { glstreamPage, launchChromium } from '../support/browser.js';
import { dragToNewStill, painted } from '../support/canvas.js';
import { decodeRgb, meanAbsDiff, stats } from '../support/images.js';
import { startJupyter, type JupyterServer } from '../support/jupyter-server.js';
import { runNotebook } from '../support/notebook.js';
import { descendantsRunning } from '../support/proc.js';
import { waitFor } from '../support/wait.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const ARTIFACTS = join(ROOT, 'artifacts', 'e2e');
const CANVAS = 'canvas.glstream-canvas';

let server: JupyterServer;
let browser: Browser;
let page: Page;
let workdir: string;

before(async () => {
  workdir = mkdtempSync(join(tmpdir(), 'glstream-e2e-nb7-'));
  copyFileSync(join(ROOT, 'binder/examples/quickstart.ipynb'), join(workdir, 'quickstart.ipynb'));
  mkdirSync(ARTIFACTS, { recursive: true });
  server = await startJupyter(workdir, 60_000, '/', 'notebook');
  browser = await launchChromium();
  page = await glstreamPage(browser);
});

after(async () => {
  await page?.screenshot({ path: join(ARTIFACTS, 'notebook7-final.png') }).catch(() => undefined);
  await browser?.close();
  await server?.stop();
});

const written = (path: string) => {
  try {
    return statSync(path).mtimeMs > 0;
  } catch {
    return false;
  }
};

test('the quickstart in Notebook 7 shows a live view that a drag turns', async () => {
  await runNotebook(page, `${server.url}/notebooks/quickstart.ipynb?token=${server.token}`, 'notebook');
  assert.equal(await page.locator('.jp-LabShell').count(), 0, 'this is Notebook 7, not JupyterLab');

  const canvas = page.locator(CANVAS);
  await page.locator(`${CANVAS}[data-still="true"]`).waitFor({ timeout: 120_000 });
  const snapshotPath = join(workdir, 'quickstart.png');
  await waitFor(() => written(snapshotPath), 60_000, 'the notebook to write quickstart.png');
  await canvas.scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(ARTIFACTS, 'notebook7.png') });
  console.log(`artifact: Notebook 7 screenshot at ${join(ARTIFACTS, 'notebook7.png')}`);

  const first = await painted(canvas);
  assert.equal(first.transport, 'loopback', 'a page on this machine reaches the renderer directly');
  const { mean, deviation } = stats(first.image);
  assert.ok(deviation > 10, `the canvas is blank (deviation ${deviation.toFixed(1)})`);
  assert.ok(mean > 20, `the canvas is black (mean ${mean.toFixed(1)})`);
  const same = meanAbsDiff(first.image, await decodeRgb(snapshotPath));
  console.log(`Notebook 7: first still vs the renderer's snapshot: mean abs diff ${same.toFixed(3)}`);
  assert.ok(same < 1, `the canvas differs from the renderer's snapshot by ${same.toFixed(2)} per channel`);

  const moved = await dragToNewStill(page, canvas, first, 'a new still after the drag');
  const turned = meanAbsDiff(first.image, moved.image);
  console.log(`Notebook 7: the drag changed the picture by ${turned.toFixed(2)} per channel (seq ${moved.seq})`);
  assert.ok(turned > 3, 'the drag changed the painted frame');
  await page.screenshot({ path: join(ARTIFACTS, 'notebook7-after-drag.png') });
  console.log(`artifact: Notebook 7 after the drag at ${join(ARTIFACTS, 'notebook7-after-drag.png')}`);
});

test('a view that cannot go live shows the saved still under the error', async () => {
  // a renderer killed three times within a minute is not restarted again: the view can no longer go live
  const status = page.locator('.glstream-status').first();
  for (let death = 1; death <= 3; death += 1) {
    const sidecars = descendantsRunning(server.process.pid!, ['serve', '--stdio']);
    assert.equal(sidecars.length, 1, `one sidecar for the one kernel, found ${sidecars.length}`);
    process.kill(sidecars[0]!, 'SIGKILL');
    if (death === 3) break;
    // restarted once the view said so and then no longer: a new process alone may not be ready, and a kill before
    // it is would end the restart ("could not be restarted"), not count a third death
    let announced = false;
    await waitFor(
      async () => {
        const now = descendantsRunning(server.process.pid!, ['serve', '--stdio']);
        const restarting = /renderer restarting/.test(await status.innerText().catch(() => ''));
        announced ||= restarting;
        return announced && !restarting && now.length === 1 && now[0] !== sidecars[0];
      },
      60_000,
      `the renderer to be restarted after death ${death}`,
    );
  }
  await page.locator('.glstream-error').first().waitFor({ state: 'visible', timeout: 30_000 });

  // Show the view again, its saved still being the picture the notebook wrote: no frame can come any more.
  await page.locator('.jp-CodeCell', { hasText: 'v.stats()' }).locator('.jp-InputArea-editor').click();
  await page.keyboard.press('Escape');
  await page.keyboard.press('b');
  await page.keyboard.press('Enter');
  await page.keyboard.insertText('v._still = open("quickstart.png", "rb").read()\nv');
  await page.keyboard.press('Shift+Enter');

  const views = page.locator('.glstream-viewer');
  await waitFor(async () => (await views.count()) === 2, 30_000, 'the view to be shown a second time');
  const again = views.nth(1);
  const still = again.locator('img.glstream-still');
  await still.waitFor({ state: 'visible', timeout: 30_000 });
  const shown = await still.evaluate((image: HTMLImageElement) =>
    image.decode().then(() => ({
      natural: `${image.naturalWidth}x${image.naturalHeight}`,
      css: `${image.getBoundingClientRect().width}x${image.getBoundingClientRect().height}`,
      url: image.src,
    })),
  );
  console.log(`saved still: ${shown.natural} px shown at ${shown.css} CSS px from ${shown.url}`);
  assert.equal(shown.natural, '640x400', 'the PNG decoded');
  assert.equal(shown.css, '640x400', 'sized like the canvas');
  assert.match(shown.url, /^blob:/);
  assert.equal(await again.locator('canvas.glstream-canvas').isHidden(), true, 'the still stands in for the canvas');
  assert.match(await again.locator('.glstream-error').innerText(), /renderer died 3 times within a minute/);
  await again.scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(ARTIFACTS, 'notebook7-saved-still.png') });
  console.log(`artifact: the saved still at ${join(ARTIFACTS, 'notebook7-saved-still.png')}`);
});
