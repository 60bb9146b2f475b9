// Flow control, end to end through the real sidecar: the window of unacknowledged frames, bursts of input,
// the lossless still, and silence for a view that did not change. Nothing here is timed.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import { Kind, type Message, type PointerInput } from '@glstream/protocol';
import { pointerInput } from '../../../test/support/input-events.js';
import { cube, sphere } from '../../../test/support/meshes.js';
import { SidecarClient } from '../../../test/support/sidecar-client.js';
import { MAX_FRAMES, MIN_FRAMES } from '../src/stream/frame-window.js';
import { waitFor } from '../../../test/support/wait.js';

const VIEW = 'flow';
let client: SidecarClient;

const pointer = (phase: PointerInput['phase'], x: number, seq: number, buttons = 1) => ({
  view: VIEW,
  ...pointerInput(phase, x, 50, seq, buttons),
});
const ack = (frame: Message) => client.send(Kind.EVENT, { view: VIEW, type: 'ack', seq: frame.meta['seq'] });
const frames = () => client.frames(VIEW);
// A snapshot round trip: requests and frame jobs share one queue, so every frame the events before it caused has
// been sent.
const barrier = () => client.call('snapshot', { view: VIEW, width: 8, height: 8 });
// The frames sent once the sidecar has no more to send: each frame is made after the one before it is sent, so a
// barrier may pass before the next; the count is final when two barriers in a row add nothing.
async function settled(): Promise<number> {
  for (let round = 0; round <= 2 * MAX_FRAMES; round += 1) {
    const count = frames().length;
    await barrier();
    await barrier();
    if (frames().length === count) return count;
  }
  throw new Error('frames kept leaving without acks');
}
const pixels = async (png: Uint8Array) => await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true });

before(async () => {
  client = new SidecarClient();
  await client.start();
  await client.call('create_view', { view: VIEW, width: 160, height: 120, background: '#000000' });
  await client.addMesh(VIEW, 'cube', '#ff8800', cube());
  client.send(Kind.EVENT, { view: VIEW, type: 'resize', width: 160, height: 120, dpr: 1 });
  ack(await client.waitFor((message) => message.kind === Kind.FRAME));
});

after(async () => {
  await client.stop();
});

test('without acks the sidecar stops at its window of frames in flight, and resumes on ack', async () => {
  const start = frames().length;
  client.send(Kind.EVENT, pointer('down', 10, 1));
  for (let i = 0; i < 200; i += 1) client.send(Kind.EVENT, pointer('move', 11 + i, 2 + i));
  await client.waitFor(() => frames().length >= start + MIN_FRAMES);
  // The window grows only when a frame more was measured to deliver more (frame-window.ts): nothing is yet.
  const window = (await settled()) - start;
  assert.equal(window, MIN_FRAMES, `${window} frames in flight`);
  assert.equal(frames().at(-1)!.meta['window'], MIN_FRAMES, 'each frame names the window it left in');
  // One ack lets exactly one more frame out.
  ack(frames()[start]!);
  await client.waitFor(() => frames().length >= start + MIN_FRAMES + 1);
  const inFlight = (await settled()) - start - 1;
  assert.equal(inFlight, window, `${inFlight} in flight after one ack, ${window} before`);
  for (const frame of frames().slice(start + 1)) ack(frame);
  client.send(Kind.EVENT, pointer('up', 211, 202, 0));
  const last = frames().at(-1)!.meta['seq'] as number;
  const still = await client.waitFor(
    (message) =>
      message.kind === Kind.FRAME && message.meta['still'] === true && (message.meta['seq'] as number) >= last,
  );
  if ((still.meta['seq'] as number) > last) ack(still);
});

test('a burst of 1000 pointer moves makes a bounded number of frames, the last reflecting the last input', async () => {
  const start = frames().length;
  const seen = new Set<number>();
  const onFrame = () => {
    for (const frame of frames().slice(start)) {
      const seq = frame.meta['seq'] as number;
      if (!seen.has(seq)) {
        seen.add(seq);
        ack(frame);
      }
    }
  };
  client.process.stdout!.on('data', onFrame);
  try {
    client.send(Kind.EVENT, pointer('down', 0, 1000));
    for (let i = 1; i <= 1000; i += 1) client.send(Kind.EVENT, pointer('move', i / 4, 1000 + i));
    client.send(Kind.EVENT, pointer('up', 250, 2001, 0));
    const still = await client.waitFor(
      (message) => message.kind === Kind.FRAME && message.meta['still'] === true && message.meta['input_seq'] === 2001,
    );
    const rendered = frames().length - start;
    assert.ok(rendered < 100, `1000 moves caused ${rendered} frames`);
    assert.ok(rendered >= 1);
    assert.equal(still.meta['mime'], 'image/png');
  } finally {
    client.process.stdout!.off('data', onFrame);
  }
});

test('the still after input stops is lossless: pixel for pixel the snapshot of the same view', async () => {
  const still = frames().at(-1)!;
  assert.equal(still.meta['still'], true);
  const snapshot = await client.call('snapshot', { view: VIEW });
  const [a, b] = await Promise.all([pixels(still.payload), pixels(snapshot.payload)]);
  assert.deepEqual([a.info.width, a.info.height], [b.info.width, b.info.height]);
  assert.ok(a.data.equals(b.data), 'the still differs from the lossless render');
});

test('no frame is sent for a view that did not change', async () => {
  const start = frames().length;
  client.send(Kind.EVENT, pointer('move', 5, 3000, 0));
  client.send(Kind.EVENT, {
    view: VIEW,
    type: 'wheel',
    x: 5,
    y: 5,
    dx: 0,
    dy: 0,
    seq: 3001,
    t: 3001,
    ctrl: false,
    shift: false,
    alt: false,
    meta: false,
  });
  client.send(Kind.EVENT, {
    view: VIEW,
    type: 'key',
    key: 'x',
    seq: 3002,
    t: 3002,
    ctrl: false,
    shift: false,
    alt: false,
    meta: false,
  });
  await barrier();
  await barrier();
  assert.equal(frames().length, start, 'an unchanged view sends nothing');
});

test('a big mesh is drawn coarse while dragging and in full in the still, which is still lossless', async () => {
  const view = 'big';
  await client.call('create_view', { view, width: 160, height: 120, background: '#000000' });
  const added = await client.addMesh(view, 'sphere', '#ff8800', sphere(400, 400), 60_000);
  assert.deepEqual(added.meta['result'], { object: `${view}:sphere`, kind: 'mesh' });
  client.send(Kind.EVENT, { view, type: 'resize', width: 160, height: 120, dpr: 1 });
  const mine = () => client.frames(view);
  const acked = new Set<unknown>();
  const ackAll = () => {
    for (const frame of mine().filter((f) => !acked.has(f.meta['seq']))) {
      acked.add(frame.meta['seq']);
      client.send(Kind.EVENT, { view, type: 'ack', seq: frame.meta['seq'] });
    }
  };
  await client.waitFor(() => mine().length > 0);
  ackAll();
  client.send(Kind.EVENT, { ...pointer('down', 10, 1), view });
  for (let i = 1; i <= 20; i += 1) client.send(Kind.EVENT, { ...pointer('move', 10 + i * 4, 1 + i), view });
  await client.waitFor(() => {
    ackAll();
    return mine().some((frame) => frame.meta['still'] === false);
  });
  client.send(Kind.EVENT, { ...pointer('up', 90, 100, 0), view });
  const finalStill = (frame: Message) => frame.meta['still'] === true && frame.meta['input_seq'] === 100;
  await client.waitFor(() => {
    ackAll();
    return mine().some(finalStill);
  });
  const still = mine().find(finalStill)!;
  const interactive = mine().filter((frame) => frame.meta['still'] === false);
  assert.ok(
    interactive.every((frame) => frame.meta['stand_in'] === true),
    'interactive frames draw the stand-in',
  );
  assert.equal(still.meta['stand_in'], false);
  assert.ok(
    frames().every((frame) => frame.meta['stand_in'] === false),
    'the small cube never has a stand-in',
  );
  const snapshot = await client.call('snapshot', { view });
  const [a, b] = await Promise.all([pixels(still.payload), pixels(snapshot.payload)]);
  assert.ok(a.data.equals(b.data), 'the still is the full mesh, pixel for pixel');
});

test('a near-lossless view settles to a full-size, full-chroma JPEG close to the lossless render', async () => {
  const view = 'near';
  await client.call('create_view', {
    view,
    width: 160,
    height: 120,
    background: '#000000',
    still: 'near-lossless',
    target_fps: 30,
  });
  await client.addMesh(view, 'cube', '#ff8800', cube());
  client.send(Kind.EVENT, { view, type: 'resize', width: 160, height: 120, dpr: 1 });
  const still = await client.waitFor(
    (message) => message.kind === Kind.FRAME && message.meta['view'] === view && message.meta['still'] === true,
  );
  assert.equal(still.meta['mime'], 'image/jpeg');
  assert.deepEqual([still.meta['width'], still.meta['height']], [160, 120]);
  assert.equal((await sharp(still.payload).metadata()).chromaSubsampling, '4:4:4');
  const snapshot = await client.call('snapshot', { view });
  const [a, b] = await Promise.all([pixels(still.payload), pixels(snapshot.payload)]);
  let sum = 0;
  for (let i = 0; i < a.data.length; i += 1) sum += Math.abs(a.data[i]! - b.data[i]!);
  assert.ok(sum / a.data.length < 2, `mean difference ${(sum / a.data.length).toFixed(2)} per channel`);
  const bad = await client.call('create_view', {
    view: 'bad',
    width: 8,
    height: 8,
    background: '#000000',
    still: 'png',
  });
  assert.match(
    String((bad.meta['error'] as { message: string }).message),
    /"still" must be "lossless" or "near-lossless"/,
  );
});

test('a malformed input event from the kernel is dropped with a log line; the view keeps working', async () => {
  const start = frames().length;
  client.send(Kind.EVENT, { view: VIEW, type: 'resize', width: -5, height: 10, dpr: 1 });
  await waitFor(
    () =>
      /dropped an input event from the kernel: input field "width" must be a finite number from 0/.test(client.stderr),
    10_000,
    'the log line',
  );
  await barrier();
  assert.equal(frames().length, start, 'nothing was rendered for it');
  const reply = await client.call('snapshot', { view: VIEW, width: 8, height: 8 });
  assert.equal(reply.meta['ok'], true);
});
