import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { setupDisplay } from '../src/display/index.js';
import { probeOf } from '../src/display/probe.js';
import { createXauthority, nameDisplay } from '../src/display/xauthority.js';
import { startXvfb } from '../src/display/xvfb.js';
import { alive } from '../../../test/support/proc.js';
import { SidecarClient } from '../../../test/support/sidecar-client.js';
import { waitFor } from '../../../test/support/wait.js';

const run = promisify(execFile);
const NOBODY = ['--reuid=nobody', '--regid=nogroup', '--clear-groups'];
const PYTHON = fileURLToPath(new URL('../../../.venv/bin/python', import.meta.url));

// What `xauth -f <file> list` prints: one line per entry.
async function listed(file: string): Promise<string> {
  return (await run('xauth', ['-f', file, 'list'])).stdout.trim();
}

// Whether xdpyinfo (libXau), as root or as `nobody`, with XAUTHORITY=`xauthority`, gets an answer from `display`.
async function answers(display: string, xauthority: string, as: 'root' | 'nobody' = 'root'): Promise<boolean> {
  const [file, args] =
    as === 'root' ? ['xdpyinfo', ['-display', display]] : ['setpriv', [...NOBODY, 'xdpyinfo', '-display', display]];
  return run(file, args, { env: { ...process.env, XAUTHORITY: xauthority } }).then(
    () => true,
    () => false,
  );
}

// Whether python-xlib, which reads only the entry for this host, connects to `display` with its cookie.
async function xlibAnswers(display: string, xauthority: string): Promise<boolean> {
  const env = { ...process.env, DISPLAY: display, XAUTHORITY: xauthority };
  return run(PYTHON, ['-c', 'from Xlib import display; display.Display().close()'], { env }).then(
    () => true,
    () => false,
  );
}

describe('a private Xauthority', () => {
  test('is a 0600 file in a 0700 directory holding a random cookie for any display, then for its own', async () => {
    const auth = await createXauthority();
    const other = await createXauthority();
    try {
      assert.equal(statSync(auth.dir).mode & 0o777, 0o700);
      assert.equal(statSync(auth.file).mode & 0o777, 0o600);
      assert.equal(auth.cookie.length, 16);
      assert.notDeepEqual(auth.cookie, other.cookie);
      const hex = auth.cookie.toString('hex');
      assert.equal(await listed(auth.file), `#ffff##:  MIT-MAGIC-COOKIE-1  ${hex}`);
      await nameDisplay(auth, ':12.0');
      assert.equal(
        await listed(auth.file),
        [`${hostname()}/unix:12  MIT-MAGIC-COOKIE-1  ${hex}`, `#ffff##:12  MIT-MAGIC-COOKIE-1  ${hex}`].join('\n'),
      );
      assert.equal(statSync(auth.file).mode & 0o777, 0o600);
      assert.deepEqual(readdirSync(auth.dir), ['Xauthority']);
    } finally {
      await rm(auth.dir, { recursive: true });
      await rm(other.dir, { recursive: true });
    }
  });

  test('Xvfb admits only clients with its cookie, and stopping it removes the cookie', async () => {
    const started = await startXvfb(probeOf({ env: { ...process.env, DISPLAY: '' } }), '320x240x24');
    assert.ok(started.display, started.step.reason);
    const { name, xauthority } = started.display;
    try {
      assert.ok(xauthority !== null && existsSync(xauthority));
      assert.ok(await answers(name, xauthority), 'a client with the cookie is admitted');
      assert.ok(await xlibAnswers(name, xauthority), 'python-xlib finds the cookie too');
      assert.equal(await answers(name, '/nonexistent'), false, 'a client without the cookie is refused');
      assert.equal(await answers(name, xauthority, 'nobody'), false, 'another user cannot read the cookie');
    } finally {
      await started.display.stop();
    }
    assert.equal(existsSync(dirname(xauthority)), false);
  });

  test("xpra's Xvfb admits only clients with the cookie glstream wrote, and stopping xpra removes it", async () => {
    const setup = await setupDisplay({
      backend: 'xpra',
      screen: '320x240x24',
      probe: { env: { ...process.env, DISPLAY: '' } },
    });
    const { name, xauthority } = setup.display;
    try {
      assert.ok(xauthority !== null);
      // glstream's entry only: the one xpra adds for itself is replaced
      assert.match(
        await listed(xauthority),
        new RegExp(`^${hostname()}/unix${name}  MIT-MAGIC-COOKIE-1  [0-9a-f]{32}\n#ffff##${name}  `),
      );
      assert.ok(await answers(name, xauthority), 'a client with the cookie is admitted');
      assert.equal(await answers(name, '/nonexistent'), false, 'a client without the cookie is refused');
      assert.equal(await answers(name, xauthority, 'nobody'), false, 'another user cannot read the cookie');
    } finally {
      await setup.display.stop();
    }
    assert.equal(existsSync(dirname(xauthority)), false);
  });

  test('SIGKILL of the sidecar still stops its Xvfb and removes the cookie', async () => {
    const client = new SidecarClient({ env: { DISPLAY: '' } });
    const started = await client.start({ screen: '320x240x24' });
    assert.equal(started['display_source'], 'xvfb');
    const xauthority = started['xauthority'] as string;
    const xvfb = started['xserver_pid'] as number;
    assert.ok(await answers(String(started['display']), xauthority));
    client.process.kill('SIGKILL');
    await client.exited();
    await waitFor(() => !alive(xvfb) && !existsSync(dirname(xauthority)), 10_000, 'Xvfb and its cookie to go');
  });
});
