import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { decodeRgb } from '../../../test/support/images.js';
import { sidecarArgs } from '../../../test/support/sidecar-client.js';

const REFERENCE = fileURLToPath(new URL('./reference/demo-640x480.png', import.meta.url));
const glstream = (args: string[], env: Record<string, string> = {}) =>
  execa(process.execPath, sidecarArgs('source', args), { reject: false, env, timeout: 60_000 });

test('snapshot --demo renders the demo scene like the reference, the right way up', async () => {
  const out = join(mkdtempSync(join(tmpdir(), 'glstream-cli-')), 'demo.png');
  const result = await glstream(['snapshot', '--demo', '--size', '640x480', '--out', out]);
  assert.equal(result.exitCode, 0, result.stderr);
  const [image, reference] = await Promise.all([decodeRgb(out), decodeRgb(REFERENCE)]);
  assert.deepEqual([image.width, image.height], [640, 480]);
  let total = 0;
  let far = 0;
  let flipped = 0;
  const row = 640 * 3;
  for (let i = 0; i < image.data.length; i += 1) {
    const difference = Math.abs(image.data[i]! - reference.data[i]!);
    total += difference;
    if (difference > 24) far += 1;
    const y = Math.floor(i / row);
    flipped += Math.abs(image.data[i]! - reference.data[(479 - y) * row + (i % row)]!);
  }
  const mean = total / image.data.length;
  assert.ok(mean < 1.5, `mean difference from the reference is ${mean.toFixed(2)} per channel`);
  assert.ok(far / image.data.length < 0.01, `${far} channel values differ by more than 24`);
  assert.ok(flipped / image.data.length > mean + 5, 'the reference must not also match upside down');
});

test('doctor --json names Xvfb and llvmpipe on a machine without display or GPU', async () => {
  const result = await glstream(['doctor', '--json'], { DISPLAY: '' });
  assert.equal(result.exitCode, 0, result.stderr);
  const report = JSON.parse(result.stdout);
  assert.equal(report.display.source, 'xvfb');
  assert.match(report.gl.renderer, /llvmpipe/);
  assert.match(report.gl.webgl.version, /WebGL 1\.0/);
  assert.match(report.encoder.libvips, /^\d+\.\d+/);
  assert.deepEqual(report.encoder.formats, ['jpeg', 'png', 'webp']);
  assert.deepEqual(report.problems, []);
  assert.deepEqual(
    report.steps.map((step: { step: string; status: string }) => `${step.step}:${step.status}`),
    ['existing:skipped', 'egl:skipped', 'xvfb:ok', 'glx:ok', 'virtualgl:skipped', 'mesa:skipped'],
  );
  const reasons = Object.fromEntries(
    report.steps.map((step: { step: string; reason: string }) => [step.step, step.reason]),
  );
  assert.match(reasons.egl, /no GPU render node/);
  assert.match(reasons.virtualgl, /VirtualGL is not installed: no vglrun on PATH/);
  assert.deepEqual([report.gl_env, report.gl_preload], [{}, []]);
  const vendors = report.gl_libraries.map((library: { path: string; vendor: string }) => library.vendor);
  assert.ok(
    vendors.includes('Mesa') && vendors.includes('glvnd'),
    `the context loaded Mesa through glvnd: ${JSON.stringify(report.gl_libraries)}`,
  );
});

test('doctor prints each step with its reason, and each problem with its fix', async () => {
  const result = await glstream(['doctor'], { DISPLAY: '', PATH: '/nonexistent' });
  assert.equal(result.exitCode, 1);
  assert.match(result.stdout, /xvfb\s+failed\s+Xvfb was not found on PATH$/m);
  assert.match(result.stdout, /problem: +no display with working OpenGL could be set up/);
  assert.match(
    result.stdout,
    /fix: +Debian\/Ubuntu: apt-get install xvfb libgl1-mesa-dri libglx-mesa0 mesa-utils x11-utils; /,
  );
  assert.match(
    result.stdout,
    /; Fedora: dnf install xorg-x11-server-Xvfb mesa-dri-drivers mesa-libGL glx-utils xdpyinfo; /,
  );
  assert.match(result.stdout, /; conda-forge: conda install -c conda-forge xorg-xvfb-server mesalib libgl; /);
  assert.match(result.stdout, /encoder: +sharp \S+, libvips \S+, formats jpeg png webp/);
});

test('doctor without Xvfb on PATH names the missing package instead of crashing', async () => {
  const result = await glstream(['doctor', '--json'], { DISPLAY: '', PATH: '/nonexistent' });
  assert.equal(result.exitCode, 1);
  const report = JSON.parse(result.stdout);
  assert.equal(report.gl, null);
  assert.match(report.problems[0].problem, /Xvfb was not found/);
  assert.match(report.problems[0].fix, /apt-get install xvfb/);
});

test('bad command lines print the usage and exit 2', async () => {
  const result = await glstream(['snapshot', '--size', 'big', '--demo', '--out', '/tmp/x.png']);
  assert.equal(result.exitCode, 2);
  assert.match(result.stderr, /--size must look like 640x480/);
});
