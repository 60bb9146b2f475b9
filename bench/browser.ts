// End-to-end benchmark in Chromium through a real JupyterLab: glstream on each of its transports (direct
// websocket on loopback, the same through jupyter-server-proxy, the kernel's comm) and jupyter_rfb carrying
// pre-rendered frames of the same scene over its comm, each driven by the same scripted 10-second drag; first on
// this machine's loopback, then with the page opened through an emulated link (link-proxy.ts) of each kind.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium } from '../test/support/browser.js';
import { startJupyter } from '../test/support/jupyter-server.js';
import { type Case, DRAG, type Measured, type Route, runGlstream, runRfb } from './browser-run.js';
import { type LinkRuns, median, printBrowser, printTargets, targets } from './browser-table.js';
import { PAGE_TAP } from './frame-tap.js';
import { calibrate } from './link-calibrate.js';
import { LINKS, startLinkProxy } from './link-proxy.js';
import { instrument, stopKernels } from './page.js';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const LOOPBACK: Case = { peer: 'glstream', transport: 'loopback' };
const PROXY: Case = { peer: 'glstream', transport: 'proxy' };
const COMM: Case = { peer: 'glstream', transport: 'comm' };
const RFB: Case = { peer: 'jupyter_rfb', transport: 'comm' };
const MILLION: Case = { peer: 'glstream', transport: 'loopback', segments: 4096, sides: 128 };

async function main(): Promise<void> {
  const began = Date.now();
  const work = mkdtempSync(join(tmpdir(), 'glstream-bench-'));
  cpSync(join(HERE, 'notebooks'), work, { recursive: true });
  const server = await startJupyter(work);
  const proxy = await startLinkProxy(Number(new URL(server.url).port));
  const browser = await launchChromium();
  const page = await browser.newPage({ viewport: { width: 1800, height: 1100 }, deviceScaleFactor: 1 });
  try {
    await page.addInitScript(instrument);
    await page.addInitScript(PAGE_TAP);
    await page.goto(`${server.url}/lab?token=${server.token}`);
    const attempt = async (route: Route, what: Case): Promise<Measured> => {
      proxy.setLink(route.link);
      // Other work on this shared machine moves the figures: each run keeps the load it started under.
      const load = Number(loadavg()[0]!.toFixed(2));
      try {
        const measured =
          what.peer === 'jupyter_rfb' ? await runRfb(page, route) : await runGlstream(page, route, work, what);
        return { ...measured, load_1min: load };
      } finally {
        await stopKernels(server.url, server.token);
      }
    };
    // One more try after a failed run, so that a passing hitch (a kernel that died) does not lose the whole bench.
    const run = (route: Route, what: Case): Promise<Measured> =>
      attempt(route, what).catch((error: unknown) => {
        console.log(`${what.peer} ${what.transport} on ${route.link?.name ?? 'no link'} failed, once more: ${error}`);
        return attempt(route, what);
      });
    const direct: Route = { url: server.url, link: null, proxy: null };
    // The loopback runs are spread over the others, so that one busy spell of the machine does not take all three.
    const loopbackRuns = [await run(direct, LOOPBACK)];
    const proxyRun = await run(direct, PROXY);
    const commRun = await run(direct, COMM);
    loopbackRuns.push(await run(direct, LOOPBACK));
    const rfbRun = await run(direct, RFB);
    loopbackRuns.push(await run(direct, LOOPBACK));
    const million = await run(direct, MILLION);
    const fps = median(loopbackRuns.map((r) => r.delivered_fps));
    const noLink: LinkRuns = {
      link: null,
      glstream: { loopback: loopbackRuns.find((r) => r.delivered_fps === fps)!, proxy: proxyRun, comm: commRun },
      jupyter_rfb: rfbRun,
    };
    // Jupyter's login cookie names the port: log in on the proxy's origin too, with no link yet, which also fills
    // the page's cache as a returning user's would be.
    proxy.setLink(null);
    await page.goto(`http://127.0.0.1:${proxy.port}/lab?token=${server.token}`);
    const links: LinkRuns[] = [];
    for (const link of LINKS) {
      const calibration = await calibrate(link);
      const route: Route = { url: `http://127.0.0.1:${proxy.port}`, link, proxy };
      const proxied = await run(route, PROXY);
      const comm = await run(route, COMM);
      links.push({ link, calibration, glstream: { proxy: proxied, comm }, jupyter_rfb: await run(route, RFB) });
    }
    const ratios = (runs: LinkRuns) =>
      Object.fromEntries(
        Object.entries(runs.glstream).map(([transport, r]) => [
          transport,
          r.delivered_fps / runs.jupyter_rfb.delivered_fps,
        ]),
      );
    const list = targets(noLink, loopbackRuns, links);
    const browserResult = {
      drag_seconds: DRAG.ms / 1000,
      move_interval_ms: DRAG.interval,
      size: '1280x720',
      triangles: 16416,
      glstream: noLink.glstream,
      loopback_runs: loopbackRuns,
      glstream_1m_triangles_loopback: million,
      jupyter_rfb: noLink.jupyter_rfb,
      glstream_over_jupyter_rfb: ratios(noLink),
      links: Object.fromEntries(
        links.map((runs) => [
          runs.link!.name,
          { ...runs, glstream_over_jupyter_rfb: ratios(runs), note: 'loopback cannot cross a link' },
        ]),
      ),
      targets: list,
      wall_s: Math.round((Date.now() - began) / 1000),
    };
    const out = join(HERE, 'results', 'latest.json');
    const latest = existsSync(out) ? (JSON.parse(readFileSync(out, 'utf8')) as Record<string, unknown>) : {};
    mkdirSync(join(HERE, 'results'), { recursive: true });
    writeFileSync(out, `${JSON.stringify({ ...latest, browser: browserResult }, null, 2)}\n`);
    printBrowser(noLink, loopbackRuns, million, links);
    printTargets(list);
    console.log(`\nbrowser.ts took ${browserResult.wall_s} s; written to ${out}`);
  } finally {
    mkdirSync(join(HERE, 'results'), { recursive: true });
    await page.screenshot({ path: join(HERE, 'results', 'browser-last.png') }).catch(() => undefined);
    await browser.close();
    await proxy.close();
    await server.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
