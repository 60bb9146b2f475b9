// The whole path, for real: JupyterLab in Chromium runs quickstart.ipynb, the sidecar renders under Xvfb,
// frames arrive over the direct websocket (the page is on this machine), the canvas shows the mesh, a drag moves
// it, and it settles to a lossless still; the stats overlay and v.stats() report the drag's frame rate and latency.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import type { Browser, Page } from 'playwright-core';
import { glstreamPage, launchChromium } from '../support/browser.js';
import { dragToNewStill, painted } from '../support/canvas.js';
import { decodeRgb, flipRows, meanAbsDiff, stats } from '../support/images.js';
import { startJupyter, type JupyterServer, VENV_BIN } from '../support/jupyter-server.js';
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
// Every URL the page asked for: glstream's own labextension files must not be among them.
const requested: string[] = [];

before(async () => {
  workdir = mkdtempSync(join(tmpdir(), 'glstream-e2e-'));
  copyFileSync(join(ROOT, 'binder/examples/quickstart.ipynb'), join(workdir, 'quickstart.ipynb'));
  mkdirSync(ARTIFACTS, { recursive: true });
  server = await startJupyter(workdir);
  browser = await launchChromium();
  page = await glstreamPage(browser);
  page.on('request', (request) => requested.push(request.url()));
});

after(async () => {
  await page?.screenshot({ path: join(ARTIFACTS, 'quickstart-final.png') }).catch(() => undefined);
  await browser?.close();
  await server?.stop();
});

const mtime = (path: string) => {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return 0;
  }
};

test('quickstart.ipynb shows a live, correct, interactive view', async () => {
  await runNotebook(page, `${server.url}/lab/tree/quickstart.ipynb?token=${server.token}`);

  const snapshotPath = join(workdir, 'quickstart.png');
  await page.locator(`${CANVAS}[data-still="true"]`).waitFor({ timeout: 120_000 });
  await waitFor(() => mtime(snapshotPath) > 0, 60_000, 'the notebook to write quickstart.png');
  await page.locator(CANVAS).scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(ARTIFACTS, 'quickstart.png') });
  console.log(`artifact: notebook screenshot at ${join(ARTIFACTS, 'quickstart.png')}`);

  const first = await painted(page.locator(CANVAS));
  const reference = await decodeRgb(snapshotPath);
  assert.equal(
    await page.locator(CANVAS).getAttribute('data-transport'),
    'loopback',
    'a page on this machine reaches the renderer directly',
  );
  assert.equal(first.mime, 'image/png');
  assert.equal(
    `${first.image.width}x${first.image.height}`,
    `${reference.width}x${reference.height}`,
    'canvas and snapshot have the same size',
  );
  const { mean, deviation } = stats(first.image);
  assert.ok(deviation > 10, `the canvas is blank (deviation ${deviation.toFixed(1)})`);
  assert.ok(mean > 20, `the canvas is black (mean ${mean.toFixed(1)})`);
  const same = meanAbsDiff(first.image, reference);
  const flipped = meanAbsDiff(first.image, flipRows(reference));
  console.log(`first still vs snapshot: mean abs diff ${same.toFixed(3)} (upside down: ${flipped.toFixed(3)})`);
  assert.ok(same < 1, `the canvas differs from the sidecar's snapshot by ${same.toFixed(2)} per channel`);
  assert.ok(flipped > same + 5, 'the canvas must not match the snapshot upside down');

  const box = (await page.locator(CANVAS).boundingBox())!;
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  const seen = new Set<string>();
  await page.mouse.move(cx, cy);
  await page.mouse.down();
  for (let step = 1; step <= 30; step += 1) {
    await page.mouse.move(cx + step * 6, cy + step * 2);
    seen.add((await page.locator(CANVAS).getAttribute('data-mime')) ?? '');
  }
  await page.mouse.up();
  const moved = await waitFor(
    async () => {
      const now = await painted(page.locator(CANVAS));
      return now.still && now.seq > first.seq ? now : null;
    },
    30_000,
    'a new lossless still after the drag',
  );
  console.log(`drag: mimes painted while dragging ${[...seen].join(', ')}, last seq ${moved.seq}`);
  assert.ok(seen.has('image/jpeg'), 'interactive frames are JPEG while dragging');
  assert.ok(meanAbsDiff(first.image, moved.image) > 3, 'the drag changed the painted frame');
  const overlay = await waitFor(
    async () => {
      const text = await page.locator('.glstream-stats').innerText();
      return /latency p50 [\d.]+ ms, p95 [\d.]+ ms · \d+ kB\/s via loopback/.test(text) ? text : null;
    },
    10_000,
    "the stats overlay (v.show_stats = True) to show the drag's latency",
  );
  console.log(`stats overlay after the drag: ${overlay}`);

  const before = mtime(snapshotPath);
  await page.locator('.jp-CodeCell', { hasText: 'v.snapshot(' }).locator('.jp-InputArea-editor').click();
  await page.keyboard.press('Shift+Enter');
  await waitFor(() => mtime(snapshotPath) > before, 60_000, 'the snapshot cell to run again');
  const settled = meanAbsDiff(moved.image, await decodeRgb(snapshotPath));
  console.log(`still after drag vs fresh snapshot: mean abs diff ${settled.toFixed(3)}`);
  assert.ok(settled < 1, `the settled frame is not the lossless render (diff ${settled.toFixed(2)})`);

  const statsCell = page.locator('.jp-CodeCell', { hasText: 'v.stats()' });
  await statsCell.locator('.jp-InputArea-editor').click();
  await page.keyboard.press('Shift+Enter');
  const reported = await waitFor(
    async () => {
      const text = await statsCell
        .locator('.jp-OutputArea-output')
        .innerText()
        .catch(() => '');
      const fps = Number(/'fps': ([\d.]+)/.exec(text)?.[1] ?? 0);
      const latency = /'latency_ms_p50': ([\d.]+)/.exec(text)?.[1];
      return fps > 0 && latency !== undefined && text.includes("'transport': 'loopback'")
        ? { text, fps, latency: Number(latency) }
        : null;
    },
    30_000,
    'v.stats() to report fps and a latency',
  );
  console.log(`v.stats() after the drag: ${reported.text}`);
  assert.ok(reported.latency > 0, `input-to-paint latency ${reported.latency} ms`);
  await page.screenshot({ path: join(ARTIFACTS, 'quickstart-after-drag.png') });
  console.log(`artifact: screenshot after the drag at ${join(ARTIFACTS, 'quickstart-after-drag.png')}`);
});

test('no labextension of glstream: anywidget loads the live view from the module the Viewer sends', async () => {
  const listed = await execa(`${VENV_BIN}/jupyter`, ['labextension', 'list'], {
    env: { PATH: `${VENV_BIN}:${process.env['PATH']}`, JUPYTER_CONFIG_DIR: `${workdir}/.jupyter-config` },
    all: true,
  });
  console.log(`jupyter labextension list, while the view is live:\n${listed.all}`);
  assert.match(listed.all, /anywidget v[\d.]+ .*enabled.*OK/, "anywidget's labextension is what JupyterLab loads");
  assert.doesNotMatch(listed.all, /glstream/, 'glstream installs no labextension');
  assert.deepEqual(
    requested.filter((url) => /extensions\/@glstream|glstream\/widget/.test(url)),
    [],
    'the page fetched no glstream extension file',
  );
  // anywidget puts a widget class's _css in a <style> named by the class; the live canvas is in its view.
  const style = await page.evaluate(() => document.getElementById('glstream.viewer.Viewer')?.textContent ?? '');
  assert.match(style, /\.glstream-viewer/, "anywidget loaded the Viewer's _css");
  assert.equal(await page.locator(`${CANVAS}[data-still="true"]`).count(), 1, 'the view is live');
});

test('when the sidecar dies, the view says it restarts, then shows the same picture and answers a drag', async () => {
  const canvas = page.locator(CANVAS);
  await canvas.scrollIntoViewIfNeeded();
  const before = await painted(canvas);
  assert.ok(before.still, 'the view shows a settled still before the kill');
  const sidecars = descendantsRunning(server.process.pid!, ['serve', '--stdio']);
  assert.equal(sidecars.length, 1, `one sidecar for the one kernel, found ${sidecars.length}`);
  process.kill(sidecars[0]!, 'SIGKILL');
  const status = page.locator('.glstream-status');
  await waitFor(
    async () => /renderer restarting/.test(await status.innerText().catch(() => '')),
    30_000,
    'the view to say the renderer restarts',
  );
  await page.screenshot({ path: join(ARTIFACTS, 'quickstart-sidecar-restarting.png') });
  console.log(`artifact: the restarting view at ${join(ARTIFACTS, 'quickstart-sidecar-restarting.png')}`);
  assert.equal(await page.locator('.glstream-error').isVisible(), false, 'no error while it restarts');
  // the restarted renderer numbers its frames anew: a still of another number is its first
  const back = await waitFor(
    async () => {
      const now = await painted(canvas);
      const restarting = /renderer restarting/.test(await status.innerText().catch(() => ''));
      return !restarting && now.still && now.seq !== before.seq ? now : null;
    },
    60_000,
    'a still from the restarted renderer',
  );
  const restored = meanAbsDiff(before.image, back.image);
  console.log(`still before the kill vs the restarted renderer's: mean abs diff ${restored.toFixed(3)}`);
  assert.ok(restored < 0.5, `the restarted view differs from the one before the kill by ${restored.toFixed(2)}`);
  const sidecarsNow = descendantsRunning(server.process.pid!, ['serve', '--stdio']);
  assert.equal(sidecarsNow.length, 1, `one restarted sidecar, found ${sidecarsNow.length}`);
  assert.notEqual(sidecarsNow[0], sidecars[0]);
  const dragged = await dragToNewStill(page, canvas, back, 'a new still after a drag in the restarted view');
  assert.ok(meanAbsDiff(back.image, dragged.image) > 3, 'the drag changed the picture of the restarted view');
  await page.screenshot({ path: join(ARTIFACTS, 'quickstart-sidecar-restarted.png') });
  console.log(`artifact: the restarted view after a drag at ${join(ARTIFACTS, 'quickstart-sidecar-restarted.png')}`);
});
