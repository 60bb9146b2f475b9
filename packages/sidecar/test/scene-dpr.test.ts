// Sizes given in CSS pixels hold at every device pixel ratio, through the whole path: the widget reports its
// canvas and ratio, the view draws its still at that many device pixels, and a point or line is as many device
// pixels wide as its CSS size times the ratio.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import { Kind, type Message } from '@glstream/protocol';
import { SidecarClient } from '../../../test/support/sidecar-client.js';

const WIDTH = 200;
const HEIGHT = 100;
let client: SidecarClient;

before(async () => {
  client = new SidecarClient();
  await client.start();
});

after(async () => {
  await client.stop();
});

// The still the view sends once the widget reports a canvas of WIDTH x HEIGHT CSS pixels at `dpr`.
async function stillAt(view: string, dpr: number): Promise<{ data: Buffer; width: number; height: number }> {
  const seen = client.frames(view).length;
  client.send(Kind.EVENT, { view, type: 'resize', width: WIDTH, height: HEIGHT, dpr });
  const wanted = (message: Message) =>
    message.kind === Kind.FRAME &&
    message.meta['view'] === view &&
    message.meta['still'] === true &&
    message.meta['width'] === WIDTH * dpr;
  await client.waitFor(() => client.frames(view).slice(seen).some(wanted));
  const frame = client.frames(view).slice(seen).find(wanted)!;
  client.send(Kind.EVENT, { view, type: 'ack', seq: frame.meta['seq'] });
  const { data, info } = await sharp(frame.payload).raw().toBuffer({ resolveWithObject: true });
  return { data: Buffer.from(data.filter((_, i) => i % info.channels < 3)), width: info.width, height: info.height };
}

// How many pixels of the centre column (`along` 'column') or centre row are lit (brighter than half white).
function litAcrossCentre(image: { data: Buffer; width: number; height: number }, along: 'row' | 'column'): number {
  const { data, width, height } = image;
  let lit = 0;
  const length = along === 'row' ? width : height;
  for (let i = 0; i < length; i += 1) {
    const [x, y] = along === 'row' ? [i, Math.floor(height / 2)] : [Math.floor(width / 2), i];
    if (data[(y * width + x) * 3]! > 128) lit += 1;
  }
  return lit;
}

async function view(id: string): Promise<void> {
  const reply = await client.call('create_view', { view: id, width: WIDTH, height: HEIGHT, background: '#000000' });
  assert.equal(reply.meta['ok'], true);
  // a camera looking down -z at the origin, as Python's `viewer.camera = {...}` sets it
  await client.call('set_camera', { view: id, position: [0, 0, 10], target: [0, 0, 0], up: [0, 1, 0], fov: 30 });
}

test('a point of 12 CSS pixels is 12 device pixels wide at ratio 1 and 24 at ratio 2', async () => {
  await view('p');
  const points = { name: 'points', data: Float32Array.of(0, 0, 0), shape: [1, 3] };
  const added = await client.addObject('p', 'p:dot', 'dot', 'points', { color: '#ffffff', size: 12 }, [points]);
  assert.equal(added.meta['ok'], true);
  for (const dpr of [1, 2]) {
    const still = await stillAt('p', dpr);
    assert.equal(still.width, WIDTH * dpr);
    for (const along of ['row', 'column'] as const) {
      const lit = litAcrossCentre(still, along);
      assert.ok(Math.abs(lit - 12 * dpr) <= 1, `the point is ${lit} px across its ${along} at ratio ${dpr}`);
    }
  }
});

test('a line of 4 CSS pixels is 4 device pixels thick at ratio 1 and 8 at ratio 2', async () => {
  await view('l');
  const vertices = { name: 'vertices', data: Float32Array.of(-100, 0, 0, 100, 0, 0), shape: [2, 3] };
  const segments = { name: 'segments', data: Uint32Array.of(0, 1), shape: [1, 2] };
  const style = { color: '#ffffff', width: 4 };
  assert.equal((await client.addObject('l', 'l:line', 'line', 'lines', style, [vertices, segments])).meta['ok'], true);
  for (const dpr of [1, 2]) {
    const still = await stillAt('l', dpr);
    assert.equal(litAcrossCentre(still, 'row'), WIDTH * dpr, 'the line crosses the whole view');
    const thick = litAcrossCentre(still, 'column');
    assert.ok(Math.abs(thick - 4 * dpr) <= 1, `the line is ${thick} px thick at ratio ${dpr}`);
  }
});
