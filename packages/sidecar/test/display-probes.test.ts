import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { applyGl, isMapped } from '../src/display/apply-gl.js';
import { countEglDevices, detectEgl } from '../src/display/egl.js';
import { loadedGlLibraries, vendorOf } from '../src/display/loaded-gl.js';
import { probeOf } from '../src/display/probe.js';
import { startOptions } from '../src/kernel/start-options.js';
import { StandIns } from './stand-ins.js';

const NVIDIA_EGLINFO = [
  'Device platform:',
  'Device #0:',
  'EGL device extensions string:',
  '    EGL_NV_device_cuda EGL_EXT_device_drm',
  'Device #1:',
  'EGL device extensions string:',
  '    EGL_MESA_device_software',
  'Platform Device:',
  'EGL vendor string: NVIDIA',
].join('\n');

describe('EGL detection', () => {
  test('no render node and no NVIDIA vendor: skipped, saying where it looked', async () => {
    const machine = new StandIns();
    machine.file('egl_vendor.d/50_mesa.json', '{}');
    const step = await detectEgl(probeOf(machine.probe()));
    assert.equal(step.status, 'skipped');
    assert.equal(
      step.reason,
      `no GPU render node in ${machine.root}/dri and no NVIDIA EGL vendor in ${machine.root}/egl_vendor.d`,
    );
  });

  test('a render node and a GPU device in eglinfo: available, and X is still set up for headless-gl', async () => {
    const machine = new StandIns();
    machine.file('dri/renderD128');
    machine.script('eglinfo', `/bin/cat <<'END'\n${NVIDIA_EGLINFO}\nEND`);
    const step = await detectEgl(probeOf(machine.probe()));
    assert.equal(step.status, 'ok');
    assert.match(
      step.reason,
      new RegExp(
        'a GPU EGL device is available to kernels \\(EGL needs no X; eglinfo lists 1\\); ' +
          'headless-gl renders through GLX, so an X display is still set up',
      ),
    );
  });

  test('a render node whose only EGL device is software (llvmpipe) is not a GPU', async () => {
    const machine = new StandIns();
    machine.file('dri/renderD128');
    machine.script(
      'eglinfo',
      "printf 'Device platform:\\nDevice #0:\\n    EGL_MESA_device_software EGL_EXT_device_drm_render_node\\n'",
    );
    const step = await detectEgl(probeOf(machine.probe()));
    assert.equal(step.status, 'skipped');
    assert.match(step.reason, /eglinfo lists 1 software EGL device\(s\) and no GPU one/);
  });

  test('an NVIDIA EGL vendor without eglinfo installed counts, and says it is unconfirmed', async () => {
    const machine = new StandIns();
    machine.file('egl_vendor.d/10_nvidia.json', '{}');
    const step = await detectEgl(probeOf(machine.probe()));
    assert.equal(step.status, 'ok');
    assert.match(step.reason, /10_nvidia\.json \(eglinfo is not installed to confirm it\)/);
    assert.deepEqual(step.missing, ['eglinfo']);
  });

  test("eglinfo's device section is counted per device", () => {
    assert.deepEqual(countEglDevices(NVIDIA_EGLINFO), { hardware: 1, software: 1 });
    assert.deepEqual(countEglDevices('EGL client extensions string:\n    EGL_EXT_device_base'), {
      hardware: 0,
      software: 0,
    });
    if (existsSync('/usr/bin/eglinfo')) {
      const real = spawnSync('/usr/bin/eglinfo', ['-B'], { encoding: 'utf8' }).stdout;
      if (!existsSync('/dev/dri')) assert.equal(countEglDevices(real).hardware, 0, 'this machine has no GPU');
    }
  });
});

describe('GL libraries of a process', () => {
  test('vendors are told apart by the library paths', () => {
    assert.equal(vendorOf('/usr/lib/x86_64-linux-gnu/libGLX_mesa.so.0.0.0'), 'Mesa');
    assert.equal(vendorOf('/usr/lib/x86_64-linux-gnu/dri/swrast_dri.so'), 'Mesa');
    assert.equal(vendorOf('/opt/anatomist/lib/mesa/libGL.so.1'), 'Mesa');
    assert.equal(vendorOf('/usr/lib/x86_64-linux-gnu/libGLX_nvidia.so.0'), 'NVIDIA');
    assert.equal(vendorOf('/usr/lib/x86_64-linux-gnu/libnvidia-glcore.so.535.54'), 'NVIDIA');
    assert.equal(vendorOf('/opt/VirtualGL/lib64/libvglfaker.so'), 'VirtualGL');
    assert.equal(vendorOf('/usr/lib/x86_64-linux-gnu/libGL.so.1.7.0'), 'glvnd');
    assert.equal(vendorOf('/usr/lib/x86_64-linux-gnu/libGLU.so.1'), 'other');
  });

  test('a preloaded library is in /proc/self/maps, its variables are set, a bogus one is a failed step', async () => {
    const glu = ['/lib/x86_64-linux-gnu/libGLU.so.1', '/usr/lib64/libGLU.so.1'].find((path) => existsSync(path));
    if (glu === undefined) return;
    const machine = new StandIns();
    const bogus = machine.file('mesa/libGL.so.1', 'not an ELF file');
    const failed = await applyGl({ env: { GLSTREAM_TEST_GL_ENV: 'set' }, preload: [glu, bogus] });
    assert.equal(process.env['GLSTREAM_TEST_GL_ENV'], 'set');
    assert.ok(await isMapped(glu));
    assert.ok((await loadedGlLibraries()).some((library) => library.path.includes('libGLU.so')));
    assert.equal(failed.length, 1);
    assert.equal(failed[0]!.step, 'mesa');
    assert.match(failed[0]!.reason, /could not load .*mesa\/libGL\.so\.1 into the sidecar/);
    assert.match(failed[0]!.output!, /invalid ELF header|file too short/);
  });
});

describe('the params of "start"', () => {
  test('defaults, and exact errors for bad values', () => {
    assert.deepEqual(startOptions({}), { forceHeadless: false, backend: 'xvfb', screen: '1920x1080x24' });
    assert.deepEqual(startOptions({ force_headless: true, backend: 'xpra', screen: '800x600x16' }), {
      forceHeadless: true,
      backend: 'xpra',
      screen: '800x600x16',
    });
    assert.throws(() => startOptions({ backend: 'vnc' }), {
      code: 'invalid_argument',
      message: '"backend" must be "xvfb" or "xpra", got "vnc"',
    });
    assert.throws(() => startOptions({ screen: '800x600' }), {
      code: 'invalid_argument',
      message: /"screen" must look like 1920x1080x24/,
    });
    assert.throws(() => startOptions({ force_headless: 'yes' }), { code: 'invalid_type' });
  });
});
