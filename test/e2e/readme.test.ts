// Every shell command the README shows works when pasted: the README's first code block (the contributors' two
// commands) and every ```sh block, run line by line as a reader would. `make ...` runs in the clone; everything else
// runs as a user who has only what the README's install block gives: a fresh venv in a temporary folder, on a PATH
// with no Node.js. glstream is not on PyPI yet, so `pip install glstream` finds the wheel `make wheel` wrote
// (PIP_FIND_LINKS), as it will find the published one; its dependencies come from PyPI.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { freshVenv, inVenv } from '../support/fresh-venv.js';
import type { OtherVenv } from '../support/jupyter-server.js';
import { cmdline } from '../support/proc.js';
import { waitFor } from '../support/wait.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
// `make demo` serves until stopped: it works once JupyterLab says where.
const SERVING = /http:\/\/127\.0\.0\.1:\d+\/lab\?token=\w+/;

// The lines of the README's first code block and of its ```sh blocks, with comments and blank lines left out.
function shellCommands(): { first: string[]; commands: string[] } {
  const blocks = [...README.matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)];
  const lines = (body: string) =>
    body
      .split('\n')
      .map((line) => line.replace(/\s+#.*$/, '').trim())
      .filter((line) => line !== '' && !line.startsWith('#'));
  const first = lines(blocks[0]![2]!);
  const commands = [
    ...first,
    ...blocks.filter(([, language]) => language === 'sh').flatMap(([, , body]) => lines(body!)),
  ];
  return { first, commands };
}

let workdir: string;
let venv: OtherVenv;

before(async () => {
  workdir = mkdtempSync(join(tmpdir(), 'glstream-readme-'));
  const fresh = await freshVenv(workdir);
  venv = { ...fresh, env: { ...fresh.env, PIP_FIND_LINKS: join(ROOT, 'dist') } };
});

after(() => {
  for (const pid of readdirSync('/proc').map(Number)) {
    if (Number.isInteger(pid) && cmdline(pid).some((arg) => arg.includes(workdir))) process.kill(pid, 'SIGKILL');
  }
  rmSync(workdir, { recursive: true, force: true });
});

test("the README's first code block is the contributors' two commands", () => {
  assert.deepEqual(shellCommands().first, ['make demo', 'make test']);
});

test('every shell command in the README works when pasted', async () => {
  const { commands } = shellCommands();
  assert.ok(commands.includes('pip install glstream'), 'the README shows how to install glstream');
  for (const command of commands) {
    // this test is one of those `make test` runs: CI runs `make test` itself
    if (command === 'make test') continue;
    const started = Date.now();
    if (command === 'make demo') await makeDemo();
    else {
      const result = await inVenv(venv, workdir, 'bash', ['-c', command]);
      assert.equal(result.exitCode, 0, `\`${command}\` exited ${result.exitCode}:\n${result.all}`);
    }
    console.log(`ok: \`${command}\` (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  }
});

// `make demo` in the clone: set-up (done already, so quick) and JupyterLab serving the examples; stopped once it is.
async function makeDemo(): Promise<void> {
  const demo = execa('make', ['demo'], { cwd: ROOT, detached: true, reject: false, all: true });
  let output = '';
  demo.all!.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  try {
    await waitFor(() => SERVING.test(output) || demo.exitCode !== null, 120_000, 'make demo to serve JupyterLab');
    assert.match(output, SERVING, `make demo did not serve JupyterLab:\n${output}`);
    const url = output.match(SERVING)![0];
    const response = await fetch(url);
    assert.equal(response.status, 200, `${url} answered ${response.status}`);
  } finally {
    process.kill(-demo.pid!, 'SIGTERM');
    await demo;
  }
}
