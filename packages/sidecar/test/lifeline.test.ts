// The lifeline: given the read end of a pipe whose write end the kernel holds, the X server outlives a killed
// sidecar (a restarted one can use the display again) and stops, with its private directory, once the write end
// closes; a normal close of the sidecar still stops it.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { closeSync, existsSync, fstatSync, openSync, readdirSync, readlinkSync } from 'node:fs';
import { mkdtemp, open, rm, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { serverFiles } from '../src/display/server-files.js';
import { errorReply } from '../src/errors.js';
import { startOptions } from '../src/kernel/start-options.js';
import { alive } from '../../../test/support/proc.js';
import { SidecarClient } from '../../../test/support/sidecar-client.js';
import { waitFor } from '../../../test/support/wait.js';

const run = promisify(execFile);

// A pipe made through a FIFO (Node has no pipe()): both ends opened blocking, the FIFO's name removed. The write
// end is a FileHandle, which Node would close when it is garbage collected: it is kept until closed here.
async function pipe(): Promise<{ read: number; write: FileHandle }> {
  const dir = await mkdtemp(join(tmpdir(), 'glstream-lifeline-'));
  const fifo = join(dir, 'fifo');
  await run('mkfifo', [fifo]);
  // Each open waits for the other end: the write end's on the thread pool, the read end's here.
  const writing = open(fifo, 'w');
  const read = openSync(fifo, 'r');
  const write = await writing;
  await rm(dir, { recursive: true });
  return { read, write };
}

// A sidecar that inherits the pipe's read end as fd 3 and gives it to its X server; this process keeps the write end.
async function startWithLifeline(params: Record<string, unknown> = {}) {
  const { read, write } = await pipe();
  const client = new SidecarClient({ env: { DISPLAY: '' }, fds: [read] });
  closeSync(read);
  const started = await client.start({ ...params, lifeline_fd: 3 });
  const display = String(started['display']);
  const xauthority = String(started['xauthority']);
  return { client, write, display, xauthority, pid: started['xserver_pid'] as number };
}

// Whether `pid` holds an fd on the pipe that `end` is an end of.
function holdsPipe(pid: number, end: FileHandle): boolean {
  const name = `pipe:[${fstatSync(end.fd).ino}]`;
  return readdirSync(`/proc/${pid}/fd`).some((entry) => {
    try {
      return readlinkSync(`/proc/${pid}/fd/${entry}`) === name;
    } catch {
      return false;
    }
  });
}

async function answers(display: string, xauthority: string): Promise<boolean> {
  const env = { ...process.env, DISPLAY: display, XAUTHORITY: xauthority };
  return run('xdpyinfo', ['-display', display], { env }).then(
    () => true,
    () => false,
  );
}

// Wait for the X server and its files to go; one that stays is stopped, so that a failure leaves nothing behind.
async function goneWithFiles(pid: number, display: string, xauthority: string): Promise<void> {
  const { lock, socket } = serverFiles(display);
  await waitFor(
    () => !alive(pid) && !existsSync(dirname(xauthority)) && !existsSync(lock) && !existsSync(socket),
    15_000,
    `X server ${pid}, its lock, socket and private directory to go`,
  ).catch((error: unknown) => {
    if (alive(pid)) process.kill(pid, 'SIGTERM');
    throw error;
  });
}

describe('a lifeline from the kernel', () => {
  for (const backend of ['xvfb', 'xpra'] as const) {
    test(`${backend}: survives SIGKILL of the sidecar, stops when the write end closes`, async () => {
      const { client, write, display, xauthority, pid } = await startWithLifeline({ backend });
      try {
        assert.equal(holdsPipe(client.process.pid!, write), false, 'the sidecar let go of its copy of the pipe');
        client.process.kill('SIGKILL');
        await client.exited();
        assert.ok(await answers(display, xauthority), 'the display answers after the sidecar was killed');
        assert.ok(alive(pid));
      } finally {
        await write.close();
      }
      await goneWithFiles(pid, display, xauthority);
    });
  }

  test('a normal close of the sidecar still stops its X server while the lifeline is open', async () => {
    const { client, write, display, xauthority, pid } = await startWithLifeline();
    try {
      client.process.stdin.end();
      assert.equal(await client.exited(), 0);
      await goneWithFiles(pid, display, xauthority);
    } finally {
      await write.close();
    }
  });

  test('a lifeline_fd that is not an open pipe above 2 is an invalid_argument naming it', async () => {
    const file = await open(fileURLToPath(import.meta.url), 'r');
    for (const value of ['3', 3.5, 2, -1, 1_000_000, file.fd]) {
      const reply = errorReply(captured(() => startOptions({ lifeline_fd: value })));
      assert.equal(reply.code, 'invalid_argument', JSON.stringify(value));
      assert.match(reply.message, /"lifeline_fd"/);
    }
    await file.close();
  });
});

function captured(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  assert.fail('expected an error');
}
