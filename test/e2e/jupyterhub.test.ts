// A real JupyterHub with three local users: each logs in, opens the quickstart in their own server under
// /user/<name>/, and sees their own live view through the proxy transport (the renderer's websocket through their
// server's jupyter-server-proxy, as a browser on another machine reaches it); a drag moves it. Then what one user
// must not reach of another's: the renderer's websocket (wrong key through their own server, or the other's server,
// which the hub does not let them into) and the X display (no cookie).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium } from '../support/browser.js';
import { dragToNewStill, painted } from '../support/canvas.js';
import { meanAbsDiff, stats, type Rgb } from '../support/images.js';
import { startHub, type Hub } from '../support/hub.js';
import { createUser, letUsersReach, processesOf, removeUser, runAs, type LocalUser } from '../support/hub-users.js';
import { openNotebook, runMenu } from '../support/notebook.js';
import { waitFor } from '../support/wait.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const ARTIFACTS = join(ROOT, 'artifacts', 'e2e');
const CANVAS = 'canvas.glstream-canvas';
const NAMES = ['glsh-ada', 'glsh-bob', 'glsh-cyd'];
// Each user's knot has a colour of its own (ada's is the quickstart's), whose strongest channel tells it apart.
const COLORS: Record<string, { color: string; channel: number }> = {
  'glsh-ada': { color: '#44aa88', channel: 1 },
  'glsh-bob': { color: '#dd6633', channel: 0 },
  'glsh-cyd': { color: '#5577ee', channel: 2 },
};
const PASSWORD = 'glstream-hub-test';
// The last cell of each user's copy: what the other tests need to know of this user's view and display (a ticket
// for one more connection to the view, asked of the renderer as the widget's kernel side asks for one).
const SECRETS_CELL = [
  'import json',
  'ticket, _ = v.sidecar.request("direct", {"view": v._view_id})',
  'secrets = {**ticket, "view": v._view_id, "display": v.sidecar.display, "xauthority": v.sidecar.xauthority}',
  'print("GLSH", json.dumps(secrets))',
].join('\n');

// What a user's kernel printed about its view: the renderer's port, a single-use ticket and the view, and the X
// display.
interface Secrets {
  port: number;
  key: string;
  view: string;
  display: string;
  xauthority: string;
}

// A user, their browser context and page, and what their kernel printed.
interface Session {
  user: LocalUser;
  context: BrowserContext;
  page: Page;
  secrets: Secrets;
}

let hub: Hub | undefined;
let restorePermissions = () => {};
let browser: Browser | undefined;
const users: LocalUser[] = [];
const sessions = new Map<string, Session>();

// The quickstart in the user's colour, ending with the cell that prints the secrets, in `user`'s home and owned by
// them.
function copyQuickstart(user: LocalUser): void {
  const notebook = JSON.parse(readFileSync(join(ROOT, 'binder/examples/quickstart.ipynb'), 'utf8'));
  for (const cell of notebook.cells as { source: string | string[] }[]) {
    const source = Array.isArray(cell.source) ? cell.source.join('') : cell.source;
    cell.source = source.replace('color="#44aa88"', `color="${COLORS[user.name]!.color}"`);
  }
  notebook.cells.push({ cell_type: 'code', execution_count: null, metadata: {}, outputs: [], source: SECRETS_CELL });
  const path = join(user.home, 'quickstart.ipynb');
  writeFileSync(path, JSON.stringify(notebook));
  chownSync(path, user.uid, user.uid);
  chmodSync(path, 0o644);
}

before(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  for (const name of NAMES) users.push(await createUser(name));
  for (const user of users) copyQuickstart(user);
  // The users' servers, kernels and renderers run the repository's venv, Node.js packages and sidecar.
  restorePermissions = letUsersReach([join(ROOT, '.venv/bin/python'), join(ROOT, 'node_modules/gl/package.json')]);
  hub = await startHub({
    users: NAMES,
    password: PASSWORD,
    // The browser runs on this machine, where "auto" would reach the renderer at 127.0.0.1 directly; a hub's users
    // browse from elsewhere, and only their server's proxy reaches it.
    environment: { GLSTREAM_TRANSPORT: 'proxy' },
  });
  browser = await launchChromium();
});

after(async () => {
  for (const { page, user } of sessions.values())
    await page.screenshot({ path: join(ARTIFACTS, `jupyterhub-${user.name}-final.png`) }).catch(() => undefined);
  await browser?.close();
  const proxy = (await hub?.stop()) ?? [];
  // The servers' kernels, renderers and X servers end after them.
  const running = () => users.flatMap((user) => processesOf(user.uid).map((pid) => `${user.name}: pid ${pid}`));
  await waitFor(() => running().length === 0, 20_000, "the users' processes to end").catch(() => undefined);
  const cookies = [...sessions.values()].map(({ secrets }) => dirname(secrets.xauthority)).filter(existsSync);
  const left = [...proxy, ...running(), ...cookies];
  for (const user of users) await removeUser(user.name);
  restorePermissions();
  if (hub !== undefined && left.length > 0) console.log(`hub log:\n${hub.log().slice(-5_000)}`);
  assert.deepEqual(left, [], 'stopping the hub stops every server it spawned, its proxy, and what they started');
});

// The channel (0 red, 1 green, 2 blue) strongest on average over the coloured pixels of `image`.
function strongestChannel(image: Rgb): number {
  const sums = [0, 0, 0];
  for (let i = 0; i < image.data.length; i += 3) {
    const pixel = [image.data[i]!, image.data[i + 1]!, image.data[i + 2]!];
    if (Math.max(...pixel) - Math.min(...pixel) < 40) continue; // grey: the background, the stats overlay
    pixel.forEach((value, channel) => {
      sums[channel]! += value;
    });
  }
  return sums.indexOf(Math.max(...sums));
}

// Log `user` in, open their quickstart, run it; resolves once the view painted, with the times to its first frame.
async function runQuickstart(user: LocalUser): Promise<{ fromOpen: number; fromRun: number }> {
  const context = await browser!.newContext({ viewport: { width: 1280, height: 1000 }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  page.on('console', (message) => {
    if (message.text().includes('glstream')) console.log(`[${user.name}] ${message.text()}`);
  });
  await page.goto(`${hub!.url}/hub/login`);
  await page.locator('#username_input').fill(user.name);
  await page.locator('#password_input').fill(PASSWORD);
  await page.locator('#login_submit').click();
  // The hub spawns the server, then sends the browser to its default URL.
  await page.waitForURL(new RegExp(`/user/${user.name}/lab`), { timeout: 180_000 });
  const opened = performance.now();
  await openNotebook(page, `${hub!.url}/user/${user.name}/lab/tree/quickstart.ipynb`);
  await page.locator('.jp-Notebook .jp-Cell').first().click();
  const ran = performance.now();
  await runMenu(page, /^Run All Cells$/);
  await page.locator(`${CANVAS}[data-seq]`).waitFor({ timeout: 120_000 });
  const painted = performance.now();
  const printed = await waitFor(
    async () => {
      const text = await page
        .locator('.jp-CodeCell', { hasText: 'print("GLSH"' })
        .locator('.jp-OutputArea-output')
        .innerText()
        .catch(() => '');
      return /^GLSH (\{.*\})$/m.exec(text)?.[1];
    },
    60_000,
    `${user.name}'s kernel to print its view's secrets`,
  );
  sessions.set(user.name, { user, context, page, secrets: JSON.parse(printed) as Secrets });
  return { fromOpen: painted - opened, fromRun: painted - ran };
}

test('three users each see their own live view through the proxy transport, and a drag moves it', async () => {
  const times = await Promise.all(users.map((user) => runQuickstart(user)));
  for (const [index, { fromOpen, fromRun }] of times.entries()) {
    const [opened, ran] = [fromOpen, fromRun].map((ms) => (ms / 1000).toFixed(1));
    console.log(`${NAMES[index]}: first frame ${opened} s after opening the notebook, ${ran} s after Run All`);
  }
  const displays = new Set<string>();
  const keys = new Set<string>();
  for (const { user, page, secrets } of sessions.values()) {
    displays.add(secrets.display);
    keys.add(secrets.key);
    const canvas = page.locator(CANVAS);
    assert.equal(await canvas.getAttribute('data-transport'), 'proxy', `${user.name}'s frames come through the proxy`);
    const first = await waitFor(
      async () => {
        const now = await painted(canvas);
        return now.still ? now : null;
      },
      60_000,
      `${user.name}'s first still`,
    );
    const { mean, deviation } = stats(first.image);
    assert.ok(deviation > 10 && mean > 20, `${user.name}'s canvas is blank (mean ${mean}, deviation ${deviation})`);
    assert.equal(strongestChannel(first.image), COLORS[user.name]!.channel, `${user.name}'s view shows their knot`);
    const moved = await dragToNewStill(page, canvas, first, `a new still of ${user.name}'s view after the drag`);
    const change = meanAbsDiff(first.image, moved.image);
    console.log(`${user.name}: view ${secrets.view} on display ${secrets.display}, drag changed ${change.toFixed(1)}`);
    assert.ok(change > 3, `the drag changed ${user.name}'s picture`);
    const shot = join(ARTIFACTS, `jupyterhub-${user.name}.png`);
    await page.screenshot({ path: shot });
    console.log(`artifact: ${user.name}'s notebook after the drag at ${shot}`);
  }
  assert.equal(displays.size, 3, 'each user has an X display of their own');
  assert.equal(keys.size, 3, "each user's renderer has a key of its own");
});

// Open a websocket from `page` and report whether the renderer said anything on it before it closed.
async function tryWebsocket(page: Page, url: string): Promise<{ messages: number; closed: number | null }> {
  return page.evaluate(
    (target) =>
      new Promise<{ messages: number; closed: number | null }>((resolve) => {
        const socket = new WebSocket(target);
        let messages = 0;
        socket.binaryType = 'arraybuffer';
        socket.onmessage = () => {
          messages += 1;
          socket.close();
        };
        socket.onclose = (event) => resolve({ messages, closed: event.code });
        setTimeout(() => resolve({ messages, closed: null }), 15_000);
      }),
    url,
  );
}

test("bob's browser cannot open ada's renderer websocket, and bob cannot connect to ada's X display", async () => {
  const ada = sessions.get('glsh-ada');
  const bob = sessions.get('glsh-bob');
  assert.ok(ada && bob, 'the first test started both sessions');
  const ws = hub!.url.replace(/^http/, 'ws');
  const through = (owner: string, secrets: Secrets, key: string) =>
    `${ws}/user/${owner}/proxy/${secrets.port}/view/${secrets.view}?key=${encodeURIComponent(key)}`;
  const own = await tryWebsocket(bob.page, through('glsh-bob', bob.secrets, bob.secrets.key));
  assert.ok(own.messages > 0, `bob's own view answers through bob's server (control): ${JSON.stringify(own)}`);
  for (const [what, url] of [
    ["ada's view with bob's key through bob's server", through('glsh-bob', ada.secrets, bob.secrets.key)],
    ["ada's view with a wrong key through bob's server", through('glsh-bob', ada.secrets, 'not-the-key')],
    ["ada's view with ada's own key through ada's server", through('glsh-ada', ada.secrets, ada.secrets.key)],
  ] as const) {
    const tried = await tryWebsocket(bob.page, url);
    console.log(`bob tries ${what}: ${JSON.stringify(tried)}`);
    assert.equal(tried.messages, 0, `bob's browser got nothing from ${what}`);
    assert.notEqual(tried.closed, null, `the connection to ${what} was closed`);
  }
  const page = await bob.context.request.get(`${hub!.url}/user/glsh-ada/lab`, { maxRedirects: 10 });
  console.log(`bob opens ada's server: HTTP ${page.status()} at ${page.url()}`);
  assert.equal(page.status(), 403, "the hub does not let bob into ada's server");

  const xauthority = { XAUTHORITY: ada.secrets.xauthority };
  const xdpyinfo = ['xdpyinfo', '-display', ada.secrets.display];
  const asAda = await runAs(ada.user, xdpyinfo, xauthority);
  assert.equal(asAda.exitCode, 0, `ada's own X client connects (control): ${asAda.output}`);
  for (const env of [xauthority, {}]) {
    const asBob = await runAs(bob.user, xdpyinfo, env);
    console.log(`bob's xdpyinfo on ada's display ${ada.secrets.display}: exit ${asBob.exitCode}: ${asBob.output}`);
    assert.notEqual(asBob.exitCode, 0, "bob cannot connect to ada's X display");
    assert.match(asBob.output, /unable to open display/);
  }
});
