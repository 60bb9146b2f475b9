import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { MODULE_NAME, MODULE_VERSION } from '../src/version.js';

test('the module identity matches package.json', async () => {
  const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')) as {
    name: string;
    version: string;
  };
  assert.equal(MODULE_NAME, pkg.name);
  assert.equal(MODULE_VERSION, pkg.version);
});
