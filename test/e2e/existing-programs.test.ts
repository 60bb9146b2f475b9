// Live views of existing programs, for real: JupyterLab in Chromium shows glxgears, an X program that reports
// its input, a VTK render window with a trackball interactor and a PyVista Plotter, each through glstream.show().
// The canvases paint what the programs draw, input on them reaches the programs, the VTK view keeps turning while
// a cell is busy or renders the same window in a loop, and a closed program makes its widget say so.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Locator, Page } from 'playwright-core';
import { glstreamPage, launchChromium } from '../support/browser.js';
import { painted } from '../support/canvas.js';
import { decodeRgb, meanAbsDiff, type Rgb, stats } from '../support/images.js';
import { startJupyter, type JupyterServer } from '../support/jupyter-server.js';
import { kernelStatus, openNotebook, runNotebook } from '../support/notebook.js';
import { type MarkedCell, MarkedCells, markedNotebook, mtime } from '../support/marked-cells.js';
import { waitFor } from '../support/wait.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const ARTIFACTS = join(ROOT, 'artifacts', 'e2e');
const REPORTER = join(ROOT, 'test', 'programs', 'report-input.py');
const CANVAS = 'canvas.glstream-canvas';
const EXAMPLE = 'binder/examples/existing-programs.ipynb';

// Each cell starts with a marker comment the test finds it by. The first SETUP cells run in order at the start;
// the others run when the test asks for them.
const CELLS: MarkedCell[] = [
  ['# setup', 'import json, pathlib, sys, time\nimport glstream\n%load_ext glstream'],
  [
    '# gears',
    'gears_app = glstream.run(["glxgears", "-geometry", "400x300+0+0"])\ngears = glstream.show(gears_app)\ngears',
  ],
  [
    '# reporter',
    // Mapped over glxgears at the same place: it covers that window on the display.
    `reporter_app = glstream.run([sys.executable, ${JSON.stringify(REPORTER)}, "400x300+0+0"])\n` +
      'reporter = glstream.show(reporter_app)\nreporter',
  ],
  [
    '# torus',
    [
      'import vtk',
      'source = vtk.vtkParametricFunctionSource()',
      'source.SetParametricFunction(vtk.vtkParametricTorus())',
      'mapper = vtk.vtkPolyDataMapper()',
      'mapper.SetInputConnection(source.GetOutputPort())',
      'actor = vtk.vtkActor()',
      'actor.SetMapper(mapper)',
      'actor.GetProperty().SetColor(0.9, 0.5, 0.2)',
      'renderer = vtk.vtkRenderer()',
      'renderer.AddActor(actor)',
      'renderer.SetBackground(0.1, 0.12, 0.16)',
      'render_window = vtk.vtkRenderWindow()',
      'render_window.AddRenderer(renderer)',
      'render_window.SetSize(480, 360)',
      'interactor = vtk.vtkRenderWindowInteractor()',
      'interactor.SetRenderWindow(render_window)',
      'interactor.SetInteractorStyle(vtk.vtkInteractorStyleTrackballCamera())',
      'torus = glstream.show(render_window)',
      'torus',
    ].join('\n'),
  ],
  [
    '# plotter',
    'import pyvista as pv\npl = pv.Plotter()\npl.add_mesh(pv.Cone(), color="tan", show_edges=True)\n' +
      'sphere = glstream.show(pl, width=320, height=240)\nsphere',
  ],
  ['# events', 'pathlib.Path("report.json").write_text(json.dumps(reporter_app.output(1000)))'],
  [
    '# camera',
    'camera = renderer.GetActiveCamera()\n' +
      'pathlib.Path("camera.json").write_text(json.dumps([camera.GetPosition(), camera.GetViewUp()]))',
  ],
  [
    '# vtk screenshot',
    [
      'grab = vtk.vtkWindowToImageFilter()',
      'grab.SetInput(render_window)',
      'grab.ReadFrontBufferOff()',
      'writer = vtk.vtkPNGWriter()',
      'writer.SetFileName("vtk.png")',
      'writer.SetInputConnection(grab.GetOutputPort())',
      'writer.Write()',
    ].join('\n'),
  ],
  ['# busy', 'started = time.time()\nwhile time.time() - started < 12:\n    pass'],
  [
    '# render loop',
    'for turn in range(240):\n    actor.RotateZ(1.5)\n    render_window.Render()\nprint("rendered", turn + 1)',
  ],
  ['# resize', 'gears.width, gears.height = 480, 360'],
  ['# close', 'gears_app.terminate()'],
];
const SETUP = 5;

let server: JupyterServer;
let browser: Browser;
let page: Page;
let workdir: string;
let cells: MarkedCells;

// A drag across `canvas` from its point (x0, y0) to (x1, y1), in `steps` moves.
async function drag(canvas: Locator, from: [number, number], to: [number, number], steps = 20): Promise<void> {
  // Running a cell scrolls the notebook to it: bring the canvas back first.
  await canvas.scrollIntoViewIfNeeded();
  const box = (await canvas.boundingBox())!;
  await page.mouse.move(box.x + from[0], box.y + from[1]);
  await page.mouse.down();
  for (let step = 1; step <= steps; step += 1) {
    const t = step / steps;
    await page.mouse.move(box.x + from[0] + (to[0] - from[0]) * t, box.y + from[1] + (to[1] - from[1]) * t);
  }
  await page.mouse.up();
}

// The next still painted after frame `seq` that differs from `from` (a still of the state before, drawn again
// for a resize of the page, does not count).
async function stillAfter(canvas: Locator, seq: number, from: Rgb, what: string) {
  return waitFor(
    async () => {
      const now = await painted(canvas);
      return now.still && now.seq > seq && meanAbsDiff(now.image, from) > 1 ? now : null;
    },
    30_000,
    what,
  );
}

// The share of pixels close to the reporter's fill colour (orange, #ff8000).
function orangeShare(image: Rgb): number {
  let orange = 0;
  for (let i = 0; i < image.data.length; i += 3) {
    if (image.data[i]! > 220 && Math.abs(image.data[i + 1]! - 128) < 30 && image.data[i + 2]! < 40) orange += 1;
  }
  return orange / (image.data.length / 3);
}

async function screenshot(name: string): Promise<void> {
  await page.screenshot({ path: join(ARTIFACTS, name), fullPage: false });
  console.log(`artifact: ${join(ARTIFACTS, name)}`);
}

before(async () => {
  workdir = mkdtempSync(join(tmpdir(), 'glstream-programs-'));
  writeFileSync(join(workdir, 'programs.ipynb'), markedNotebook(CELLS));
  copyFileSync(join(ROOT, EXAMPLE), join(workdir, 'existing-programs.ipynb'));
  mkdirSync(ARTIFACTS, { recursive: true });
  server = await startJupyter(workdir);
  browser = await launchChromium();
  page = await glstreamPage(browser);
  cells = new MarkedCells(page, workdir);
  await openNotebook(page, `${server.url}/lab/tree/programs.ipynb?token=${server.token}`);
  for (const [marker] of CELLS.slice(0, SETUP)) await cells.run(marker);
});

after(async () => {
  await page?.screenshot({ path: join(ARTIFACTS, 'programs-final.png') }).catch(() => undefined);
  await browser?.close();
  await server?.stop();
});

test('glxgears is captured live, whole although covered, and follows a resize of its cell', async () => {
  const canvas = cells.cell('# gears').locator(CANVAS);
  await canvas
    .locator('xpath=.')
    .and(page.locator(`${CANVAS}[data-source="x"]`))
    .waitFor({ timeout: 120_000 });
  const first = await painted(canvas);
  const { deviation } = stats(first.image);
  assert.ok(deviation > 10, `the glxgears frame is blank (deviation ${deviation.toFixed(1)})`);
  assert.equal(`${first.image.width}x${first.image.height}`, '400x300');
  await cells.cell('# reporter').locator(`${CANVAS}[data-source="x"]`).waitFor({ timeout: 60_000 });
  const turned = await waitFor(
    async () => {
      const now = await painted(canvas);
      return now.seq > first.seq && meanAbsDiff(now.image, first.image) > 0.5 ? now : null;
    },
    30_000,
    'the painted gears to turn',
  );
  const covered = orangeShare(turned.image);
  console.log(`gears: frame ${first.seq} → ${turned.seq}, share of the covering window's orange ${covered}`);
  assert.ok(covered < 0.001, `the window covering glxgears shows in its capture (${(covered * 100).toFixed(1)} %)`);
  await canvas.scrollIntoViewIfNeeded();
  await screenshot('programs-gears.png');

  await cells.run('# resize');
  // The first frame at the new size may be the window cleared by the X server before glxgears drew into it:
  // wait for glxgears' picture at that size.
  await waitFor(
    async () => {
      const now = await painted(canvas);
      return now.image.width === 480 && now.image.height === 360 && stats(now.image).deviation > 10;
    },
    30_000,
    'glxgears to be captured, painted, at the size of its resized cell',
  );
});

test('pointer, wheel and keys on the canvas reach the X program at the right place', async () => {
  const canvas = cells.cell('# reporter').locator(CANVAS);
  await canvas.scrollIntoViewIfNeeded();
  await drag(canvas, [100, 80], [200, 150]);
  const box = (await canvas.boundingBox())!;
  await page.mouse.move(box.x + 50, box.y + 40);
  await page.mouse.wheel(0, 120);
  await page.keyboard.press('a');
  await page.keyboard.press('Shift+A');
  await page.keyboard.press('Enter');
  const events = await waitFor(
    async () => {
      const lines = JSON.parse(await cells.produce('# events', 'report.json')) as string[];
      const parsed = lines.filter((line) => line.startsWith('{')).map((line) => JSON.parse(line));
      return parsed.some((event) => event.type === 'key' && event.name === 'Return') ? parsed : null;
    },
    30_000,
    'the reporter to print the Enter key',
  );
  const near = (event: { x: number; y: number }, x: number, y: number) =>
    Math.abs(event.x - x) <= 1 && Math.abs(event.y - y) <= 1;
  const press = events.find((event) => event.type === 'press' && event.button === 1);
  const release = events.find((event) => event.type === 'release' && event.button === 1);
  console.log(
    `reporter saw ${events.length} events; press ${JSON.stringify(press)}, release ${JSON.stringify(release)}`,
  );
  assert.ok(press && near(press, 100, 80), `button 1 pressed at (100, 80): ${JSON.stringify(press)}`);
  assert.ok(release && near(release, 200, 150), `button 1 released at (200, 150): ${JSON.stringify(release)}`);
  assert.ok(
    events.some((event) => event.type === 'motion' && near(event, 150, 115)),
    'the drag moved the pointer through the middle',
  );
  assert.ok(
    events.some((event) => event.type === 'press' && event.button === 5 && near(event, 50, 40)),
    'the wheel towards the user is button 5, where the pointer is',
  );
  // Shift+A is a press of Shift, which the program receives too, then of A.
  const keys = events
    .filter((event) => event.type === 'key' && !String(event.name).startsWith('Shift'))
    .map((event) => event.name);
  assert.deepEqual(keys.slice(-3), ['a', 'A', 'Return']);
});

test('a drag turns the VTK camera, and the still matches VTK’s own screenshot', async () => {
  const canvas = cells.cell('# torus').locator(CANVAS);
  await cells.cell('# torus').locator(`${CANVAS}[data-still="true"][data-source="vtk"]`).waitFor({ timeout: 120_000 });
  await canvas.scrollIntoViewIfNeeded();
  const first = await painted(canvas);
  assert.equal(`${first.image.width}x${first.image.height}`, '480x360');
  assert.ok(stats(first.image).deviation > 10, 'the VTK frame is blank');
  const cameraBefore = await cells.produce('# camera', 'camera.json');
  await drag(canvas, [240, 180], [330, 220]);
  await stillAfter(canvas, first.seq, first.image, 'a still showing the drag');
  const cameraAfter = await cells.produce('# camera', 'camera.json');
  console.log(`camera before ${cameraBefore}, after ${cameraAfter}`);
  assert.notEqual(cameraAfter, cameraBefore, 'the drag turned VTK’s camera');
  await screenshot('programs-vtk.png');

  const screenshotPath = join(workdir, 'vtk.png');
  const before = mtime(screenshotPath);
  await cells.run('# vtk screenshot');
  // written in place: wait until the whole PNG is there
  const own = await waitFor(
    () => (mtime(screenshotPath) > before ? decodeRgb(screenshotPath).catch(() => null) : null),
    60_000,
    'VTK’s own screenshot',
  );
  const now = await painted(canvas);
  const diff = meanAbsDiff(now.image, own);
  console.log(`painted still vs VTK's screenshot: mean abs diff ${diff.toFixed(3)}`);
  assert.ok(diff < 1, `the painted frame differs from VTK's own screenshot by ${diff.toFixed(2)} per channel`);
});

test('the VTK view turns while a cell is busy, and survives a cell that renders the window in a loop', async () => {
  const canvas = cells.cell('# torus').locator(CANVAS);
  await canvas.scrollIntoViewIfNeeded();
  await cells.run('# busy');
  await kernelStatus(page, 'Busy').waitFor({ timeout: 10_000 });
  const before = await painted(canvas);
  await drag(canvas, [200, 180], [100, 120]);
  await stillAfter(canvas, before.seq, before.image, 'a still showing the drag while the kernel is busy');
  assert.ok(await kernelStatus(page, 'Busy').isVisible(), 'the cell was still running');
  await kernelStatus(page, 'Idle').waitFor({ timeout: 60_000 });

  await cells.run('# render loop');
  const loop = cells.cell('# render loop');
  for (let round = 0; round < 6; round += 1) {
    await drag(canvas, [150, 150], [300, 200], 10);
    await drag(canvas, [300, 200], [150, 150], 10);
  }
  await loop.locator('.jp-OutputArea-output', { hasText: 'rendered 240' }).waitFor({ timeout: 120_000 });
  await kernelStatus(page, 'Idle').waitFor({ timeout: 60_000 });
  const afterLoop = await painted(canvas);
  await drag(canvas, [240, 180], [280, 260]);
  await stillAfter(canvas, afterLoop.seq, afterLoop.image, 'a still showing a drag after the render loop');
  await cells.produce('# camera', 'camera.json');
});

test('a PyVista Plotter is shown live', async () => {
  const canvas = cells.cell('# plotter').locator(CANVAS);
  await cells
    .cell('# plotter')
    .locator(`${CANVAS}[data-still="true"][data-source="vtk"]`)
    .waitFor({ timeout: 120_000 });
  await canvas.scrollIntoViewIfNeeded();
  const first = await painted(canvas);
  assert.equal(`${first.image.width}x${first.image.height}`, '320x240');
  assert.ok(stats(first.image).deviation > 10, 'the PyVista frame is blank');
  await drag(canvas, [160, 120], [240, 150]);
  await stillAfter(canvas, first.seq, first.image, 'a still showing the Plotter turned by the drag');
  await screenshot('programs-pyvista.png');
});

test('ending a program makes its widget say so; the other views keep working', async () => {
  await cells.run('# close');
  const error = cells.cell('# gears').locator('.glstream-error', { hasText: /\S/ });
  await error.waitFor({ state: 'visible', timeout: 30_000 });
  // textContent: JupyterLab does not render cells scrolled far away, and innerText of those is empty.
  const text = (await error.textContent()) ?? '';
  console.log(`widget error after glxgears ended: ${text}`);
  assert.match(text, /closed/);
  await error.scrollIntoViewIfNeeded();
  await screenshot('programs-closed.png');
  const canvas = cells.cell('# torus').locator(CANVAS);
  await canvas.scrollIntoViewIfNeeded();
  const before = await painted(canvas);
  await drag(canvas, [240, 180], [180, 100]);
  await stillAfter(canvas, before.seq, before.image, 'the VTK view to keep turning');
});

test(`${EXAMPLE} runs, and shows PyVista, VTK and glxgears live`, async () => {
  const example = await glstreamPage(browser, 1400);
  try {
    await runNotebook(
      example,
      `${server.url}/lab/workspaces/example/tree/existing-programs.ipynb?reset&token=${server.token}`,
    );
    const canvases = example.locator(CANVAS);
    await waitFor(async () => (await canvases.count()) === 3, 120_000, 'the three live views');
    for (const [index, source] of ['vtk', 'vtk', 'x'].entries()) {
      const canvas = canvases.nth(index);
      await canvas.scrollIntoViewIfNeeded();
      const frame = await waitFor(
        async () => {
          if ((await canvas.getAttribute('data-source')) !== source) return null;
          const now = await painted(canvas);
          return now.seq > 0 && stats(now.image).deviation > 10 ? now : null;
        },
        120_000,
        `view ${index + 1} (${source}) to paint a frame that is not blank`,
      );
      console.log(`example view ${index + 1}: ${source}, ${frame.image.width}x${frame.image.height}, seq ${frame.seq}`);
    }
    for (const [index, name] of ['existing-programs.png', 'existing-programs-vtk-x.png'].entries()) {
      await canvases.nth(index * 2).scrollIntoViewIfNeeded();
      await example.screenshot({ path: join(ARTIFACTS, name) });
      console.log(`artifact: ${join(ARTIFACTS, name)}`);
    }
  } finally {
    await example.screenshot({ path: join(ARTIFACTS, 'existing-programs-final.png') }).catch(() => undefined);
    await example.close();
  }
});
