// The system packages named for what the display chain finds missing: one line per piece for Debian/Ubuntu, Fedora
// and, where it has them, conda-forge.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chainPieces, installCommands, lacking } from '../src/display/install-hints.js';
import { step } from '../src/display/steps.js';

test('the commands that install Xvfb name its package on each distribution', () => {
  assert.equal(
    installCommands(['xvfb']),
    'Debian/Ubuntu: apt-get install xvfb; Fedora: dnf install xorg-x11-server-Xvfb; ' +
      'conda-forge: conda install -c conda-forge xorg-xvfb-server',
  );
});

test("Mesa is libGL and its software driver; a tool conda-forge lacks leaves conda-forge's command out", () => {
  assert.equal(
    installCommands(['mesa']),
    'Debian/Ubuntu: apt-get install libgl1-mesa-dri libglx-mesa0; Fedora: dnf install mesa-dri-drivers mesa-libGL; ' +
      'conda-forge: conda install -c conda-forge mesalib libgl',
  );
  assert.equal(
    installCommands(['glxinfo']),
    'Debian/Ubuntu: apt-get install mesa-utils; Fedora: dnf install glx-utils',
  );
});

test('a package two pieces share is named once', () => {
  assert.match(installCommands(['glxinfo', 'eglinfo']), /^Debian\/Ubuntu: apt-get install mesa-utils; /);
});

test('the chain may use xpra only with its backend', () => {
  assert.deepEqual(chainPieces('xvfb'), ['xvfb', 'mesa', 'glxinfo', 'xdpyinfo']);
  assert.deepEqual(chainPieces('xpra'), ['xvfb', 'mesa', 'glxinfo', 'xdpyinfo', 'xpra']);
});

test('a step that lacks a piece says which, for the doctor to name its packages', () => {
  assert.deepEqual(lacking(step('xvfb', 'failed', 'Xvfb was not found on PATH'), 'xvfb'), {
    step: 'xvfb',
    status: 'failed',
    reason: 'Xvfb was not found on PATH',
    missing: ['xvfb'],
  });
});
