import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import sharp from 'sharp';
import { setupDisplay } from '../src/display/index.js';
import { serverFiles } from '../src/display/server-files.js';
import { children } from '../src/display/reaper.js';
import { cube } from '../../../test/support/meshes.js';
import { alive, cmdline } from '../../../test/support/proc.js';
import { SidecarClient } from '../../../test/support/sidecar-client.js';
import { waitFor } from '../../../test/support/wait.js';

const headless = { env: { ...process.env, DISPLAY: '' } };

// What an xpra server leaves if teardown fails: itself, its Xvfb, the X socket and lock, its socket directory.
function xpraTraces(started: Record<string, unknown>) {
  const xpra = started['xserver_pid'] as number;
  const xvfb = children(xpra, 'Xvfb');
  const dir = /--socket-dir=(\S+)/.exec(cmdline(xpra).join(' '))![1]!;
  const { lock, socket } = serverFiles(String(started['display']));
  return { xpra, xvfb, dir, lock, socket };
}

async function gone(traces: ReturnType<typeof xpraTraces>): Promise<void> {
  const xvfb = await traces.xvfb;
  assert.equal(xvfb.length, 1, 'xpra runs its Xvfb');
  await waitFor(() => !alive(traces.xpra) && !alive(xvfb[0]!), 15_000, 'xpra and its Xvfb to exit');
  await waitFor(
    () => !existsSync(traces.socket) && !existsSync(traces.lock) && !existsSync(traces.dir),
    10_000,
    "the X socket and lock and xpra's directory to go",
  );
}

describe('the chain with the real Xvfb and Mesa', () => {
  test('starts Xvfb with working GLX; a second chain uses it as existing and leaves it running', async () => {
    const setup = await setupDisplay({ probe: headless, screen: '800x600x24' });
    assert.equal(setup.display.source, 'xvfb');
    assert.deepEqual(
      setup.steps.map((step) => step.status),
      ['skipped', 'skipped', 'ok', 'ok', 'skipped', 'skipped'],
    );
    assert.match(setup.driver!.renderer, /llvmpipe/);
    const { socket } = serverFiles(setup.display.name);
    assert.ok(existsSync(socket));
    const { name, xauthority } = setup.display;
    const reuse = await setupDisplay({ probe: { env: { ...process.env, DISPLAY: name, XAUTHORITY: xauthority! } } });
    assert.equal(reuse.display.source, 'existing');
    assert.match(reuse.steps[0]!.reason, /answers xdpyinfo and lists GLX/);
    await reuse.display.stop();
    assert.ok(alive(setup.display.pid!), 'stopping an existing display must not touch its server');
    assert.ok(existsSync(socket));
    await setup.display.stop();
    assert.equal(alive(setup.display.pid!), false);
    assert.equal(existsSync(socket), false);
  });
});

describe('the sidecar with the xpra backend', () => {
  test('renders through xpra, and stdin EOF stops xpra, its Xvfb, and their files', async () => {
    const client = new SidecarClient({ env: { DISPLAY: '' } });
    const started = await client.start({ backend: 'xpra', screen: '1024x768x24' });
    assert.equal(started['display_source'], 'xpra');
    const steps = started['steps'] as { step: string; status: string }[];
    assert.deepEqual(
      steps.slice(2, 4).map(({ step, status }) => `${step}:${status}`),
      ['xpra:ok', 'glx:ok'],
    );
    assert.match((started['gl'] as { renderer: string }).renderer, /llvmpipe/);
    const traces = xpraTraces(started);
    assert.ok(existsSync(traces.socket));
    await client.call('create_view', { view: 'v', width: 64, height: 64, background: '#000000' });
    await client.addMesh('v', 'c', '#00ff00', cube());
    const { data, info } = await sharp((await client.call('snapshot', { view: 'v' })).payload)
      .raw()
      .toBuffer({ resolveWithObject: true });
    const center = (32 * 64 + 32) * info.channels;
    assert.ok(data[center + 1]! > 60, 'the centre pixel shows the green cube');
    client.process.stdin!.end();
    assert.equal(await client.exited(), 0);
    await gone(traces);
  });

  test('SIGKILL of the sidecar still takes xpra, its Xvfb, and their files down', async () => {
    const client = new SidecarClient({ env: { DISPLAY: '' } });
    const started = await client.start({ backend: 'xpra' });
    const traces = xpraTraces(started);
    await traces.xvfb;
    client.process.kill('SIGKILL');
    await client.exited();
    await gone(traces);
  });
});
