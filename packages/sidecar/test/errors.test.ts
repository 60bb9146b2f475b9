// What crosses to the kernel when something fails: a code from the protocol's list, never a class name.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DisplayError, errorReply, GlstreamError, InputError } from '../src/errors.js';

test('an expected failure keeps its code and its fix, and names its causes', () => {
  const cause = new Error('Xvfb exited with 1', { cause: new Error('no such file /usr/bin/xkbcomp') });
  assert.deepEqual(errorReply(new DisplayError('no display', { cause, hint: 'apt-get install xvfb' })), {
    code: 'display_unavailable',
    message: 'no display (caused by: Xvfb exited with 1; no such file /usr/bin/xkbcomp)',
    hint: 'apt-get install xvfb',
  });
  assert.deepEqual(errorReply(new InputError('bad index', { code: 'out_of_range' })), {
    code: 'out_of_range',
    message: 'bad index',
  });
  assert.equal(errorReply(new GlstreamError('protocol', 'no HELLO')).code, 'protocol');
});

test('anything else is internal, whatever its class, so the kernel never blames the arguments for it', () => {
  for (const error of [new TypeError('x is undefined'), new RangeError('x'), new Error('x')]) {
    const reply = errorReply(error);
    assert.equal(reply.code, 'internal');
    assert.match(reply.message, new RegExp(`^the sidecar failed: ${error.name}: x`));
  }
  assert.deepEqual(errorReply('a string'), { code: 'internal', message: 'the sidecar failed: a string' });
});
