import assert from 'node:assert/strict';
import { test } from 'node:test';
import { endpoints, readDirect } from '../src/endpoints.js';

const DIRECT = { port: 41234, key: 'k+y/=', view: 'v1' };
const BASE = 'wss://hub.example.org/user/ada/';

test('auto on a page served from this machine tries loopback first, then the proxy', () => {
  assert.deepEqual(endpoints(DIRECT, 'auto', '127.0.0.1', 'ws://127.0.0.1:8888/'), [
    { route: 'loopback', url: 'ws://127.0.0.1:41234/view/v1?key=k%2By%2F%3D' },
    { route: 'proxy', url: 'ws://127.0.0.1:8888/proxy/41234/view/v1?key=k%2By%2F%3D' },
  ]);
  assert.equal(endpoints(DIRECT, 'auto', 'localhost', '')[0]?.route, 'loopback');
});

test('auto on a remote page (JupyterHub, Binder) goes through the Jupyter server only', () => {
  assert.deepEqual(endpoints(DIRECT, 'auto', 'hub.example.org', BASE), [
    { route: 'proxy', url: 'wss://hub.example.org/user/ada/proxy/41234/view/v1?key=k%2By%2F%3D' },
  ]);
  assert.equal(
    endpoints(DIRECT, 'proxy', 'hub.example.org', 'wss://hub.example.org/user/ada')[0]?.url.startsWith(
      'wss://hub.example.org/user/ada/proxy/',
    ),
    true,
    'a base without its slash',
  );
});

test('an explicit choice is kept to; comm, an unknown direct server or an unusable base give nothing', () => {
  assert.deepEqual(
    endpoints(DIRECT, 'loopback', 'hub.example.org', BASE).map((found) => found.route),
    ['loopback'],
  );
  assert.deepEqual(
    endpoints(DIRECT, 'proxy', '127.0.0.1', BASE).map((found) => found.route),
    ['proxy'],
  );
  assert.deepEqual(endpoints(DIRECT, 'comm', '127.0.0.1', BASE), []);
  assert.deepEqual(endpoints(null, 'auto', '127.0.0.1', BASE), []);
  assert.deepEqual(endpoints(DIRECT, 'proxy', 'hub.example.org', ''), []);
});

test('a direct offer is read strictly', () => {
  assert.deepEqual(readDirect({ ...DIRECT, extra: 1 }), DIRECT);
  for (const bad of [
    null,
    undefined,
    'x',
    { ...DIRECT, port: 0 },
    { ...DIRECT, port: 70000 },
    { ...DIRECT, port: 1.5 },
    { ...DIRECT, key: '' },
    { ...DIRECT, view: 3 },
  ]) {
    assert.equal(readDirect(bad), null, JSON.stringify(bad));
  }
});
