// The picture a saved notebook keeps of a view (latest_still): the still already sent to the widget when it shows
// the view as it is, a fresh lossless render when none does, nothing when the kernel's copy is current.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import { Kind, type Message } from '@glstream/protocol';
import { pointerInput } from '../../../test/support/input-events.js';
import { cube } from '../../../test/support/meshes.js';
import { errorOf, SidecarClient } from '../../../test/support/sidecar-client.js';

const VIEW = 'kept';
let client: SidecarClient;

const ack = (frame: Message) => client.send(Kind.EVENT, { view: VIEW, type: 'ack', seq: frame.meta['seq'] });
const latest = async (since?: number) => {
  const reply = await client.call('latest_still', since === undefined ? { view: VIEW } : { view: VIEW, since });
  return { result: client.resultOf(reply), payload: reply.payload };
};

before(async () => {
  client = new SidecarClient();
  await client.start();
  await client.call('create_view', { view: VIEW, width: 160, height: 120, background: '#000000' });
});

after(async () => {
  await client.stop();
});

test('before any frame went out, the latest still is rendered on request and shows the scene', async () => {
  client.resultOf(await client.addMesh(VIEW, 'cube', '#ff8800', cube()));
  const { result, payload } = await latest();
  assert.equal(result['changed'], true);
  assert.equal(result['mime'], 'image/png');
  const { data, info } = await sharp(payload).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  assert.deepEqual([info.width, info.height], [160, 120]);
  const lit = data.filter((_, i) => i % 3 === 0 && data[i]! > 100).length;
  assert.ok(lit > 500, `the cube shows in ${lit} pixels`);
  const again = await latest(result['version'] as number);
  assert.deepEqual(again.result, { version: result['version'], changed: false }, 'unchanged: no picture');
  assert.equal(again.payload.byteLength, 0);
});

test('after a drag, the latest still is the still the widget was sent, byte for byte', async () => {
  const before = (await latest()).result['version'] as number;
  client.send(Kind.EVENT, { view: VIEW, type: 'resize', width: 160, height: 120, dpr: 1 });
  for (const [phase, x, seq, buttons] of [
    ['down', 20, 1, 1],
    ['move', 70, 2, 1],
    ['up', 70, 3, 0],
  ] as const) {
    client.send(Kind.EVENT, { view: VIEW, ...pointerInput(phase, x, 50, seq, buttons) });
  }
  const acked = new Set<number>();
  const onFrame = () => {
    for (const frame of client.frames(VIEW)) {
      const seq = frame.meta['seq'] as number;
      if (!acked.has(seq)) {
        acked.add(seq);
        ack(frame);
      }
    }
  };
  client.process.stdout!.on('data', onFrame);
  try {
    const still = await client.waitFor(
      (message) =>
        message.kind === Kind.FRAME &&
        message.meta['view'] === VIEW &&
        message.meta['still'] === true &&
        message.meta['input_seq'] === 3,
    );
    const { result, payload } = await latest(before);
    assert.equal(result['changed'], true);
    assert.ok((result['version'] as number) > before);
    assert.ok(Buffer.from(payload).equals(Buffer.from(still.payload)), 'the kept still is the one sent');
  } finally {
    client.process.stdout!.off('data', onFrame);
  }
});

test('a bad `since` is refused with a code', async () => {
  const reply = await client.call('latest_still', { view: VIEW, since: -1 });
  assert.equal(errorOf(reply).code, 'invalid_argument');
  const unknown = await client.call('latest_still', { view: 'nope' });
  assert.equal(errorOf(unknown).code, 'not_found');
});
