import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import sharp from 'sharp';
import { encodeMessage, Kind, PROTOCOL_VERSION, type PointerInput } from '@glstream/protocol';
import { serverFiles } from '../src/display/server-files.js';
import { pointerInput } from '../../../test/support/input-events.js';
import { bytes, cube } from '../../../test/support/meshes.js';
import { alive } from '../../../test/support/proc.js';
import { errorOf, SidecarClient } from '../../../test/support/sidecar-client.js';
import { waitFor } from '../../../test/support/wait.js';

const pointer = (phase: PointerInput['phase'], x: number, y: number, seq: number, buttons = 1) => ({
  view: 'v',
  ...pointerInput(phase, x, y, seq, buttons),
});

describe('the sidecar over stdio, with real Xvfb, headless-gl and sharp', () => {
  let client: SidecarClient;
  let started: Record<string, unknown>;

  before(async () => {
    client = new SidecarClient();
    started = await client.start();
  });

  after(async () => {
    await client.stop();
  });

  test('the handshake names the protocol, and start reports Xvfb and llvmpipe', async () => {
    const hello = client.messages.find((message) => message.kind === Kind.HELLO)!;
    assert.equal(hello.meta['protocol'], PROTOCOL_VERSION);
    assert.equal(hello.meta['pid'], client.process.pid);
    assert.match(String(started['display']), /^:\d+$/);
    assert.equal(started['display_source'], 'xvfb');
    assert.ok(alive(started['xserver_pid'] as number));
    assert.match((started['gl'] as { renderer: string }).renderer, /llvmpipe/);
  });

  test('a snapshot of a mesh is a PNG of the right size that shows the mesh', async () => {
    assert.equal(
      (await client.call('create_view', { view: 'v', width: 320, height: 200, background: '#000000' })).meta['ok'],
      true,
    );
    const added = await client.addMesh('v', 'cube', '#ff0000', cube());
    assert.deepEqual(added.meta['result'], { object: 'v:cube', kind: 'mesh' });
    const reply = await client.call('snapshot', { view: 'v' });
    const { data, info } = await sharp(reply.payload).raw().toBuffer({ resolveWithObject: true });
    assert.equal(info.width, 320);
    assert.equal(info.height, 200);
    const center = (100 * 320 + 160) * info.channels;
    assert.ok(
      data[center]! > 60 && data[center + 1]! < data[center]!,
      `centre pixel should be lit red, got ${[...data.subarray(center, center + 3)]}`,
    );
    const corner = data.subarray(0, 3);
    assert.deepEqual([...corner], [0, 0, 0], 'corner shows the background');
  });

  test('bad arrays get an error reply naming the problem, and the sidecar keeps serving', async () => {
    const { positions } = cube();
    const badFaces = Uint32Array.of(0, 1, 99);
    const reply = await client.addMesh('v', 'bad', '#00ff00', { positions, indices: badFaces });
    assert.equal(reply.meta['ok'], false);
    assert.equal(errorOf(reply).code, 'out_of_range');
    assert.match(errorOf(reply).message, /faces row 0 refers to vertex 99, but there are only 8/);
    const nan = Float32Array.of(0, 0, 0, NaN, 0, 0, 0, 1, 0);
    const nanReply = await client.addMesh('v', 'nan', '#00ff00', { positions: nan, indices: Uint32Array.of(0, 1, 2) });
    assert.deepEqual(errorOf(nanReply), { code: 'invalid_argument', message: 'vertices row 1 is not finite (NaN)' });
    const unknown = await client.call('no_such_method');
    assert.equal(errorOf(unknown).code, 'protocol');
    assert.match(errorOf(unknown).message, /unknown method "no_such_method"/);
    const noView = await client.call('snapshot', { view: 'gone' });
    assert.equal(errorOf(noView).code, 'not_found');
    const badSpec = await client.call(
      'add_object',
      {
        view: 'v',
        object: 'm',
        name: 'm',
        kind: 'mesh',
        arrays: [{ name: 'vertices', dtype: 'float32', shape: 3 }, 3],
      },
      [bytes(positions), bytes(badFaces)],
    );
    assert.equal(errorOf(badSpec).code, 'invalid_type', 'a malformed array spec is refused, not a crash');
    assert.match(errorOf(badSpec).message, /"arrays" item 0 must be \{name, dtype, shape\}/);
    assert.equal((await client.call('snapshot', { view: 'v', width: 16, height: 16 })).meta['ok'], true);
  });

  test('a resize starts the stream with a lossless still; a drag sends JPEG, then a new still', async () => {
    client.send(Kind.EVENT, { view: 'v', type: 'resize', width: 160, height: 100, dpr: 2 });
    const first = await client.waitFor((message) => message.kind === Kind.FRAME);
    assert.equal(first.meta['mime'], 'image/png');
    assert.equal(first.meta['still'], true);
    assert.equal(first.meta['width'], 320);
    assert.equal(first.meta['height'], 200);
    assert.equal(first.meta['t_input'], null, 'no input is reflected yet');
    const timings = first.meta['timings'] as Record<string, number>;
    for (const key of ['render_ms', 'readback_ms', 'encode_ms']) assert.ok(timings[key]! >= 0, `${key} is measured`);
    client.send(Kind.EVENT, { view: 'v', type: 'ack', seq: first.meta['seq'] });
    client.send(Kind.EVENT, pointer('down', 50, 50, 1));
    client.send(Kind.EVENT, pointer('move', 90, 60, 2));
    const moving = await client.waitFor((message) => message.kind === Kind.FRAME && message.meta['seq'] === 2);
    assert.equal(moving.meta['mime'], 'image/jpeg');
    assert.equal(moving.meta['input_seq'], 2);
    assert.equal(moving.meta['t_input'], 2, 'the newest input that moved the camera');
    assert.equal(
      `${String(moving.meta['width'])}x${String(moving.meta['height'])}`,
      '240x150',
      'interactive frames start at 0.75 size',
    );
    client.send(Kind.EVENT, { view: 'v', type: 'ack', seq: 2 });
    client.send(Kind.EVENT, pointer('up', 90, 60, 3, 0));
    const still = await client.waitFor(
      (message) => message.kind === Kind.FRAME && message.meta['still'] === true && (message.meta['seq'] as number) > 2,
    );
    assert.equal(still.meta['mime'], 'image/png');
    assert.equal(`${String(still.meta['width'])}x${String(still.meta['height'])}`, '320x200', 'the still is full size');
    assert.equal(still.meta['t_input'], 2, 'the release changed nothing');
    assert.notDeepEqual(still.payload, first.payload, 'the camera moved');
  });
});

describe('lifecycle', () => {
  test('stdin EOF ends the sidecar, its Xvfb, and its socket and lock', async () => {
    const client = new SidecarClient();
    const started = await client.start();
    const { lock, socket } = serverFiles(String(started['display']));
    assert.ok(existsSync(socket));
    client.process.stdin!.end();
    assert.equal(await client.exited(), 0);
    await waitFor(() => !alive(started['xserver_pid'] as number), 10_000, 'Xvfb to exit');
    assert.equal(existsSync(lock), false);
    assert.equal(existsSync(socket), false);
  });

  test('a snapshot asked for just before "shutdown" is answered before the sidecar exits', async () => {
    const client = new SidecarClient();
    await client.start();
    await client.call('create_view', { view: 'v', width: 640, height: 480, background: '#204060' });
    // One write, so that the sidecar reads both requests at once and starts closing before the snapshot is drawn.
    client.process.stdin!.write(
      Buffer.concat([
        encodeMessage(Kind.REQUEST, { id: 100, method: 'snapshot', params: { view: 'v', width: 1920, height: 1080 } }),
        encodeMessage(Kind.REQUEST, { id: 101, method: 'shutdown', params: {} }),
      ]),
    );
    assert.equal(await client.exited(), 0);
    const replies = client.messages.filter((message) => message.kind === Kind.REPLY);
    const snapshot = replies.find((message) => message.meta['id'] === 100);
    assert.equal(snapshot?.meta['ok'], true, JSON.stringify(snapshot?.meta));
    const { data, info } = await sharp(snapshot!.payload).raw().toBuffer({ resolveWithObject: true });
    assert.deepEqual([info.width, info.height], [1920, 1080]);
    assert.deepEqual([...data.subarray(0, 3)], [0x20, 0x40, 0x60], 'the background, drawn on a live context');
  });

  test('SIGKILL of the sidecar still takes its Xvfb, socket and lock down', async () => {
    const client = new SidecarClient();
    const started = await client.start();
    const { lock, socket } = serverFiles(String(started['display']));
    assert.ok(existsSync(socket));
    client.process.kill('SIGKILL');
    await client.exited();
    await waitFor(() => !alive(started['xserver_pid'] as number), 10_000, 'Xvfb to exit');
    await waitFor(() => !existsSync(socket) && !existsSync(lock), 10_000, 'the socket and lock file to go');
  });

  test('SIGINT (a cell interrupt hits the whole process group) does not stop the sidecar', async () => {
    const client = new SidecarClient();
    await client.start();
    client.process.kill('SIGINT');
    assert.equal(
      (await client.call('create_view', { view: 'w', width: 8, height: 8, background: '#000000' })).meta['ok'],
      true,
    );
    client.process.stdin!.end();
    assert.equal(await client.exited(), 0);
  });

  test('a request before the handshake gets an error reply, not silence', async () => {
    const client = new SidecarClient();
    await client.waitFor((message) => message.kind === Kind.HELLO);
    const reply = await client.call('start');
    assert.equal(reply.meta['ok'], false);
    assert.equal(errorOf(reply).code, 'protocol');
    assert.match(errorOf(reply).message, /must send HELLO before any request/);
    client.process.stdin!.end();
    assert.equal(await client.exited(), 0);
  });

  test('a protocol mismatch is refused with a message naming both versions', async () => {
    const client = new SidecarClient();
    await client.waitFor((message) => message.kind === Kind.HELLO);
    client.send(Kind.HELLO, { protocol: 999, name: 'test', version: '0' });
    const notice = await client.waitFor((message) => message.kind === Kind.NOTICE);
    assert.match(String(notice.meta['message']), new RegExp(`protocol 999, this sidecar speaks ${PROTOCOL_VERSION}`));
    assert.equal(await client.exited(), 3);
  });
});
