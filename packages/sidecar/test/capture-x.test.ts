import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { useX } from '../src/capture/x/connection.js';
import { closeXConnection, listWindows, openXWindow, type XWindowSource } from '../src/capture/x/index.js';
import { useDisplay } from '../src/display/index.js';
import { probeOf } from '../src/display/probe.js';
import type { Display } from '../src/display/x-server.js';
import { startXvfb } from '../src/display/xvfb.js';
import type { GlstreamError } from '../src/errors.js';
import type { Pixels } from '../src/render/renderer.js';
import type { Canvas } from '../src/stream/source.js';
import { waitFor } from '../../../test/support/wait.js';

const PYTHON = fileURLToPath(new URL('../../../.venv/bin/python', import.meta.url));
const REPORT_INPUT = fileURLToPath(new URL('../../../test/programs/report-input.py', import.meta.url));
const TIMEOUT_MS = 15_000;
const ORANGE = [0xff, 0x80, 0x00];
const request = { width: 1, height: 1, still: false };

let display: Display | undefined;
const programs: ChildProcess[] = [];

before(async () => {
  const started = await startXvfb(probeOf({ env: { ...process.env, DISPLAY: '' } }), '1600x1200x24');
  assert.ok(started.display, started.step.reason);
  display = started.display;
  useDisplay(display);
});

after(async () => {
  for (const program of programs) program.kill('SIGKILL');
  await closeXConnection();
  await display?.stop();
});

// A program on the test display; its stdout is read only when `read` says so.
function run(file: string, args: string[], read: boolean): ChildProcess {
  const program = spawn(file, args, { stdio: ['pipe', read ? 'pipe' : 'ignore', 'inherit'] });
  programs.push(program);
  return program;
}

// glxgears at `geometry` (WxH+X+Y), and its window once mapped.
async function gears(geometry: string): Promise<{ program: ChildProcess; id: number }> {
  const program = run('/usr/bin/glxgears', ['-geometry', geometry], false);
  const window = await waitFor(
    async () => (await listWindows(program.pid)).find((found) => found.mapped),
    TIMEOUT_MS,
    'the glxgears window',
  );
  return { program, id: window.id };
}

// A line report-input.py printed, and when it arrived.
type Line = Record<string, unknown> & { at: number };

// report-input.py at `geometry`, its window, and the events it reported.
async function reporter(geometry: string): Promise<{ program: ChildProcess; id: number; lines: Line[] }> {
  const program = run(PYTHON, [REPORT_INPUT, geometry], true);
  const lines: Line[] = [];
  createInterface({ input: program.stdout! }).on('line', (text) =>
    lines.push({ ...(JSON.parse(text) as Record<string, unknown>), at: performance.now() }),
  );
  const ready = await waitFor(() => lines.find((line) => line.type === 'ready'), TIMEOUT_MS, 'report-input ready');
  lines.length = 0;
  return { program, id: ready['id'] as number, lines };
}

// The first reported line with all the fields of `like`.
function seen(lines: Line[], like: Record<string, unknown>): Promise<Line> {
  const matches = (line: Line) => Object.entries(like).every(([key, value]) => line[key] === value);
  return waitFor(() => lines.find(matches), TIMEOUT_MS, `report-input to print ${JSON.stringify(like)}`);
}

// A capture that counts its changes and keeps the error it was gone with.
async function capture(id: number): Promise<{ source: XWindowSource; changes: () => number; gone: Error[] }> {
  let changes = 0;
  const gone: Error[] = [];
  const source = await openXWindow(id, { changed: () => changes++, gone: (error) => gone.push(error) });
  return { source, changes: () => changes, gone };
}

// A copy of a frame (the source reuses its buffer) and what the tests measure of it.
function measure(pixels: Pixels) {
  const data = Uint8Array.from(pixels.data);
  let sum = 0;
  let squares = 0;
  let orange = 0;
  let opaque = 0;
  const count = pixels.width * pixels.height;
  for (let i = 0; i < data.length; i += 4) {
    const level = (data[i]! + data[i + 1]! + data[i + 2]!) / 3;
    sum += level;
    squares += level * level;
    if (data[i] === ORANGE[0] && data[i + 1] === ORANGE[1] && data[i + 2] === ORANGE[2]) orange++;
    if (data[i + 3] === 255) opaque++;
  }
  const mean = sum / count;
  return {
    data,
    width: pixels.width,
    height: pixels.height,
    stddev: Math.sqrt(squares / count - mean * mean),
    orange,
    opaque,
  };
}

// Pixels of two frames of the same size that differ.
function differing(a: Uint8Array, b: Uint8Array): number {
  let count = 0;
  for (let i = 0; i < a.length; i += 4) if (a[i] !== b[i] || a[i + 1] !== b[i + 1] || a[i + 2] !== b[i + 2]) count++;
  return count;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

describe('X window capture on a real Xvfb', () => {
  test('listWindows finds the window of a pid through X-Resource (glxgears sets no _NET_WM_PID)', async () => {
    const { program, id } = await gears('320x240+0+0');
    const [found, ...more] = await listWindows(program.pid);
    assert.deepEqual(found, { id, pid: program.pid, name: 'glxgears', width: 320, height: 240, mapped: true });
    assert.equal(more.length, 0);
    assert.ok((await listWindows()).some((window) => window.id === id));
    assert.deepEqual(await listWindows(process.pid), [], 'the test process made no window');
    program.kill('SIGKILL');
  });

  test('opening a window that does not exist fails with not_found, a bad id with invalid_argument', async () => {
    await assert.rejects(openXWindow(0x7ffffff0, { changed() {}, gone() {} }), (error: GlstreamError) => {
      assert.equal(error.code, 'not_found');
      assert.match(error.message, /0x7ffffff0/);
      return true;
    });
    await assert.rejects(openXWindow(-1, { changed() {}, gone() {} }), { code: 'invalid_argument' });
  });

  test('frames of glxgears are not blank and change as it redraws, which Damage reports', async () => {
    const { program, id } = await gears('320x240+0+0');
    const { source, changes } = await capture(id);
    try {
      // A window mapped a moment ago may not have drawn yet.
      await waitFor(() => changes() > 0, TIMEOUT_MS, 'Damage to report a first frame');
      const first = await source.grab(request);
      assert.equal(first.rows, 'top-down');
      assert.equal(first.standIn, false);
      const one = measure(first.pixels);
      assert.deepEqual([one.width, one.height], [320, 240]);
      assert.equal(one.opaque, 320 * 240, 'alpha is 255');
      assert.ok(one.stddev > 20, `the gears show (pixel deviation ${one.stddev.toFixed(1)})`);
      const counted = changes();
      await waitFor(() => changes() > counted, TIMEOUT_MS, 'Damage to report a redraw');
      const second = await source.grab(request);
      const two = measure(second.pixels);
      assert.ok(differing(one.data, two.data) > 100, 'the gears turned');
      assert.equal(differing(one.data, first.pixels.data), 0, 'a frame the view holds is not overwritten');
      first.release?.();
      const third = await source.grab(request);
      assert.equal(third.pixels.data.buffer, first.pixels.data.buffer, 'a released buffer is reused');
    } finally {
      await source.dispose();
      program.kill('SIGKILL');
    }
  });

  test('a covered window, or one partly off the screen, is still captured whole', async () => {
    const { program, id } = await gears('320x240+0+0');
    const { source, changes } = await capture(id);
    const cover = await reporter('320x240+0+0');
    try {
      await waitFor(() => changes() > 0, TIMEOUT_MS, 'Damage to report a first frame');
      const { x, done } = await useX();
      const screen = await x.ask(x.client, 'GetImage', 2, x.root, 160, 120, 1, 1, 0xffffffff);
      assert.deepEqual([...screen.data.subarray(0, 3)].reverse(), ORANGE, 'the cover is on top on the screen');
      const covered = measure((await source.grab(request)).pixels);
      assert.equal(covered.orange, 0, 'the cover does not show in the capture');
      assert.ok(covered.stddev > 20, 'the gears do');
      const counted = changes();
      await waitFor(() => changes() > counted, TIMEOUT_MS, 'Damage while covered');
      assert.ok(differing(covered.data, measure((await source.grab(request)).pixels).data) > 100, 'they turn');

      x.client.ConfigureWindow(id, { x: 1500, y: 600 });
      assert.equal((await x.ask(x.client, 'GetGeometry', id)).xPos, 1500, 'glxgears moved 220 pixels past the edge');
      done();
      const off = measure((await source.grab(request)).pixels);
      assert.deepEqual([off.width, off.height], [320, 240]);
      let litOffScreen = 0;
      for (let row = 0; row < 240; row++)
        for (let column = 100; column < 320; column++) if (off.data[(row * 320 + column) * 4]! > 30) litOffScreen++;
      assert.ok(litOffScreen > 500, `the part past the screen's edge shows gears (${litOffScreen} lit pixels)`);
    } finally {
      await source.dispose();
      cover.program.kill('SIGKILL');
      program.kill('SIGKILL');
    }
  });

  test('resize() configures the window to the last of a burst of sizes, and frames follow', async () => {
    const { program, id, lines } = await reporter('400x300+700+100');
    const { source } = await capture(id);
    try {
      source.resize(450, 350, 2);
      source.resize(460, 360, 2);
      source.resize(500, 400, 2);
      await seen(lines, { type: 'configure', width: 500, height: 400 });
      assert.deepEqual(
        lines.filter((line) => line.type === 'configure' && line.width !== 500),
        [],
        'only the last size of the burst',
      );
      await waitFor(async () => (await source.grab(request)).pixels.width === 500, TIMEOUT_MS, 'a 500 wide frame');
      const frame = measure((await source.grab(request)).pixels);
      assert.deepEqual([frame.width, frame.height], [500, 400]);
      assert.equal(frame.orange, 500 * 400, 'the whole window, filled');
      assert.deepEqual(source.size, { width: 500, height: 400 });
    } finally {
      await source.dispose();
      program.kill('SIGKILL');
    }
  });

  test('pointer, buttons, wheel and keys reach the program at window coordinates, scaled from the canvas', async () => {
    const { program, id, lines } = await reporter('400x300+700+100');
    const { source } = await capture(id);
    const canvas: Canvas = { width: 200, height: 150 };
    const none = { ctrl: false, shift: false, alt: false, meta: false, seq: 1, t: 0 };
    const pointer = { type: 'pointer', button: 0, buttons: 0, ...none } as const;
    try {
      assert.equal(source.input({ ...pointer, phase: 'move', x: 50, y: 40 }, canvas), 'later');
      await seen(lines, { type: 'motion', x: 100, y: 80 });
      source.input({ ...pointer, phase: 'down', x: 60, y: 50, buttons: 1 }, canvas);
      source.input({ ...pointer, phase: 'up', x: 61, y: 50 }, canvas);
      await seen(lines, { type: 'press', button: 1, x: 120, y: 100 });
      await seen(lines, { type: 'release', button: 1, x: 122, y: 100 });
      source.input({ ...pointer, phase: 'down', x: 10, y: 10, button: 2, buttons: 2 }, canvas);
      source.input({ ...pointer, phase: 'up', x: 10, y: 10, button: 2 }, canvas);
      await seen(lines, { type: 'release', button: 3, x: 20, y: 20 });

      const wheel = { type: 'wheel', x: 100, y: 75, dx: 0, dy: 0, ...none } as const;
      source.input({ ...wheel, dy: -100 }, canvas);
      source.input({ ...wheel, dy: 100 }, canvas);
      source.input({ ...wheel, dx: 100 }, canvas);
      for (const button of [4, 5, 7]) await seen(lines, { type: 'press', button, x: 200, y: 150 });

      const key = { type: 'key', ...none } as const;
      source.input({ ...key, key: 'a' }, canvas);
      source.input({ ...key, key: 'A', shift: true }, canvas);
      source.input({ ...key, key: 'Enter' }, canvas);
      source.input({ ...key, key: 'é' }, canvas);
      const a = await seen(lines, { type: 'key', keysym: 0x61, name: 'a' });
      assert.equal((a['state'] as number) & 1, 0, 'no Shift on a');
      const shifted = await seen(lines, { type: 'key', keysym: 0x41, name: 'A' });
      assert.equal((shifted['state'] as number) & 1, 1, 'Shift held on A');
      await seen(lines, { type: 'key', keysym: 0xff0d, name: 'Return' });
      await seen(lines, { type: 'key', keysym: 0xe9, name: 'eacute' });
      lines.length = 0;
      source.input({ ...key, key: 'a', ctrl: true }, canvas);
      const control = await seen(lines, { type: 'key', keysym: 0x61 });
      assert.equal((control['state'] as number) & 4, 4, 'Control held');
    } finally {
      await source.dispose();
      program.kill('SIGKILL');
    }
  });

  test('a program that ends, or closes its window, makes the capture gone; grabs then fail', async () => {
    const { program, id } = await gears('200x150+900+500');
    const killed = await capture(id);
    const closing = await reporter('100x100+1200+800');
    const closed = await capture(closing.id);
    try {
      program.kill('SIGKILL');
      closing.program.stdin!.end();
      for (const [capture, window] of [
        [killed, id],
        [closed, closing.id],
      ] as const) {
        await waitFor(() => capture.gone.length > 0, TIMEOUT_MS, 'gone()');
        const [error] = capture.gone as GlstreamError[];
        assert.equal(error!.code, 'source_gone');
        assert.equal(error!.message, `window 0x${window.toString(16)} was closed: its program closed it or ended`);
        await assert.rejects(capture.source.grab(request), { code: 'source_gone', message: error!.message });
        assert.equal(capture.gone.length, 1, 'gone() once');
      }
    } finally {
      await killed.source.dispose();
      await closed.source.dispose();
    }
  });

  test('the connection is shared, closes with its last user, and closing it makes captures gone', async () => {
    const first = await useX();
    const second = await useX();
    assert.equal(first.x, second.x);
    const ended = () => first.x.ended;
    first.done();
    assert.equal(ended(), null);
    second.done();
    assert.match(String(ended()?.message), /was closed/);

    const { program, id } = await reporter('100x100+0+900');
    const { source, gone } = await capture(id);
    try {
      await closeXConnection();
      await waitFor(() => gone.length > 0, TIMEOUT_MS, 'gone() after the connection closed');
      assert.match(gone[0]!.message, /can no longer be captured: the X connection to :\d+ was closed/);
      await assert.rejects(source.grab(request), { code: 'source_gone' });
      const again = await capture(id);
      assert.equal((await again.source.grab(request)).pixels.width, 100, 'a new connection opens on demand');
      await again.source.dispose();
    } finally {
      await source.dispose();
      program.kill('SIGKILL');
    }
  });

  test('1280x720: grab, swizzle and input timings', async (t) => {
    // An idle window: a program drawing all the time (glxgears) would time the machine's load, not the capture.
    const { program, id, lines } = await reporter('1280x720+0+0');
    const { source } = await capture(id);
    const canvas = { width: 1280, height: 720 };
    const none = { ctrl: false, shift: false, alt: false, meta: false, t: 0 };
    try {
      const grabs = [];
      for (let i = 0; i < 30; i++) {
        const grab = await source.grab(request);
        // As the view does once it encoded the frame, so the next grab reuses the buffer.
        grab.release?.();
        grabs.push(grab);
      }
      assert.ok(grabs.every((grab) => grab.pixels.width === 1280 && grab.pixels.height === 720));
      const grabMs = median(grabs.map((grab) => grab.render_ms));
      const swizzleMs = median(grabs.map((grab) => grab.readback_ms));
      const sent: number[] = [];
      const arrived: number[] = [];
      for (let i = 0; i < 20; i++) {
        const start = performance.now();
        source.input(
          { type: 'pointer', phase: 'move', x: 10 + i, y: 10, button: 0, buttons: 0, seq: i, ...none },
          canvas,
        );
        sent.push(performance.now() - start);
        arrived.push((await seen(lines, { type: 'motion', x: 10 + i, y: 10 })).at - start);
      }
      t.diagnostic(
        `1280x720: SHM grab ${grabMs.toFixed(2)} ms, swizzle ${swizzleMs.toFixed(2)} ms (medians of 30); ` +
          `input() ${(median(sent) * 1000).toFixed(0)} µs, motion seen by the program after ` +
          `${median(arrived).toFixed(1)} ms (median of 20)`,
      );
      assert.ok(grabMs < 100 && swizzleMs < 100, 'a frame is read in well under 100 ms');
    } finally {
      await source.dispose();
      program.kill('SIGKILL');
    }
  });
});
