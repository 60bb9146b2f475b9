// The page's Jupyter settings: what the <script id="jupyter-config-data"> of JupyterLab and Notebook 7 says, the
// server's websocket URL made from it, and what a page without it (VS Code, Colab) leaves: loopback or the comm.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { endpoints } from '../src/endpoints.js';
import { CONFIG_ID, parsePageConfig, readPageConfig, serverWsUrl } from '../src/page-config.js';

// A document holding `text` in its config script, or none when undefined.
const page = (text?: string) => ({
  getElementById: (id: string) =>
    id === CONFIG_ID && text !== undefined ? ({ textContent: text } as HTMLElement) : null,
});

test('the config script gives the base and websocket URLs; other fields and types are left out', () => {
  const text = JSON.stringify({ baseUrl: '/user/ada/', wsUrl: 'wss://hub.example.org/user/ada/', appName: 'Lab' });
  assert.deepEqual(readPageConfig(page(text)), { baseUrl: '/user/ada/', wsUrl: 'wss://hub.example.org/user/ada/' });
  assert.deepEqual(parsePageConfig('{"baseUrl": 7, "wsUrl": ""}'), {});
});

test('no config script, or one that is not a JSON object, is no config', () => {
  assert.equal(readPageConfig(page()), null);
  assert.equal(readPageConfig(page('{not json')), null);
  assert.equal(parsePageConfig('[1, 2]'), null);
  assert.equal(parsePageConfig('null'), null);
});

test('the base URL becomes a websocket URL on the page origin, wss behind https', () => {
  assert.equal(
    serverWsUrl({ baseUrl: '/user/ada/' }, 'https://hub.example.org/user/ada/lab/tree/a.ipynb'),
    'wss://hub.example.org/user/ada/',
  );
  assert.equal(serverWsUrl({}, 'http://127.0.0.1:8888/notebooks/a.ipynb'), 'ws://127.0.0.1:8888/');
  assert.equal(serverWsUrl({ baseUrl: 'http://other:9000/x/' }, 'http://127.0.0.1:8888/'), 'ws://other:9000/x/');
});

test('a websocket URL in the config wins over the base URL; one that is not ws(s) is unusable', () => {
  const config = { baseUrl: '/user/ada/', wsUrl: 'wss://ws.example.org/user/ada/' };
  assert.equal(serverWsUrl(config, 'https://hub.example.org/user/ada/lab'), 'wss://ws.example.org/user/ada/');
  assert.equal(serverWsUrl({ wsUrl: 'https://ws.example.org/' }, 'https://hub.example.org/'), '');
});

test('without a config (VS Code, Colab) only loopback and the comm are left', () => {
  const direct = { port: 41234, key: 'k', view: 'v1' };
  const wsBase = serverWsUrl(readPageConfig(page()), 'vscode-webview://1234/index.html');
  assert.equal(wsBase, '');
  assert.deepEqual(
    endpoints(direct, 'auto', 'localhost', wsBase).map((endpoint) => endpoint.route),
    ['loopback'],
  );
  assert.deepEqual(endpoints(direct, 'auto', '1234', wsBase), [], 'a remote page: the comm');
  assert.deepEqual(endpoints(direct, 'proxy', '1234', wsBase), []);
  assert.equal(serverWsUrl({ baseUrl: '/' }, 'vscode-webview://1234/index.html'), '', 'no http(s) page, no server');
});
