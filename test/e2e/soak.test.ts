// Soak: JupyterLab in Chromium drives one notebook for GLSTREAM_SOAK_SECONDS (90 s in `make test`, 600 in
// `make soak`): each cycle adds and removes objects in the main view and resizes it (its width/height traits), opens
// a second Viewer, drags and wheel-zooms both views, resizes the browser's viewport and closes the second Viewer.
// The renderer's RSS is sampled every second, its file descriptors, its display's X resources (xrestop) and the temp
// files under the kernel's private TMPDIR at the end of each cycle. After warm-up the RSS stays within 10 %, and at
// the end nothing holds more than after the first cycle after warm-up; every drag and zoom changes the picture and
// no view shows an error. Samples and the verdict go to artifacts/soak.json (see support/soak-verdict.ts).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Locator, Page } from 'playwright-core';
import { glstreamPage, launchChromium } from '../support/browser.js';
import { dragToNewStill, painted, type Painted } from '../support/canvas.js';
import { meanAbsDiff } from '../support/images.js';
import { startJupyter, type JupyterServer } from '../support/jupyter-server.js';
import { MarkedCells, markedNotebook } from '../support/marked-cells.js';
import { openNotebook } from '../support/notebook.js';
import { alive } from '../support/proc.js';
import { filesUnder, openFds, rssKb, xResources } from '../support/process-sample.js';
import {
  type Checkpoint,
  countKinds,
  held,
  judge,
  type MemorySample,
  WARM_UP,
  xTotals,
} from '../support/soak-verdict.js';
import { waitFor } from '../support/wait.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const ARTIFACTS = join(ROOT, 'artifacts');
const CANVAS = 'canvas.glstream-canvas';
const SECONDS = Number(process.env['GLSTREAM_SOAK_SECONDS'] ?? 90);
const SAMPLE_MS = 1_000;

// What the kernel says about its renderer: pids, display and the temp folder the renderer writes under.
interface Probe {
  pid: number;
  xserver_pid: number | null;
  kernel_pid: number;
  display_env: Record<string, string>;
  tmp: string;
}

const CELLS: [string, string][] = [
  [
    '# setup',
    [
      'import json, os, tempfile',
      'import numpy as np',
      'import glstream',
      'from IPython.display import display',
      'rng = np.random.default_rng(12)',
      'def blob(n, bump):',
      '    """A bumpy sphere of n by n vertices."""',
      '    t, p = np.meshgrid(np.linspace(0, np.pi, n), np.linspace(0, 2 * np.pi, n), indexing="ij")',
      '    r = 1 + bump * np.sin(3 * t) * np.cos(4 * p)',
      '    xyz = np.stack([r * np.sin(t) * np.cos(p), r * np.sin(t) * np.sin(p), r * np.cos(t)], -1)',
      '    i, j = np.meshgrid(np.arange(n - 1), np.arange(n - 1), indexing="ij")',
      '    a = (i * n + j).ravel()',
      '    faces = np.concatenate([np.stack([a, a + n, a + 1], -1), np.stack([a + 1, a + n, a + n + 1], -1)])',
      '    return xyz.reshape(-1, 3).astype(np.float32), faces',
      'def mark(name, value):',
      '    """Write `value` to the file `name` at once (the test reads it as soon as it changes)."""',
      '    with open(name + ".part", "w") as file:',
      '        file.write(value)',
      '    os.replace(name + ".part", name)',
      'cycle, churn, extra = 0, [], None',
    ].join('\n'),
  ],
  [
    '# main',
    [
      'v = glstream.Viewer(width=520, height=340)',
      'base = blob(60, 0.2)',
      'v.add_mesh(*base, scalars=base[0][:, 2])',
      'v',
    ].join('\n'),
  ],
  [
    '# probe',
    [
      's = v.sidecar',
      'probe = {"pid": s.pid, "xserver_pid": s.xserver_pid, "kernel_pid": os.getpid(),',
      '         "display_env": s.display_env, "tmp": tempfile.gettempdir()}',
      'print(probe)',
      'mark("probe.json", json.dumps(probe))',
    ].join('\n'),
  ],
  [
    '# cycle',
    [
      'cycle += 1',
      'for old in churn:',
      '    v.remove(old)',
      'churn = [',
      '    v.add_mesh(*blob(20 + cycle % 7 * 5, 0.3), color="#ff8800", opacity=0.6),',
      '    v.add_points(rng.standard_normal((2000, 3)).astype(np.float32) * 1.2, size=3),',
      '    v.add_lines([rng.standard_normal((50, 3)).astype(np.float32)], color="#ffffff"),',
      '    v.add_slices(rng.random((24, 32, 40)).astype(np.float32), spacing=(0.05, 0.05, 0.05),',
      '                 origin=(-0.6, -0.8, -1.0)),',
      ']',
      'v.width, v.height = (520, 340) if cycle % 2 else (440, 300)',
      'extra = glstream.Viewer(width=360, height=240, background="#203040")',
      'extra.add_mesh(*blob(30, 0.1), color="#3388ff")',
      'display(extra)',
      'mark("cycle.txt", str(cycle))',
    ].join('\n'),
  ],
  ['# close', ['extra.close()', 'mark("closed.txt", str(cycle))'].join('\n')],
];

let server: JupyterServer;
let browser: Browser;
let page: Page;
let workdir: string;
let privateTmp: string;
let passed = false;

before(async () => {
  workdir = mkdtempSync(join(tmpdir(), 'glstream-e2e-soak-'));
  // The kernel, the renderer and its X server's cookie folder write their temp files here, away from other tests'.
  privateTmp = join(workdir, 'tmp');
  mkdirSync(privateTmp);
  writeFileSync(join(workdir, 'soak.ipynb'), markedNotebook(CELLS));
  mkdirSync(ARTIFACTS, { recursive: true });
  browser = await launchChromium();
  page = await glstreamPage(browser);
  const inherited = process.env['TMPDIR'];
  process.env['TMPDIR'] = privateTmp;
  try {
    server = await startJupyter(workdir);
  } finally {
    if (inherited === undefined) delete process.env['TMPDIR'];
    else process.env['TMPDIR'] = inherited;
  }
});

after(async () => {
  // the page as a failed run left it (a passing run has written soak-end.png)
  if (!passed) await page?.screenshot({ path: join(ARTIFACTS, 'soak-failed.png') }).catch(() => undefined);
  await browser?.close();
  await server?.stop();
});

test('the verdict fails a run whose memory, descriptors, X resources or temp files grow', () => {
  const x = { clients: 2, windows: 3, pixmaps: 4, gcs: 1, pictures: 0, other: 40, pixmapBytes: 0, totalBytes: 9 };
  const baseline: Checkpoint = { t: 30, cycle: 2, fds: 40, fdKinds: { socket: 10 }, x, tempFiles: ['glstream-x-1'] };
  const steady = Array.from({ length: 100 }, (_, t) => ({ t, rendererKb: 150_000 + (t % 10) * 3_000 }));
  assert.deepEqual(judge(100, steady, baseline, { ...baseline, cycle: 9 }).failures, []);
  const leaking = steady.map((sample) => ({ ...sample, rendererKb: sample.rendererKb + sample.t * 500 }));
  const final: Checkpoint = {
    t: 100,
    cycle: 9,
    fds: 47,
    fdKinds: { socket: 17 },
    x: { ...x, pixmaps: 11 },
    tempFiles: ['glstream-x-1', 'glstream-x-2'],
  };
  const failures = judge(100, leaking, baseline, final).failures;
  assert.equal(failures.length, 4, failures.join('\n'));
  assert.match(failures[0]!, /RSS grew/);
  assert.match(failures[1]!, /socket 10 → 17/);
  assert.match(failures[2]!, /pixmaps 4 → 11/);
  assert.match(failures[3]!, /new glstream-x-2/);
});

test(`${SECONDS} s of drags, zooms, resizes, objects and Viewers leave the renderer as it was`, async () => {
  const cells = new MarkedCells(page, workdir);
  await openNotebook(page, `${server.url}/lab/tree/soak.ipynb?token=${server.token}`);
  await cells.run('# setup');
  const main = cells.cell('# main').locator(CANVAS);
  await cells.run('# main');
  await main.and(page.locator('[data-still="true"]')).waitFor({ timeout: 120_000 });
  const probe = JSON.parse(await cells.produce('# probe', 'probe.json')) as Probe;
  console.log(`soak: renderer pid ${probe.pid}, X server ${probe.xserver_pid}, ${JSON.stringify(probe.display_env)}`);
  assert.equal(probe.tmp, privateTmp, "the kernel's temp folder is the test's own");
  assert.ok(probe.display_env['XAUTHORITY'], 'the renderer started its own display, with a cookie');
  const xEnv = { ...probe.display_env, PATH: process.env['PATH'] ?? '' };
  const xDir = dirname(probe.display_env['XAUTHORITY']!);
  assert.ok(xDir.startsWith(privateTmp), `the X cookie's folder ${xDir} is under the kernel's TMPDIR`);

  const checkpoint = async (cycle: number): Promise<Checkpoint> => {
    const fds = openFds(probe.pid);
    return {
      t: (Date.now() - start) / 1000,
      cycle,
      fds: fds.length,
      fdKinds: countKinds(fds),
      x: xTotals(await xResources(xEnv)),
      tempFiles: filesUnder(privateTmp),
    };
  };

  const samples: MemorySample[] = [];
  const start = Date.now();
  const sampler = setInterval(() => {
    const rendererKb = rssKb(probe.pid);
    if (rendererKb === undefined) return;
    samples.push({
      t: (Date.now() - start) / 1000,
      rendererKb,
      xserverKb: probe.xserver_pid === null ? undefined : rssKb(probe.xserver_pid),
      kernelKb: rssKb(probe.kernel_pid),
    });
  }, SAMPLE_MS);

  const checkpoints: Checkpoint[] = [];
  const changes = { drags: 0, zooms: 0, diffs: [] as number[] };
  const expectChange = (before: Painted, after: Painted, what: string) => {
    const diff = meanAbsDiff(before.image, after.image);
    changes.diffs.push(Math.round(diff * 10) / 10);
    assert.ok(diff > 1, `${what} changed the picture by only ${diff.toFixed(2)} per channel`);
  };
  let baseline: Checkpoint | undefined;
  let cycle = 0;
  try {
    while (cycle < 3 || Date.now() - start < SECONDS * 1000) {
      cycle += 1;
      assert.equal(await cells.produce('# cycle', 'cycle.txt'), String(cycle));
      const extra = cells.cell('# cycle').locator(CANVAS);
      await extra.and(page.locator('[data-still="true"]')).waitFor({ timeout: 60_000 });

      let shown = await settledStill(main);
      const dragged = await dragToNewStill(page, main, shown, `a new still of the main view after drag ${cycle}`);
      expectChange(shown, dragged, `drag ${cycle}`);
      changes.drags += 1;
      shown = dragged;
      const zoomed = await wheelToNewStill(main, shown, cycle % 2 === 0 ? 240 : -240);
      expectChange(shown, zoomed, `wheel zoom ${cycle}`);
      changes.zooms += 1;
      const extraShown = await settledStill(extra);
      expectChange(
        extraShown,
        await dragToNewStill(page, extra, extraShown, 'a still after dragging the extra view'),
        'a drag of the extra view',
      );
      changes.drags += 1;
      await page.setViewportSize({ width: cycle % 2 === 0 ? 1280 : 1080, height: 1000 });

      assert.equal(await cells.produce('# close', 'closed.txt'), String(cycle));
      await settledStill(main);
      assert.equal(await page.locator('.glstream-error:visible').count(), 0, 'no view shows an error');
      assert.ok(alive(probe.pid), `the renderer (pid ${probe.pid}) is still running after cycle ${cycle}`);
      const reached = await checkpoint(cycle);
      checkpoints.push(reached);
      if (baseline === undefined && reached.t >= WARM_UP * SECONDS) baseline = reached;
    }
  } finally {
    clearInterval(sampler);
  }
  // the run ends with its last cycle, a little after SECONDS: its windows are fractions of the time it ran
  const ran = (Date.now() - start) / 1000;
  assert.ok(baseline !== undefined && baseline.cycle < cycle, 'at least one cycle after the baseline');

  // What the last cycle opened may take a few seconds to go (a websocket's close, a collected buffer); a leak
  // stays, and the verdict below names what stayed, so a timeout here is not the failure itself.
  let final = checkpoints.at(-1)!;
  await waitFor(
    async () => {
      final = await checkpoint(cycle);
      return held(baseline!, final).length === 0;
    },
    15_000,
    'the renderer to hold no more than after the first cycle after warm-up',
  ).catch(() => undefined);

  const stderr = await page
    .locator('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')
    .allInnerTexts();
  const errors = await page
    .locator('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.error"]')
    .allInnerTexts();
  const verdict = judge(ran, samples, baseline, final);
  await main.scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(ARTIFACTS, 'soak-end.png') });
  writeFileSync(
    join(ARTIFACTS, 'soak.json'),
    `${JSON.stringify({ ...verdict, cycles: cycle, changes, probe, checkpoints, memory: samples }, null, 1)}\n`,
  );
  const { rss } = verdict;
  console.log(
    `soak ${Math.round(ran)} s, ${cycle} cycles, ${changes.drags} drags, ${changes.zooms} zooms: renderer RSS ` +
      `${rss.afterWarmUpMb} MB after warm-up → ${rss.endMb} MB at the end (${(rss.growth * 100).toFixed(1)} %, ` +
      `slope ${rss.slopeMbPerMin} MB/min); fds ${baseline.fds} → ${final.fds}; X windows/pixmaps/other ` +
      `${baseline.x.windows}/${baseline.x.pixmaps}/${baseline.x.other} → ` +
      `${final.x.windows}/${final.x.pixmaps}/${final.x.other}; temp files ${baseline.tempFiles.length} → ` +
      `${final.tempFiles.length}; artifacts/soak.json, artifacts/soak-end.png`,
  );
  assert.deepEqual(errors, [], 'no cell raised');
  assert.deepEqual(stderr, [], 'nothing was logged in a cell');
  assert.deepEqual(verdict.failures, []);
  passed = true;
});

// The canvas' picture once it is a lossless still (the view came to rest).
function settledStill(canvas: Locator): Promise<Painted> {
  return waitFor(
    async () => {
      const now = await painted(canvas);
      return now.still ? now : null;
    },
    30_000,
    'a view to come to rest',
  );
}

// Turn the wheel over the middle of `canvas` by `deltaY` and wait for the still painted after `before`.
async function wheelToNewStill(canvas: Locator, before: Painted, deltaY: number): Promise<Painted> {
  await canvas.scrollIntoViewIfNeeded();
  const box = (await canvas.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  for (let step = 0; step < 4; step += 1) await page.mouse.wheel(0, deltaY / 4);
  return waitFor(
    async () => {
      const now = await painted(canvas);
      return now.still && now.seq > before.seq ? now : null;
    },
    30_000,
    'a new still after the wheel zoom',
  );
}
