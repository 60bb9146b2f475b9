// A notebook saved with its outputs, opened where the widget cannot run, shows each view's picture and one line
// saying why it is not live. The quickstart is executed by nbclient (as `jupyter nbconvert --execute` does) and
// opened in JupyterLab, which does not trust a notebook it did not run itself: it runs none of the notebook's
// JavaScript, no widget included, and shows the view's output as its sanitised text/html.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import type { Browser, Page } from 'playwright-core';
import { glstreamPage, launchChromium } from '../support/browser.js';
import { decodeRgb, stats } from '../support/images.js';
import { startJupyter, type JupyterServer, VENV_BIN } from '../support/jupyter-server.js';
import { openNotebook } from '../support/notebook.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const ARTIFACTS = join(ROOT, 'artifacts', 'e2e');
// Run every cell of quickstart.ipynb in a fresh kernel and save the notebook with its outputs.
const EXECUTE = `
import sys, nbclient, nbformat
nb = nbformat.read(sys.argv[1], as_version=4)
nbclient.NotebookClient(nb, kernel_name="python3", timeout=120, resources={"metadata": {"path": sys.argv[2]}}).execute()
nbformat.write(nb, sys.argv[3])
`;

let server: JupyterServer;
let browser: Browser;
let page: Page;

before(async () => {
  const workdir = mkdtempSync(join(tmpdir(), 'glstream-saved-'));
  copyFileSync(join(ROOT, 'binder/examples/quickstart.ipynb'), join(workdir, 'quickstart.ipynb'));
  mkdirSync(ARTIFACTS, { recursive: true });
  await execa(`${VENV_BIN}/python`, [
    '-c',
    EXECUTE,
    join(workdir, 'quickstart.ipynb'),
    workdir,
    join(workdir, 'executed.ipynb'),
  ]);
  server = await startJupyter(workdir);
  browser = await launchChromium();
  page = await glstreamPage(browser);
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('an executed notebook opened untrusted shows the picture of its view and why it is not live', async () => {
  await openNotebook(page, `${server.url}/lab/tree/executed.ipynb?token=${server.token}`);
  const picture = page.locator('.jp-OutputArea-output img[alt="glstream view"]');
  await picture.waitFor({ state: 'visible', timeout: 60_000 });
  await picture.scrollIntoViewIfNeeded();
  const shown = await picture.evaluate((image: HTMLImageElement) => ({
    natural: `${image.naturalWidth}x${image.naturalHeight}`,
    scheme: image.src.slice(0, 'data:image/png;base64,'.length),
  }));
  assert.deepEqual(shown, { natural: '640x400', scheme: 'data:image/png;base64,' });
  const line = page.getByText("the widget's JavaScript did not run here");
  await line.waitFor({ timeout: 10_000 });
  assert.equal(await page.locator('canvas.glstream-canvas').count(), 0, 'no live view: the notebook is not trusted');

  const image = await decodeRgb(await picture.screenshot());
  const { mean, deviation } = stats(image);
  assert.ok(deviation > 10 && mean > 20, `the picture is blank or black (mean ${mean}, deviation ${deviation})`);
  await line.scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(ARTIFACTS, 'saved-notebook-untrusted.png') });
  console.log(
    `artifact: the executed quickstart opened untrusted at ${join(ARTIFACTS, 'saved-notebook-untrusted.png')}`,
  );
});
