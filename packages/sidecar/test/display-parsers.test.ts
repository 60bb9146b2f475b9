import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseGlxinfo } from '../src/display/glxinfo.js';
import { serverFiles } from '../src/display/server-files.js';

test('glxinfo output names the driver', () => {
  const text = [
    'name of display: :5',
    'OpenGL vendor string: Mesa/X.org',
    'OpenGL renderer string: llvmpipe (LLVM 15.0.6, 256 bits)',
    'OpenGL core profile version string: 4.5 (Core Profile) Mesa 22.3.6',
  ].join('\n');
  assert.deepEqual(parseGlxinfo(text), {
    vendor: 'Mesa/X.org',
    renderer: 'llvmpipe (LLVM 15.0.6, 256 bits)',
    version: '4.5 (Core Profile) Mesa 22.3.6',
  });
  assert.equal(parseGlxinfo('Error: unable to open display'), null);
});

test('an X display maps to its lock file and socket', () => {
  assert.deepEqual(serverFiles(':12'), { lock: '/tmp/.X12-lock', socket: '/tmp/.X11-unix/X12' });
  assert.deepEqual(serverFiles(':3.0'), { lock: '/tmp/.X3-lock', socket: '/tmp/.X11-unix/X3' });
});
