// Interactive frames as H.264, for real: JupyterLab in Chromium with GLSTREAM_VIDEO=on for the renderer. A view
// whose page has WebCodecs paints H.264 frames of the scene while it is dragged (a red cube, not a blank or black
// frame) and the lossless PNG still after; a page without VideoDecoder announces no codec and gets JPEG, painted.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Locator, Page } from 'playwright-core';
import { glstreamPage, launchChromium } from '../support/browser.js';
import { decodeRgb, redShare, stats } from '../support/images.js';
import { startJupyter, type JupyterServer } from '../support/jupyter-server.js';
import { MarkedCells, markedNotebook } from '../support/marked-cells.js';
import { CUBE_PY, openNotebook } from '../support/notebook.js';
import { waitFor } from '../support/wait.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const ARTIFACTS = join(ROOT, 'artifacts', 'e2e');
const CANVAS = 'canvas.glstream-canvas';

let server: JupyterServer;
let browser: Browser;
let workdir: string;
const saved = process.env['GLSTREAM_VIDEO'];

// A red cube in a view with odd sides at the interactive size ratios (the encoder pads them, the widget crops).
const CELL = [
  'import numpy as np',
  'import glstream',
  ...CUBE_PY,
  'v = glstream.Viewer(width=421, height=301)',
  'v.add_mesh(vertices, faces, color="#ee2020")',
  'v',
].join('\n');

before(async () => {
  workdir = mkdtempSync(join(tmpdir(), 'glstream-e2e-video-'));
  for (const name of ['with-webcodecs.ipynb', 'without-webcodecs.ipynb'])
    writeFileSync(join(workdir, name), markedNotebook([['# view', CELL]]));
  mkdirSync(ARTIFACTS, { recursive: true });
  // The kernel, and the renderer it starts, inherit the server's environment.
  process.env['GLSTREAM_VIDEO'] = 'on';
  server = await startJupyter(workdir);
  browser = await launchChromium();
});

after(async () => {
  if (saved === undefined) delete process.env['GLSTREAM_VIDEO'];
  else process.env['GLSTREAM_VIDEO'] = saved;
  await browser?.close();
  await server?.stop();
});

// What the canvas painted: each frame's mime, and a picture of the first interactive frame of `mime`.
interface Seen {
  mimes: string[];
  picture: string;
}

// Run the notebook's view cell and record every frame the canvas paints from then on.
async function showView(page: Page, notebook: string, mime: string): Promise<Locator> {
  // A workspace of its own: JupyterLab would otherwise reopen the other test's notebook beside this one.
  const workspace = notebook.replace('.ipynb', '');
  await openNotebook(page, `${server.url}/lab/workspaces/${workspace}/tree/${notebook}?token=${server.token}`);
  await new MarkedCells(page, workdir).run('# view');
  const canvas = page.locator(CANVAS);
  await canvas.and(page.locator('[data-still="true"]')).waitFor({ timeout: 120_000 });
  await canvas.evaluate((element: HTMLCanvasElement, wanted: string) => {
    const seen: Seen = { mimes: [], picture: '' };
    (window as unknown as { glstreamSeen: Seen }).glstreamSeen = seen;
    new MutationObserver(() => {
      const painted = element.dataset['mime'] ?? '';
      seen.mimes.push(painted);
      if (painted === wanted && element.dataset['still'] === 'false' && seen.picture === '')
        seen.picture = element.toDataURL('image/png');
    }).observe(element, { attributes: true, attributeFilter: ['data-frames'] });
  }, mime);
  return canvas;
}

const seenOf = (page: Page) => page.evaluate(() => (window as unknown as { glstreamSeen: Seen }).glstreamSeen);

// Drag across the canvas, each move waiting for a new frame to be painted, then wait for the still after release.
async function drag(page: Page, canvas: Locator): Promise<Seen> {
  const box = (await canvas.boundingBox()) ?? assert.fail('the canvas has no box');
  const [x, y] = [box.x + box.width / 2, box.y + box.height / 2];
  await page.mouse.move(x, y);
  await page.mouse.down();
  for (let step = 1; step <= 12; step += 1) {
    const before = (await seenOf(page)).mimes.length;
    await page.mouse.move(x + step * 6, y + step * 2);
    await waitFor(async () => (await seenOf(page)).mimes.length > before, 30_000, `a frame after move ${step}`);
  }
  await page.mouse.up();
  return await waitFor(
    async () => {
      const seen = await seenOf(page);
      return seen.mimes.at(-1) === 'image/png' ? seen : null;
    },
    30_000,
    'the lossless still after the release',
  );
}

// The picture shows the red cube: no blank or black frame.
async function showsCube(dataUrl: string, what: string): Promise<void> {
  assert.ok(dataUrl.startsWith('data:image/png;base64,'), `${what}: a picture was taken`);
  const image = await decodeRgb(Buffer.from(dataUrl.split(',')[1] ?? '', 'base64'));
  const red = redShare(image);
  assert.ok(red > 0.03, `${what}: the red cube covers ${(red * 100).toFixed(1)}% of it`);
  assert.ok(stats(image).deviation > 10, `${what}: it is not one flat colour`);
}

test('with WebCodecs the dragged view paints H.264 frames of the scene, then the PNG still', async () => {
  const page = await glstreamPage(browser);
  try {
    const canvas = await showView(page, 'with-webcodecs.ipynb', 'video/h264');
    const seen = await drag(page, canvas);
    const video = seen.mimes.filter((mime) => mime === 'video/h264').length;
    console.log(`painted while dragging: ${seen.mimes.join(' ')}`);
    assert.ok(video >= 6, `H.264 frames were painted (${video} of ${seen.mimes.length})`);
    await showsCube(seen.picture, 'the first H.264 frame painted');
    const shot = join(ARTIFACTS, 'video-h264-frame.png');
    writeFileSync(shot, Buffer.from(seen.picture.split(',')[1] ?? '', 'base64'));
    console.log(`artifact: the first H.264 frame the page painted at ${shot}`);
    await showsCube(await canvas.evaluate((element: HTMLCanvasElement) => element.toDataURL('image/png')), 'the still');
  } finally {
    await page.screenshot({ path: join(ARTIFACTS, 'video-with-webcodecs.png') });
    await page.close();
  }
});

test('without VideoDecoder the page announces no codec and the view paints JPEG frames', async () => {
  const page = await glstreamPage(browser);
  await page.addInitScript(() => {
    Reflect.deleteProperty(window, 'VideoDecoder');
  });
  try {
    const canvas = await showView(page, 'without-webcodecs.ipynb', 'image/jpeg');
    assert.equal(await page.evaluate(() => typeof (window as { VideoDecoder?: unknown }).VideoDecoder), 'undefined');
    const seen = await drag(page, canvas);
    console.log(`painted while dragging: ${seen.mimes.join(' ')}`);
    assert.ok(!seen.mimes.includes('video/h264'), 'no H.264 frame reached a page that cannot decode it');
    assert.ok(seen.mimes.filter((mime) => mime === 'image/jpeg').length >= 6, 'JPEG frames were painted');
    await showsCube(seen.picture, 'the first JPEG frame painted');
  } finally {
    await page.screenshot({ path: join(ARTIFACTS, 'video-without-webcodecs.png') });
    await page.close();
  }
});
