// The camera NOTICE's source: a scene tells where its camera came to rest once per gesture (not per move), at once
// after the kernel placed or reset it, and linked views tell theirs; `follows` says whether it still frames the
// scene by itself.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Kind, type KeyInput, type PointerInput, type WheelInput } from '@glstream/protocol';
import { cameraState, type CameraState } from '../src/render/camera.js';
import { CameraLinks } from '../src/render/camera-link.js';
import { REST_MS } from '../src/render/camera-rest.js';
import { GlQueue } from '../src/render/gl-queue.js';
import { ObjectStore } from '../src/render/objects/store.js';
import { fitOrbit } from '../src/render/orbit.js';
import type { Renderer } from '../src/render/renderer.js';
import { SceneSource } from '../src/render/scene-source.js';
import { pointerInput } from '../../../test/support/input-events.js';
import { SidecarClient } from '../../../test/support/sidecar-client.js';
import { waitFor } from '../../../test/support/wait.js';

interface Told {
  view: string;
  camera: CameraState;
  follows: boolean;
}

const canvas = { width: 200, height: 100 };

// Scene sources sharing one set of links, and every camera at rest they told of.
function scenes(...ids: string[]) {
  const told: Told[] = [];
  const shared = {
    renderer: {} as Renderer,
    queue: new GlQueue(),
    objects: new ObjectStore(),
    links: new CameraLinks(),
    cameraRested: (view: string, camera: CameraState, follows: boolean) => told.push({ view, camera, follows }),
  };
  const events = { changed: () => {}, gone: () => {} };
  const sources = ids.map((id) => new SceneSource(id, '#000000', canvas, shared, events));
  return { told, sources, links: shared.links };
}

function drag(source: SceneSource, moves: number): void {
  source.input(pointerInput('down', 10, 10, 1, 1) as unknown as PointerInput, canvas);
  for (let i = 1; i <= moves; i += 1) {
    source.input(pointerInput('move', 10 + 5 * i, 10 + 2 * i, 1 + i, 1) as unknown as PointerInput, canvas);
  }
  source.input(pointerInput('up', 10 + 5 * moves, 10 + 2 * moves, 2 + moves, 0) as unknown as PointerInput, canvas);
}

function wheel(dy: number, seq: number): WheelInput {
  return { type: 'wheel', x: 50, y: 50, dx: 0, dy, seq, t: seq, ctrl: false, shift: false, alt: false, meta: false };
}

test('a drag tells its camera once, when the pointer is let go, no longer following the scene', () => {
  const { told, sources } = scenes('a');
  const [a] = sources as [SceneSource];
  drag(a, 5);
  assert.equal(told.length, 1);
  assert.deepEqual(told[0], { view: 'a', camera: cameraState(a.orbit), follows: false });
  a.dispose();
});

test('wheel turns tell once they have stopped for a while', (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const { told, sources } = scenes('a');
  const [a] = sources as [SceneSource];
  for (let i = 1; i <= 4; i += 1) {
    a.input(wheel(40, i), canvas);
    t.mock.timers.tick(REST_MS - 1);
  }
  assert.equal(told.length, 0, 'nothing is told while the wheel turns');
  t.mock.timers.tick(1);
  assert.equal(told.length, 1);
  assert.deepEqual(told[0], { view: 'a', camera: cameraState(a.orbit), follows: false });
  t.mock.timers.tick(10 * REST_MS);
  assert.equal(told.length, 1, 'told once');
  a.dispose();
});

test('set_camera and reset_camera tell at once; after a reset the camera follows the scene again', () => {
  const { told, sources } = scenes('a');
  const [a] = sources as [SceneSource];
  const placed = fitOrbit([1, 2, 3], 4, 30);
  a.place(placed);
  assert.deepEqual(told, [{ view: 'a', camera: cameraState(placed), follows: false }]);
  a.resetCamera();
  assert.equal(told.length, 2);
  assert.equal(told[1]!.follows, true);
  assert.deepEqual(told[1]!.camera, cameraState(a.orbit));
  a.dispose();
});

test('the "r" key frames the scene again, and the camera told follows it', (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const { told, sources } = scenes('a');
  const [a] = sources as [SceneSource];
  drag(a, 3);
  const key: KeyInput = { type: 'key', key: 'r', seq: 9, t: 9, ctrl: false, shift: false, alt: false, meta: false };
  a.input(key, canvas);
  t.mock.timers.tick(REST_MS);
  assert.deepEqual(
    told.map((told) => told.follows),
    [false, true],
  );
  assert.deepEqual(told[1]!.camera, cameraState(a.orbit));
  a.dispose();
});

test('a view linked to a dragged one tells its own camera once the moves stop', async () => {
  const { told, sources, links } = scenes('a', 'b');
  const [a, b] = sources as [SceneSource, SceneSource];
  links.link([a, b]);
  await waitFor(() => told.some((t) => t.view === 'b'), 5_000, "the linked view's camera after linking");
  told.length = 0;
  drag(a, 6);
  await waitFor(() => told.some((t) => t.view === 'b'), 5_000, "the linked view's camera at rest");
  assert.deepEqual(
    told.map((t) => t.view),
    ['a', 'b'],
  );
  assert.deepEqual(told[1]!.camera, cameraState(a.orbit));
  assert.equal(told[1]!.follows, false);
  a.dispose();
  b.dispose();
});

test('a closed view tells nothing more', (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const { told, sources } = scenes('a');
  const [a] = sources as [SceneSource];
  a.input(wheel(40, 1), canvas);
  void a.dispose();
  t.mock.timers.tick(10 * REST_MS);
  assert.equal(told.length, 0);
});

test('the sidecar sends the kernel a camera NOTICE after set_camera', async () => {
  const client = new SidecarClient({ env: { DISPLAY: '' } });
  try {
    await client.start();
    client.resultOf(await client.call('create_view', { view: 'v', width: 64, height: 64, background: '#000000' }));
    client.resultOf(await client.call('set_camera', { view: 'v', position: [0, 0, 5], target: [0, 0, 0] }));
    const notice = await client.waitFor((m) => m.kind === Kind.NOTICE && m.meta['level'] === 'camera');
    const { camera, follows, view } = notice.meta as unknown as Told;
    assert.equal(view, 'v');
    assert.equal(follows, false);
    assert.deepEqual(
      camera.position.map((value) => Math.round(value * 1e6) / 1e6),
      [0, 0, 5],
    );
    assert.deepEqual(Object.keys(camera).sort(), ['fov', 'position', 'target', 'up']);
  } finally {
    await client.stop();
  }
});
