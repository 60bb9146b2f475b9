// Scientific scenes, for real: JupyterLab in Chromium runs scientific.ipynb (a surface coloured by a scalar field,
// a point cloud, streamlines and slices of a volume, each with a scalar bar, and a pick callback) and every view
// paints; a click on a canvas calls on_pick with what v.pick() says of that point, and a drag does not; the cameras
// of linked viewers move together under a drag in one of them; the painted frame follows a loop of scalar updates
// of a 100k-vertex mesh to its last one.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Locator, Page } from 'playwright-core';
import sharp from 'sharp';
import { glstreamPage, launchChromium } from '../support/browser.js';
import { painted } from '../support/canvas.js';
import { meanAbsDiff, type Rgb, stats } from '../support/images.js';
import { startJupyter, type JupyterServer } from '../support/jupyter-server.js';
import { openNotebook, runNotebook } from '../support/notebook.js';
import { type MarkedCell, MarkedCells, markedNotebook } from '../support/marked-cells.js';
import { waitFor } from '../support/wait.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const ARTIFACTS = join(ROOT, 'artifacts', 'e2e');
const CANVAS = 'canvas.glstream-canvas';
const EXAMPLE = 'binder/examples/scientific.ipynb';
const SCREENSHOT = '/tmp/e2e-scientific.png';
const README_PICTURE = join(ROOT, 'docs', 'scientific.png');

// Cells of the test's own notebook, each found by the marker comment it starts with; SETUP cells run first.
const CELLS: MarkedCell[] = [
  [
    '# setup',
    [
      'import json, pathlib, time',
      'import ipywidgets as widgets',
      'import numpy as np',
      'import glstream',
      '',
      'def grid(side):',
      '    """A flat side-by-side grid over [-1, 1]² in the plane z = 0: vertices and two triangles per cell."""',
      '    x, y = np.meshgrid(np.linspace(-1, 1, side), np.linspace(-1, 1, side))',
      '    i, j = np.meshgrid(np.arange(side - 1), np.arange(side - 1), indexing="ij")',
      '    a = (i * side + j).ravel()',
      '    faces = np.concatenate([np.stack([a, a + 1, a + side + 1], 1), np.stack([a, a + side + 1, a + side], 1)])',
      '    return np.stack([x, y, np.zeros_like(x)], -1).reshape(-1, 3), faces',
    ].join('\n'),
  ],
  [
    '# picking',
    [
      'picking = glstream.Viewer(width=400, height=300)',
      // a wall wider than the view: any point of the canvas is on it
      'wall = np.array([[-3, -3, 0], [3, -3, 0], [3, 3, 0], [-3, 3, 0]], dtype=np.float32)',
      'picking.add_mesh(wall, [[0, 1, 2], [0, 2, 3]], scalars=[0.0, 1.0, 2.0, 3.0], name="wall")',
      'picking.camera = {"position": (0.5, 0.2, 4), "target": (0.5, 0.2, 0), "up": (0, 1, 0)}',
      'seen = []',
      'picking.on_pick(seen.append)',
      'picking',
    ].join('\n'),
  ],
  ['# seen', 'pathlib.Path("seen.json").write_text(json.dumps([pick._asdict() for pick in seen]))'],
  [
    '# pick there',
    [
      'x, y = json.loads(pathlib.Path("click.json").read_text())',
      'hit = picking.pick(x, y)',
      'pathlib.Path("picked.json").write_text(json.dumps(hit and hit._asdict()))',
    ].join('\n'),
  ],
  [
    '# linked',
    [
      'vertices, faces = grid(60)',
      // a dome coloured by x: a turn of the camera changes the picture everywhere
      'vertices[:, 2] = 0.6 * np.exp(-3 * (vertices[:, 0] ** 2 + vertices[:, 1] ** 2))',
      'left = glstream.Viewer(width=400, height=300)',
      'dome = left.add_mesh(vertices, faces, scalars=vertices[:, 0], cmap="plasma", name="dome")',
      'right = glstream.Viewer(width=400, height=300)',
      'right.add(dome)',
      'glstream.link_cameras(left, right)',
      'widgets.HBox([left, right])',
    ].join('\n'),
  ],
  ['# cameras', 'pathlib.Path("cameras.json").write_text(json.dumps([left.camera, right.camera]))'],
  [
    '# big',
    [
      'vertices, faces = grid(317)',
      'big = glstream.Viewer(width=400, height=300)',
      'sheet = big.add_mesh(vertices, faces, scalars=np.zeros(len(vertices)), clim=(0, 1), name="sheet")',
      'big.camera = {"position": (0, 0, 2), "target": (0, 0, 0), "up": (0, 1, 0)}',
      'big',
    ].join('\n'),
  ],
  [
    '# updates',
    [
      // 59 updates in the purple-to-teal half of viridis, then one that makes the whole sheet its top yellow
      'rng = np.random.default_rng(0)',
      'started = time.perf_counter()',
      'for k in range(60):',
      '    last = k == 59',
      '    sheet.update(scalars=np.ones(len(vertices)) if last else rng.uniform(0, 0.5, len(vertices)))',
      'rate = 60 / (time.perf_counter() - started)',
      'pathlib.Path("updates.json").write_text(json.dumps({"vertices": len(vertices), "rate": rate}))',
    ].join('\n'),
  ],
];
const SETUP = 1;

let server: JupyterServer;
let browser: Browser;
let page: Page;
let workdir: string;
let cells: MarkedCells;

// A lossless still painted on `canvas` that is not blank, newer than frame `after`.
function stillOf(canvas: Locator, what: string, after = 0) {
  return waitFor(
    async () => {
      const now = await painted(canvas);
      return now.still && now.seq > after && stats(now.image).deviation > 10 ? now : null;
    },
    120_000,
    what,
  );
}

// The page coordinates of a point of `canvas` on whole page pixels near (dx, dy) from its corner, and that point
// as the widget reports a click there: CSS px from the canvas' top-left (fractional when the canvas is).
async function pointOn(canvas: Locator, dx: number, dy: number) {
  await canvas.scrollIntoViewIfNeeded();
  const rect = await canvas.evaluate((element) => {
    const { left, top } = element.getBoundingClientRect();
    return { left, top };
  });
  const at = { x: Math.round(rect.left + dx), y: Math.round(rect.top + dy) };
  return { page: at, view: [at.x - rect.left, at.y - rect.top] as [number, number] };
}

// The pick the kernel's picking.pick() returns for a point of the view.
async function pickAt(point: [number, number]): Promise<Pick | null> {
  writeFileSync(join(workdir, 'click.json'), JSON.stringify(point));
  return JSON.parse(await cells.produce('# pick there', 'picked.json')) as Pick | null;
}

interface Pick {
  object: string;
  kind: string;
  index: number | number[];
  position: [number, number, number];
  vertex: number | null;
  value: number | null;
}

function assertSamePick(actual: Pick | undefined, expected: Pick | null, what: string): void {
  assert.ok(actual !== undefined && expected !== null, `${what}: ${JSON.stringify({ actual, expected })}`);
  const { position, ...rest } = actual;
  const { position: expectedPosition, ...expectedRest } = expected;
  assert.deepEqual(rest, expectedRest, what);
  for (const [axis, value] of position.entries())
    assert.ok(
      Math.abs(value - expectedPosition[axis]!) <= 1e-6,
      `${what}: position ${position} vs ${expectedPosition} on axis ${axis}`,
    );
}

// The picks on_pick received, once there are at least `count`.
function seenPicks(count: number): Promise<Pick[]> {
  return waitFor(
    async () => {
      const seen = (await JSON.parse(await cells.produce('# seen', 'seen.json'))) as Pick[];
      return seen.length >= count ? seen : null;
    },
    30_000,
    `on_pick to have been called ${count} time(s)`,
  );
}

// Shut down the kernel of the notebook at `path` (its sidecar and X server go with it).
async function shutDownKernelOf(path: string): Promise<void> {
  const api = (route: string, init?: RequestInit) => fetch(`${server.url}/api/${route}?token=${server.token}`, init);
  const sessions = (await (await api('sessions')).json()) as { id: string; path: string }[];
  for (const session of sessions.filter((session) => session.path === path))
    await api(`sessions/${session.id}`, { method: 'DELETE' });
}

// Whether a pixel is the yellow at the top of viridis (#fde725), however lit: red and green high, blue low.
function yellowish([red, green, blue]: number[]): boolean {
  return red! > 200 && green! > 180 && blue! < 0.5 * green!;
}

function pixel(image: Rgb, x: number, y: number): number[] {
  const at = (y * image.width + x) * 3;
  return [...image.data.subarray(at, at + 3)];
}

before(async () => {
  workdir = mkdtempSync(join(tmpdir(), 'glstream-scientific-'));
  writeFileSync(join(workdir, 'checks.ipynb'), markedNotebook(CELLS));
  copyFileSync(join(ROOT, EXAMPLE), join(workdir, 'scientific.ipynb'));
  mkdirSync(ARTIFACTS, { recursive: true });
  server = await startJupyter(workdir);
  browser = await launchChromium();
});

after(async () => {
  await page?.screenshot({ path: join(ARTIFACTS, 'scientific-checks-final.png') }).catch(() => undefined);
  await browser?.close();
  await server?.stop();
});

test(`${EXAMPLE} runs to the end; every view paints its picture, and a click prints what it picked`, async () => {
  const example = await glstreamPage(browser);
  try {
    const started = Date.now();
    await runNotebook(
      example,
      `${server.url}/lab/workspaces/example/tree/scientific.ipynb?reset&token=${server.token}`,
    );
    const cells = example.locator('.jp-CodeCell');
    await cells.last().locator('.jp-OutputArea-output', { hasText: 'Pick(' }).waitFor({ timeout: 300_000 });
    console.log(`${EXAMPLE} ran in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    const prompts = await cells.locator('.jp-InputPrompt').allTextContents();
    assert.ok(
      prompts.every((prompt) => /\[\d+\]/.test(prompt)),
      `every cell ran: ${prompts.join(' ')}`,
    );
    const errors = await example.locator('[data-mime-type="application/vnd.jupyter.stderr"]').allTextContents();
    assert.deepEqual(errors, [], 'no cell wrote an error or a warning');

    const canvases = example.locator(CANVAS);
    const viewCells = cells.filter({ has: example.locator(CANVAS) });
    assert.equal(await canvases.count(), 4, 'four views: surface, points, streamlines, slices');
    for (const [index, name] of ['surface', 'points', 'streamlines', 'slices'].entries()) {
      const canvas = canvases.nth(index);
      await canvas.scrollIntoViewIfNeeded();
      const frame = await stillOf(canvas, `the ${name} view to paint a still that is not blank`);
      const { mean, deviation } = stats(frame.image);
      console.log(
        `${name}: ${frame.image.width}x${frame.image.height}, seq ${frame.seq}, ` +
          `mean ${mean.toFixed(1)}, deviation ${deviation.toFixed(1)}`,
      );
      assert.equal(`${frame.image.width}x${frame.image.height}`, '700x420');
    }

    // The notebook's with_picks() prints each click under its view.
    for (const [index, printed] of [
      [0, /hills \(mesh\) #\d+ at \[.+\], value /],
      [3, /orbital \(slices\) #\(\d+, \d+, \d+\) at \[.+\], value /],
    ] as const) {
      const canvas = canvases.nth(index);
      const output = viewCells.nth(index).locator('.widget-output');
      // JupyterLab may still be scrolling the cell into place (a slow machine); a click that lands beside the
      // canvas prints nothing, so the click is made again, on the canvas where it is now, until one lands.
      let clicked = 0;
      let clicks = 0;
      const text = await waitFor(
        async () => {
          const now = await output.textContent();
          if (now !== null && printed.test(now)) return now;
          if (performance.now() - clicked > 3_000) {
            await canvas.scrollIntoViewIfNeeded();
            const box = (await canvas.boundingBox())!;
            await example.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
            clicked = performance.now();
            clicks += 1;
          }
          return null;
        },
        30_000,
        `a click on view ${index + 1} to print its pick under it`,
      );
      console.log(`click on view ${index + 1} printed (after ${clicks} click(s)): ${text.trim()}`);
    }

    // The whole notebook in one picture: the file browser closed, a viewport as tall as the notebook's content.
    await example.locator('.jp-SideBar.jp-mod-left .lm-TabBar-tab.lm-mod-current').click();
    const tall = await example
      .locator('.jp-WindowedPanel-outer')
      .evaluate((element) => window.innerHeight - element.clientHeight + element.scrollHeight);
    await example.setViewportSize({ width: 1280, height: tall });
    await canvases.first().scrollIntoViewIfNeeded();
    for (const index of [0, 1, 2, 3]) await stillOf(canvases.nth(index), `view ${index + 1} after the resize`);
    // the canvas clicked last keeps the keyboard, and its focus ring: give it back
    await example.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    const end = (await cells.last().boundingBox())!;
    await example.screenshot({ path: SCREENSHOT, clip: { x: 0, y: 0, width: 1280, height: end.y + end.height + 24 } });
    copyFileSync(SCREENSHOT, join(ARTIFACTS, 'scientific.png'));
    console.log(`artifact: ${SCREENSHOT}`);
    await readmePicture(example, viewCells);
  } finally {
    await example.close();
    await shutDownKernelOf('scientific.ipynb');
  }
});

// The README's picture: the four views as JupyterLab shows them, with the picks printed under them, two by two,
// as a palette PNG about 1000 pixels wide.
async function readmePicture(example: Page, viewCells: Locator): Promise<void> {
  const gap = 16;
  const tiles: { input: Buffer; width: number; height: number }[] = [];
  for (const index of [0, 1, 2, 3]) {
    const view = (await viewCells.nth(index).locator(CANVAS).boundingBox())!;
    const below = (await viewCells.nth(index).locator('.widget-vbox').boundingBox())!;
    const clip = { x: view.x, y: view.y, width: view.width, height: below.y + below.height - view.y };
    tiles.push({
      input: await example.screenshot({ clip }),
      width: Math.round(clip.width),
      height: Math.round(clip.height),
    });
  }
  const width = Math.max(...tiles.map((tile) => tile.width)) + gap;
  const height = Math.max(...tiles.map((tile) => tile.height)) + gap;
  const placed = tiles.map(({ input }, index) => ({ input, left: (index % 2) * width, top: (index >> 1) * height }));
  const canvas = { width: 2 * width - gap, height: 2 * height - gap, channels: 3 as const, background: '#ffffff' };
  const mosaic = await sharp({ create: canvas }).composite(placed).png().toBuffer();
  await sharp(mosaic).resize({ width: 1000 }).png({ palette: true, quality: 90, effort: 10 }).toFile(README_PICTURE);
  console.log(`README picture: ${README_PICTURE}, ${statSync(README_PICTURE).size} bytes`);
}

test('a click on the canvas calls on_pick with what v.pick() says of that point; a drag does not', async () => {
  page = await glstreamPage(browser);
  cells = new MarkedCells(page, workdir);
  await openNotebook(page, `${server.url}/lab/tree/checks.ipynb?token=${server.token}`);
  for (const [marker] of CELLS.slice(0, SETUP)) await cells.run(marker);
  await cells.run('# picking');
  const canvas = cells.cell('# picking').locator(CANVAS);
  await stillOf(canvas, 'the picking view to paint its wall');

  const first = await pointOn(canvas, 150, 100);
  await page.mouse.click(first.page.x, first.page.y);
  const [clicked] = await seenPicks(1);
  const expected = await pickAt(first.view);
  console.log(`click at ${first.view}: on_pick got ${JSON.stringify(clicked)}; v.pick: ${JSON.stringify(expected)}`);
  assertSamePick(clicked, expected, 'the pick of the click');
  assert.equal(clicked!.object, 'wall');

  const before = await painted(canvas);
  const from = await pointOn(canvas, 120, 150);
  await page.mouse.move(from.page.x, from.page.y);
  await page.mouse.down();
  for (let step = 1; step <= 10; step += 1) await page.mouse.move(from.page.x + 4 * step, from.page.y);
  await page.mouse.up();
  await stillOf(canvas, 'a still after the drag', before.seq);
  // A click after the drag: once on_pick has seen it, it would have seen a pick of the drag before it.
  const second = await pointOn(canvas, 200, 150);
  await page.mouse.click(second.page.x, second.page.y);
  const seen = await seenPicks(2);
  assert.equal(seen.length, 2, `the drag called on_pick: ${JSON.stringify(seen)}`);
  assertSamePick(seen[1], await pickAt(second.view), 'the pick of the click after the drag');
});

test('linked cameras move together when one view is dragged in the browser', async () => {
  await cells.run('# linked');
  const [leftCanvas, rightCanvas] = [
    cells.cell('# linked').locator(CANVAS).first(),
    cells.cell('# linked').locator(CANVAS).last(),
  ];
  await stillOf(leftCanvas, 'the left view to paint the dome');
  const rightBefore = await stillOf(rightCanvas, 'the right view to paint the dome');
  const [cameraBefore] = (await JSON.parse(await cells.produce('# cameras', 'cameras.json'))) as Camera[];

  const from = await pointOn(leftCanvas, 200, 150);
  await page.mouse.move(from.page.x, from.page.y);
  await page.mouse.down();
  for (let step = 1; step <= 10; step += 1) await page.mouse.move(from.page.x + 6 * step, from.page.y + 2 * step);
  // Still dragging: the right view already follows.
  await waitFor(
    async () => {
      const now = await painted(rightCanvas);
      // frames during a drag may be smaller than the view: a new size is a new picture too
      const resized = now.image.width !== rightBefore.image.width;
      return now.seq > rightBefore.seq && (resized || meanAbsDiff(now.image, rightBefore.image) > 1);
    },
    30_000,
    'the right view to turn during the drag in the left one',
  );
  for (let step = 11; step <= 20; step += 1) await page.mouse.move(from.page.x + 6 * step, from.page.y + 2 * step);
  await page.mouse.up();
  const rightAfter = await stillOf(rightCanvas, 'a still of the right view after the drag', rightBefore.seq);
  const [left, right] = (await JSON.parse(await cells.produce('# cameras', 'cameras.json'))) as Camera[];
  console.log(
    `cameras before ${JSON.stringify(cameraBefore)}; after: ${JSON.stringify(left)} and ${JSON.stringify(right)}`,
  );
  for (const key of ['position', 'target', 'up'] as const) {
    for (const axis of [0, 1, 2])
      assert.ok(Math.abs(left![key][axis]! - right![key][axis]!) <= 1e-9, `${key}: ${left![key]} vs ${right![key]}`);
  }
  assert.equal(left!.fov, right!.fov);
  const moved = Math.hypot(...left!.position.map((value, axis) => value - cameraBefore!.position[axis]!));
  assert.ok(moved > 0.01, `the drag moved the cameras (by ${moved})`);
  assert.ok(meanAbsDiff(rightAfter.image, rightBefore.image) > 1, "the right view's canvas changed");
});

interface Camera {
  position: [number, number, number];
  target: [number, number, number];
  up: [number, number, number];
  fov: number;
}

test('the painted frame follows 60 scalar updates of a 100k-vertex mesh from a Python loop', async () => {
  await cells.run('# big');
  const canvas = cells.cell('# big').locator(CANVAS);
  const first = await stillOf(canvas, 'the sheet to be painted');
  const centre = (image: Rgb) => pixel(image, image.width >> 1, image.height >> 1);
  assert.ok(!yellowish(centre(first.image)), `the sheet starts at viridis' purple, not ${centre(first.image)}`);
  const { vertices, rate } = (await JSON.parse(await cells.produce('# updates', 'updates.json'))) as {
    vertices: number;
    rate: number;
  };
  console.log(`${vertices} vertices: ${rate.toFixed(1)} scalar updates/s from the loop`);
  const last = await waitFor(
    async () => {
      const now = await painted(canvas);
      return yellowish(centre(now.image)) ? now : null;
    },
    30_000,
    "the painted sheet to show the last update's yellow",
  );
  console.log(`centre of the painted sheet after the loop: ${centre(last.image)} (frame ${last.seq})`);
  const settled = await stillOf(canvas, 'a still after the updates', first.seq);
  assert.ok(yellowish(centre(settled.image)), `the still shows the last update: ${centre(settled.image)}`);
});
