// Closing views and the session with work still queued on the GL context: nothing draws for a closed view, a
// request queued before the close is answered, and a failing step of the close does not skip the ones after it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DisplaySetup } from '../src/display/index.js';
import { errorReply } from '../src/errors.js';
import { GlQueue } from '../src/render/gl-queue.js';
import type { Renderer } from '../src/render/renderer.js';
import { Session } from '../src/kernel/session.js';
import { LiveView } from '../src/stream/live-view.js';
import { CameraLinks } from '../src/render/camera-link.js';
import { ObjectStore } from '../src/render/objects/store.js';
import { SceneSource } from '../src/render/scene-source.js';
import { waitFor } from '../../../test/support/wait.js';

// A renderer that records what it is asked to do, and refuses to draw once disposed (as a destroyed GL context
// would fail).
function standInRenderer(disposeFails = false) {
  const calls: string[] = [];
  let onDraw = () => {};
  const draw = () => {
    if (calls.includes('dispose')) throw new Error('drew on a disposed context');
    calls.push('draw');
    onDraw();
  };
  const pixels = { data: new Uint8Array(2 * 2 * 4).fill(200), width: 2, height: 2 };
  const renderer = {
    draw,
    read: () => pixels,
    render: () => {
      draw();
      return pixels;
    },
    info: () => ({ vendor: 'test', renderer: 'test', version: 'WebGL 1.0' }),
    dispose: () => {
      calls.push('dispose');
      if (disposeFails) throw new Error('dispose failed');
    },
  };
  return {
    renderer: renderer as unknown as Renderer,
    calls,
    drawing: () => new Promise<void>((resolve) => (onDraw = resolve)),
  };
}

// A display that records whether it was stopped.
function standInDisplay(): { setup: DisplaySetup; stopped: () => boolean } {
  let stopped = false;
  const display = {
    name: ':99',
    source: 'xvfb' as const,
    pid: null,
    xauthority: null,
    stop: async () => {
      stopped = true;
    },
  };
  return { setup: { display, steps: [], env: {}, preload: [], driver: null }, stopped: () => stopped };
}

// A session started on a stand-in display, drawing with `renderer`.
async function startedSession(renderer: Renderer, display: ReturnType<typeof standInDisplay>): Promise<Session> {
  const session = new Session({
    sink: () => undefined,
    onViewError: () => undefined,
    obtainDisplay: async () => display.setup,
    createRenderer: () => renderer,
  });
  await session.call('start', {}, []);
  return session;
}

function liveView(renderer: Renderer, queue: GlQueue) {
  const frames: unknown[] = [];
  const errors: unknown[] = [];
  const events = { changed: () => undefined, gone: () => undefined };
  const view = new LiveView(
    'v',
    { width: 2, height: 2 },
    { sink: (meta) => frames.push(meta), onError: (error) => errors.push(error) },
    new SceneSource(
      'v',
      '#000000',
      { width: 2, height: 2 },
      { renderer, queue, objects: new ObjectStore(), links: new CameraLinks() },
      events,
    ),
  );
  return { view, frames, errors };
}

test('a job queued with an aborted signal never runs, and the queue goes on', async () => {
  const queue = new GlQueue();
  const ran: string[] = [];
  const closed = new AbortController();
  const skipped = queue.run(async () => ran.push('skipped'), closed.signal);
  closed.abort(new Error('closed'));
  await assert.rejects(skipped, /closed/);
  await queue.run(async () => ran.push('next'));
  assert.deepEqual(ran, ['next']);
});

test('closing a view whose frame is queued behind other GL work draws and sends nothing for it', async () => {
  const { renderer, calls } = standInRenderer();
  const queue = new GlQueue();
  let release = () => {};
  const gate = new Promise<void>((resolve) => (release = resolve));
  const busy = queue.run(() => gate);
  const { view, frames, errors } = liveView(renderer, queue);
  view.input({ type: 'resize', width: 2, height: 2, dpr: 1 });
  const disposed = view.dispose();
  release();
  await busy;
  await disposed;
  await queue.idle();
  assert.deepEqual(calls, [], 'the closed view drew nothing');
  assert.deepEqual(frames, [], 'and sent nothing');
  assert.deepEqual(errors, [], 'and its cancelled frame is not reported as a failure');
});

test('a frame being encoded when its view closes is not sent', async () => {
  const { renderer, drawing } = standInRenderer();
  const queue = new GlQueue();
  const { view, frames } = liveView(renderer, queue);
  const drawn = drawing();
  view.input({ type: 'resize', width: 2, height: 2, dpr: 1 });
  await drawn;
  await view.dispose();
  await queue.idle();
  assert.deepEqual(frames, []);
});

test('a snapshot requested just before the session closes is answered before the context is freed', async () => {
  const { renderer, calls } = standInRenderer();
  const display = standInDisplay();
  const session = await startedSession(renderer, display);
  await session.call('create_view', { view: 'v', width: 2, height: 2, background: '#000000' }, []);
  const snapshot = session.call('snapshot', { view: 'v' }, []);
  const closed = session.close();
  const { payload } = await snapshot;
  await closed;
  assert.deepEqual([...payload!.subarray(1, 4)], [...Buffer.from('PNG')], 'the snapshot is a PNG');
  assert.deepEqual(calls, ['draw', 'dispose'], 'drawn before the context was freed');
  assert.ok(display.stopped());
});

test('when freeing the context fails, the session still stops its X server', async () => {
  const { renderer, calls } = standInRenderer(true);
  const display = standInDisplay();
  const session = await startedSession(renderer, display);
  const logged: unknown[][] = [];
  const log = console.error;
  console.error = (...args: unknown[]) => logged.push(args);
  try {
    await session.close();
  } finally {
    console.error = log;
  }
  assert.deepEqual(calls, ['dispose']);
  assert.ok(display.stopped(), 'the X server was stopped after the failed step');
  assert.match(String(logged[0]?.[0]), /could not free the GL context while closing/);
});

test('a handler that fails unexpectedly is an internal error naming the JavaScript error', async () => {
  const session = new Session({
    sink: () => undefined,
    onViewError: () => undefined,
    handlers: new Map([
      [
        'broken',
        async () => {
          throw new TypeError("Cannot read properties of undefined (reading 'shape')");
        },
      ],
    ]),
  });
  const failure = await session.call('broken', {}, []).then(
    () => assert.fail('the handler should have failed'),
    (error: unknown) => error,
  );
  assert.deepEqual(errorReply(failure), {
    code: 'internal',
    message: "the sidecar failed: TypeError: Cannot read properties of undefined (reading 'shape')",
  });
  await waitFor(
    async () => errorReply(await session.call('missing', {}, []).catch((e) => e)).code === 'protocol',
    10_000,
    'the session to go on answering requests',
  );
});
