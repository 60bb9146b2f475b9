// `make demo` (after set-up, which `make test` has just done) starts JupyterLab on the examples and prints its URL.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { freePort } from '../support/jupyter-server.js';
import { waitFor } from '../support/wait.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

test('make demo serves the example notebooks and prints the URL to open', async () => {
  const port = await freePort();
  const demo = execa('make', ['--no-print-directory', 'demo', `DEMO_PORT=${port}`], {
    cwd: ROOT,
    all: true,
    buffer: false,
    detached: true,
    reject: false,
  });
  let output = '';
  demo.all!.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  try {
    const url = await waitFor(
      () => new RegExp(`http://127\\.0\\.0\\.1:${port}/lab\\?token=[0-9a-f]+`).exec(output)?.[0],
      120_000,
      'make demo to print its URL',
    );
    const token = new URL(url).searchParams.get('token');
    const listing = await fetch(`http://127.0.0.1:${port}/api/contents?token=${token}`).then(
      (response) => response.json() as Promise<{ content: { name: string }[] }>,
    );
    assert.ok(
      listing.content.some((entry) => entry.name === 'quickstart.ipynb'),
      `the demo serves binder/examples, got ${JSON.stringify(listing)}`,
    );
    const page = await fetch(url).then((response) => response.text());
    // glstream ships no extension: anywidget's runs the widget module each Viewer sends.
    assert.match(
      page,
      /"load": "[^"]*remoteEntry\.[0-9a-f]+\.js", "name": "anywidget"/,
      "JupyterLab loads anywidget's",
    );
    assert.doesNotMatch(page, /"name": "@glstream\//, 'and no extension of glstream');
  } finally {
    process.kill(-demo.pid!, 'SIGTERM');
    await demo;
  }
});
