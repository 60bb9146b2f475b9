// A scene's frames are pipelined: frame n is encoded while frame n + 1 is drawn and read back into a buffer of its
// own. The frames leave in the order they were drawn, each with the pixels of its own draw, and the queue is free
// for the next draw before the frame before it is sent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import type { PointerInput } from '@glstream/protocol';
import { GlQueue } from '../src/render/gl-queue.js';
import type { Renderer } from '../src/render/renderer.js';
import { CameraLinks } from '../src/render/camera-link.js';
import { ObjectStore } from '../src/render/objects/store.js';
import { PixelPool } from '../src/render/pixel-pool.js';
import { SceneSource } from '../src/render/scene-source.js';
import { LiveView, type ViewOptions } from '../src/stream/live-view.js';
import type { FrameSource } from '../src/stream/source.js';
import { pointerInput } from '../../../test/support/input-events.js';
import { waitFor } from '../../../test/support/wait.js';

const SIDE = 16;

// Draw number k paints every pixel grey level STEP * k.
const STEP = 5;
// Pointer moves in the drag: one more frame each.
const MOVES = 30;

// A renderer whose draw number k paints every pixel grey level STEP * k, into the buffer it is given to read into
// (its own when none fits); it logs each draw and calls `onDraw` after it.
function countingRenderer(log: string[], onDraw: () => void) {
  let drawn = 0;
  let size = { width: 0, height: 0 };
  let own = new Uint8Array(0);
  const renderer = {
    maxSide: SIDE,
    draw: (_view: unknown, width: number, height: number) => {
      drawn += 1;
      size = { width, height };
      log.push(`draw ${drawn}`);
      onDraw();
    },
    read: (into?: Uint8Array) => {
      const bytes = size.width * size.height * 4;
      if (own.byteLength !== bytes) own = new Uint8Array(bytes);
      const data = into?.byteLength === bytes ? into : own;
      data.fill(STEP * drawn);
      return { data, ...size };
    },
  };
  return renderer as unknown as Renderer;
}

// The grey level of a frame's middle pixel.
async function grey(payload: Uint8Array): Promise<number> {
  const { data, info } = await sharp(payload).raw().toBuffer({ resolveWithObject: true });
  return data[(Math.floor(info.height / 2) * info.width + Math.floor(info.width / 2)) * info.channels]!;
}

// A frame as the widget got it.
interface Sent {
  seq: number;
  still: boolean;
  payload: Uint8Array;
}

// A view of `source` whose widget acks each frame as it comes; each send is logged in `log` and kept in `sent`.
function ackedView(source: FrameSource, options: ViewOptions, log: string[], sent: Sent[]): LiveView {
  const view: LiveView = new LiveView(
    'v',
    options,
    {
      sink: (meta, payload) => {
        log.push(`sent ${meta.seq}`);
        sent.push({ seq: meta.seq, still: meta.still, payload });
        view.input({ type: 'ack', seq: meta.seq });
      },
      onError: (error) => assert.fail(String(error)),
    },
    source,
  );
  return view;
}

// Drag a view of a counting renderer (overlapping its frames or not) to its still; returns the log of draws and
// sends, and the frames sent.
async function drag(overlap: boolean) {
  const log: string[] = [];
  const queue = new GlQueue();
  const sent: Sent[] = [];
  const move = (phase: PointerInput['phase'], x: number, seq: number) =>
    view.input(pointerInput(phase, x, 8, seq, phase === 'up' ? 0 : 1) as unknown as PointerInput);
  // Each draw brings the drag's next move (so the next frame is due while this one is encoded), then the release.
  let moves = 0;
  const next = () => {
    moves += 1;
    if (moves === 1) move('down', 0, 1);
    if (moves <= MOVES) move('move', moves, moves + 1);
    else if (moves === MOVES + 1) move('up', moves, moves + 1);
  };
  const events = { changed: () => undefined, gone: () => undefined };
  const source = new SceneSource(
    'v',
    '#000000',
    { width: SIDE, height: SIDE },
    { renderer: countingRenderer(log, () => next()), queue, objects: new ObjectStore(), links: new CameraLinks() },
    events,
  );
  const view = ackedView(source, { width: SIDE, height: SIDE, overlap }, log, sent);
  try {
    view.input({ type: 'resize', width: SIDE, height: SIDE, dpr: 1 });
    await waitFor(() => moves > MOVES && sent.at(-1)?.still === true, 10_000, 'the still after the release');
    await queue.idle();
  } finally {
    await view.dispose();
  }
  return { log, sent };
}

// Whether a frame was drawn before the one before it was sent.
const overlapped = (log: string[], sent: Array<{ seq: number }>) =>
  sent.some(
    ({ seq }) => log.indexOf(`draw ${seq + 1}`) >= 0 && log.indexOf(`draw ${seq + 1}`) < log.indexOf(`sent ${seq}`),
  );

test('frames leave in order, each with its own pixels; the next is drawn before the last is sent', async () => {
  const { log, sent } = await drag(true);
  const draws = log.filter((entry) => entry.startsWith('draw')).length;
  assert.equal(sent.length, draws, 'every drawn frame is sent');
  assert.deepEqual(
    sent.map((frame) => frame.seq),
    sent.map((_, i) => i + 1),
    'frames leave in order',
  );
  for (const [i, frame] of sent.entries()) {
    const level = await grey(frame.payload);
    assert.ok(Math.abs(level - STEP * (i + 1)) <= 2, `frame ${i + 1} shows draw ${i + 1} (grey ${level})`);
  }
  assert.ok(overlapped(log, sent), `a frame was drawn while the one before it was encoded: ${log.join(', ')}`);
});

test('a view that does not overlap frames draws the next only once the last is sent', async () => {
  const { log, sent } = await drag(false);
  assert.ok(sent.length > MOVES / 2, `${sent.length} frames sent`);
  assert.equal(sent.at(-1)?.still, true);
  assert.equal(
    overlapped(log, sent),
    false,
    `no frame was drawn while the one before it was encoded: ${log.join(', ')}`,
  );
});

test("a captured window's frames overlap on any number of cores: its grab is the X server's work", async () => {
  const log: string[] = [];
  const sent: Sent[] = [];
  let grabs = 0;
  const source: FrameSource = {
    kind: 'x',
    // each grab finds the window redrawn again, so the next frame is due while this one is encoded
    grab: async (request) => {
      grabs += 1;
      log.push(`draw ${grabs}`);
      if (grabs < MOVES) view.changed();
      const data = new Uint8Array(request.width * request.height * 4).fill(STEP * grabs);
      const pixels = { data, width: request.width, height: request.height };
      return { pixels, rows: 'top-down', render_ms: 0, readback_ms: 0, standIn: false };
    },
    input: () => 'none',
    resize: () => undefined,
    dispose: async () => undefined,
  };
  const view = ackedView(source, { width: SIDE, height: SIDE }, log, sent);
  try {
    view.input({ type: 'resize', width: SIDE, height: SIDE, dpr: 1 });
    await waitFor(() => grabs >= MOVES && sent.some(({ seq }) => seq >= MOVES), 10_000, 'the last frame sent');
  } finally {
    await view.dispose();
  }
  assert.ok(overlapped(log, sent), `a frame was grabbed while the one before it was encoded: ${log.join(', ')}`);
});

test('the pool hands out a buffer no one holds, and keeps given-back ones of the current size only', () => {
  const pool = new PixelPool();
  const a = pool.take(16);
  const b = pool.take(16);
  assert.notEqual(a, b);
  pool.give(a);
  assert.equal(pool.take(16), a, 'a given-back buffer is reused');
  pool.give(b);
  const bigger = pool.take(32);
  assert.equal(bigger.byteLength, 32);
  assert.notEqual(bigger, b);
  pool.give(b);
  assert.notEqual(pool.take(32), b, 'a buffer of an old size is dropped');
});
