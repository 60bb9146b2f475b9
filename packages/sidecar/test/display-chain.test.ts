import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { setupDisplay, DisplayChainError, type DisplaySetup } from '../src/display/index.js';
import { alive } from '../../../test/support/proc.js';
import { waitFor } from '../../../test/support/wait.js';
import { StandIns } from './stand-ins.js';

const statuses = (steps: { step: string; status: string }[]) => steps.map(({ step, status }) => `${step}:${status}`);

async function failure(run: Promise<DisplaySetup>): Promise<DisplayChainError> {
  const error = await run.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  assert.ok(error instanceof DisplayChainError, `expected a DisplayChainError, got ${String(error)}`);
  return error;
}

describe('the display chain, driven by stand-in executables', () => {
  test('without Xvfb the error lists every step and names the packages', async () => {
    const machine = new StandIns();
    const error = await failure(setupDisplay({ probe: machine.probe() }));
    assert.deepEqual(statuses(error.steps), [
      'existing:skipped',
      'egl:skipped',
      'xvfb:failed',
      'glx:skipped',
      'virtualgl:skipped',
      'mesa:skipped',
    ]);
    assert.equal(error.name, 'DisplayError');
    assert.match(error.message, /xvfb\s+failed\s+Xvfb was not found on PATH/);
    assert.match(error.message, /glx\s+skipped\s+no X display to test/);
    assert.deepEqual(error.steps.find((step) => step.step === 'xvfb')?.missing, ['xvfb']);
    assert.match(error.hint!, /apt-get install xvfb libgl1-mesa-dri libglx-mesa0 mesa-utils x11-utils;/);
    assert.match(error.hint!, /dnf install xorg-x11-server-Xvfb mesa-dri-drivers mesa-libGL glx-utils xdpyinfo;/);
    assert.match(error.hint!, /conda install -c conda-forge xorg-xvfb-server mesalib libgl;/);
  });

  test('an Xvfb that never becomes ready times out, is killed, and its stderr is in the error', async () => {
    const machine = new StandIns();
    machine.script(
      'Xvfb',
      `echo $$ > ${machine.root}/xvfb.pid\necho "(EE) Fatal server error: no screens found" >&2\nexec /bin/sleep 600`,
    );
    const error = await failure(setupDisplay({ probe: machine.probe({ readyTimeoutMs: 300 }) }));
    const xvfb = error.steps.find((step) => step.step === 'xvfb')!;
    assert.equal(xvfb.status, 'failed');
    assert.match(xvfb.reason, /did not become ready: not ready after 300 ms/);
    assert.match(error.message, /Fatal server error: no screens found/);
    const pid = Number(readFileSync(`${machine.root}/xvfb.pid`, 'utf8'));
    await waitFor(() => !alive(pid), 5_000, 'the stuck Xvfb to be killed');
  });

  test('an Xvfb that exits at once is reported with its exit status', async () => {
    const machine = new StandIns();
    machine.script('Xvfb', 'echo "_XSERVTransSocketUNIXCreateListener: failed" >&2\nexit 1');
    const error = await failure(setupDisplay({ probe: machine.probe() }));
    assert.match(error.message, /exited with 1 before it was ready[\s\S]*SocketUNIXCreateListener/);
  });

  test('GLX working on the new Xvfb needs no VirtualGL nor Mesa, and stop() ends the server', async () => {
    const machine = new StandIns();
    machine.xvfb();
    machine.xdpyinfo(true);
    machine.glxinfo('Plain GPU renderer');
    const setup = await setupDisplay({ probe: machine.probe() });
    assert.deepEqual(statuses(setup.steps), [
      'existing:skipped',
      'egl:skipped',
      'xvfb:ok',
      'glx:ok',
      'virtualgl:skipped',
      'mesa:skipped',
    ]);
    assert.deepEqual([setup.display.name, setup.display.source, setup.env, setup.preload], [':9377', 'xvfb', {}, []]);
    assert.equal(setup.driver?.renderer, 'Plain GPU renderer');
    const pid = Number(readFileSync(`${machine.root}/xvfb.pid`, 'utf8'));
    assert.equal(setup.display.pid, pid);
    await setup.display.stop();
    assert.equal(alive(pid), false);
  });

  test('GLX missing falls to VirtualGL when vglrun and its faker are installed', async () => {
    const machine = new StandIns();
    machine.xvfbWithoutGlx();
    machine.script('vglrun', 'exec "$@"');
    const faker = machine.file('lib/libvglfaker.so');
    const setup = await setupDisplay({ probe: machine.probe() });
    assert.deepEqual(statuses(setup.steps), [
      'existing:skipped',
      'egl:skipped',
      'xvfb:ok',
      'glx:failed',
      'virtualgl:ok',
      'mesa:skipped',
    ]);
    assert.match(setup.steps[3]!.reason, /lists no GLX extension/);
    assert.deepEqual(setup.env, { VGL_DISPLAY: ':0' });
    assert.deepEqual(setup.preload, [faker]);
    assert.equal(setup.driver?.renderer, 'VirtualGL on GPU');
    await setup.display.stop();
  });

  test('GLX missing and no VirtualGL falls to the system Mesa in software', async () => {
    const machine = new StandIns();
    machine.xvfbWithoutGlx();
    const vendor = machine.file('sys/libGLX_mesa.so.0');
    machine.script('ldconfig', `echo "1 libs found in cache"\necho "	libGLX_mesa.so.0 (libc6,x86-64) => ${vendor}"`);
    machine.env['FAKE_MESA'] = '1';
    const setup = await setupDisplay({ probe: machine.probe() });
    assert.deepEqual(statuses(setup.steps), [
      'existing:skipped',
      'egl:skipped',
      'xvfb:ok',
      'glx:failed',
      'virtualgl:skipped',
      'mesa:ok',
    ]);
    assert.match(setup.steps[4]!.reason, /no vglrun on PATH/);
    assert.deepEqual(setup.env, {
      LIBGL_ALWAYS_SOFTWARE: '1',
      GALLIUM_DRIVER: 'llvmpipe',
      __GLX_VENDOR_LIBRARY_NAME: 'mesa',
    });
    assert.deepEqual(setup.preload, []);
    assert.match(setup.driver!.renderer, /llvmpipe/);
    await setup.display.stop();
  });

  test("a Mesa in a mesa/ directory on LD_LIBRARY_PATH is preloaded, as Anatomist's headless mode does", async () => {
    const machine = new StandIns();
    machine.xvfb();
    machine.xdpyinfo(true);
    machine.script(
      'glxinfo',
      [
        'case "$LD_LIBRARY_PATH" in',
        '  *mesa*) echo "OpenGL renderer string: llvmpipe";;',
        '  *) echo "X Error of failed request: BadValue" >&2; exit 1;;',
        'esac',
      ].join('\n'),
    );
    const libGL = machine.file('opt/lib/mesa/libGL.so.1');
    machine.env['LD_LIBRARY_PATH'] = `${machine.root}/opt/lib`;
    const setup = await setupDisplay({ probe: machine.probe() });
    assert.deepEqual(statuses(setup.steps).slice(3), ['glx:failed', 'virtualgl:skipped', 'mesa:ok']);
    assert.match(setup.steps[3]!.output!, /BadValue/);
    assert.deepEqual(setup.preload, [libGL]);
    assert.equal(setup.env['LD_LIBRARY_PATH'], `${machine.root}/opt/lib/mesa:${machine.root}/opt/lib`);
    await setup.display.stop();
  });

  test('nothing working: every step, what it printed, and the packages; the Xvfb it started is stopped', async () => {
    const machine = new StandIns();
    machine.xvfbWithoutGlx();
    const error = await failure(setupDisplay({ probe: machine.probe() }));
    assert.deepEqual(statuses(error.steps), [
      'existing:skipped',
      'egl:skipped',
      'xvfb:ok',
      'glx:failed',
      'virtualgl:skipped',
      'mesa:failed',
    ]);
    assert.match(error.message, /mesa\s+failed\s+no Mesa found/);
    assert.match(error.message, /virtualgl\s+skipped\s+VirtualGL is not installed/);
    assert.match(error.hint!, /libglx-mesa0/);
    assert.equal(alive(Number(readFileSync(`${machine.root}/xvfb.pid`, 'utf8'))), false);
  });

  test('a broken VirtualGL is recorded with what glxinfo printed, then Mesa is tried', async () => {
    const machine = new StandIns();
    machine.xvfb();
    machine.xdpyinfo(false);
    machine.script('glxinfo', 'echo "[VGL] ERROR: Could not open display :0." >&2; exit 1');
    machine.script('vglrun', 'exec "$@"');
    machine.file('lib/libvglfaker.so');
    const error = await failure(setupDisplay({ probe: machine.probe() }));
    const vgl = error.steps.find((step) => step.step === 'virtualgl')!;
    assert.equal(vgl.status, 'failed');
    assert.match(vgl.output!, /Could not open display :0/);
    assert.match(error.message, /\| \[VGL\] ERROR/);
  });

  test('an existing DISPLAY with GLX is used and never stopped; forcing headless starts a server instead', async () => {
    const machine = new StandIns();
    machine.xdpyinfo(true);
    machine.glxinfo('Desktop GPU');
    machine.env['DISPLAY'] = ':42';
    const setup = await setupDisplay({ probe: machine.probe() });
    assert.deepEqual(statuses(setup.steps), [
      'existing:ok',
      'egl:skipped',
      'glx:ok',
      'virtualgl:skipped',
      'mesa:skipped',
    ]);
    assert.deepEqual([setup.display.name, setup.display.source, setup.display.pid], [':42', 'existing', null]);
    machine.xvfb();
    const headless = await setupDisplay({ forceHeadless: true, probe: machine.probe() });
    assert.match(headless.steps[0]!.reason, /DISPLAY=:42 is set, but headless was forced/);
    assert.equal(headless.display.source, 'xvfb');
    await headless.display.stop();
  });

  test('an existing DISPLAY without GLX, or that does not answer, is passed over', async () => {
    const machine = new StandIns();
    machine.env['DISPLAY'] = ':42';
    machine.script('xdpyinfo', 'echo "xdpyinfo:  unable to open display \\":42\\"." >&2; exit 1');
    const silent = await failure(setupDisplay({ probe: machine.probe() }));
    assert.match(silent.steps[0]!.reason, /DISPLAY=:42 does not answer xdpyinfo/);
    assert.match(silent.steps[0]!.output!, /unable to open display/);
    machine.xdpyinfo(false);
    const noGlx = await failure(setupDisplay({ probe: machine.probe() }));
    assert.match(noGlx.steps[0]!.reason, /answers, but lists no GLX extension/);
  });
});
