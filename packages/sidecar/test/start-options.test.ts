// The screen of the X server glstream starts: the "screen" param, else GLSTREAM_SCREEN, else full HD.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InputError } from '../src/errors.js';
import { DEFAULT_SCREEN, startOptions } from '../src/kernel/start-options.js';

test('the screen comes from the param, else GLSTREAM_SCREEN, else the default', () => {
  assert.equal(startOptions({}, {}).screen, DEFAULT_SCREEN);
  assert.equal(startOptions({}, { GLSTREAM_SCREEN: '' }).screen, DEFAULT_SCREEN);
  assert.equal(startOptions({}, { GLSTREAM_SCREEN: '1280x1024x24' }).screen, '1280x1024x24');
  assert.equal(startOptions({ screen: '800x600x24' }, { GLSTREAM_SCREEN: '1280x1024x24' }).screen, '800x600x24');
});

test('a bad screen is refused naming where it came from', () => {
  assert.throws(
    () => startOptions({}, { GLSTREAM_SCREEN: '1280x1024' }),
    (error: unknown) => error instanceof InputError && /^GLSTREAM_SCREEN must look like/.test(error.message),
  );
  assert.throws(
    () => startOptions({ screen: 'big' }, {}),
    (error: unknown) => error instanceof InputError && /^"screen" must look like/.test(error.message),
  );
});
