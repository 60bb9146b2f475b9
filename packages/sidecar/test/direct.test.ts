// The direct websocket path through the real sidecar: the key, frames moving from the kernel's channel
// to the websocket and back, acks and input over the socket, closed views and bad messages.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import WebSocket from 'ws';
import { decodeMessage, encodeMessage, Kind, type Message } from '@glstream/protocol';
import { pointerInput } from '../../../test/support/input-events.js';
import { cube } from '../../../test/support/meshes.js';
import { SidecarClient } from '../../../test/support/sidecar-client.js';
import { waitFor } from '../../../test/support/wait.js';

let client: SidecarClient;
let port: number;
let key: string;

// A websocket to the sidecar and the messages it received, decoded.
class DirectClient {
  readonly socket: WebSocket;
  readonly messages: Message[] = [];
  closeCode: number | undefined;
  closeReason = '';

  constructor(view: string, secret = key) {
    this.socket = new WebSocket(`ws://127.0.0.1:${port}/view/${view}?key=${encodeURIComponent(secret)}`);
    this.socket.on('message', (data) => this.messages.push(decodeMessage(data as Buffer)));
    this.socket.on('close', (code, reason) => {
      this.closeCode = code;
      this.closeReason = reason.toString();
    });
  }

  frames(): Message[] {
    return this.messages.filter((message) => message.kind === Kind.FRAME);
  }

  event(meta: Record<string, unknown>): void {
    this.socket.send(encodeMessage(Kind.EVENT, meta));
  }

  async close(): Promise<void> {
    this.socket.close();
    await waitFor(() => this.closeCode !== undefined, 10_000, 'the socket to close');
  }
}

// The HTTP status a refused upgrade answered with.
function refusal(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url);
    socket.on('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
    socket.on('open', () => reject(new Error(`${url} was accepted`)));
    socket.on('error', () => undefined);
  });
}

async function createView(view: string): Promise<void> {
  await client.call('create_view', { view, width: 96, height: 64, background: '#000000' });
  await client.addMesh(view, 'cube', '#ff8800', cube());
}

before(async () => {
  client = new SidecarClient();
  await client.start();
  const reply = await client.call('direct');
  assert.equal(reply.meta['ok'], true, JSON.stringify(reply.meta));
  ({ port, key } = reply.meta['result'] as { port: number; key: string });
});

after(async () => {
  await client.stop();
});

test('"direct" answers the same port and key every time, and the key is long and random', async () => {
  const again = (await client.call('direct')).meta['result'] as { port: number; key: string };
  assert.deepEqual(again, { port, key });
  assert.ok(key.length >= 32, key);
});

test('a wrong or missing key is refused with 403, an unknown path with 404', async () => {
  assert.equal(await refusal(`ws://127.0.0.1:${port}/view/a?key=${'x'.repeat(key.length)}`), 403);
  assert.equal(await refusal(`ws://127.0.0.1:${port}/view/a`), 403);
  assert.equal(await refusal(`ws://127.0.0.1:${port}/elsewhere?key=${key}`), 404);
});

test('a socket for a view that does not exist is closed with a reason', async () => {
  const socket = new DirectClient('nosuchview');
  await waitFor(() => socket.closeCode !== undefined, 10_000, 'the close');
  assert.equal(socket.closeCode, 4404);
  assert.match(socket.closeReason, /no view nosuchview/);
});

test('frames move to the open socket, input and acks work over it, and frames move back when it closes', async () => {
  await createView('d1');
  client.send(Kind.EVENT, { view: 'd1', type: 'resize', width: 96, height: 64, dpr: 1 });
  await client.waitFor((message) => message.kind === Kind.FRAME && message.meta['view'] === 'd1');
  const direct = new DirectClient('d1');
  await waitFor(() => direct.frames().some((frame) => frame.meta['still'] === true), 20_000, 'a still on the socket');
  assert.equal(direct.messages[0]!.kind, Kind.HELLO, 'HELLO comes first');
  const onKernel = client.frames('d1').length;

  const before = direct.frames().at(-1)!;
  for (const frame of direct.frames()) direct.event({ type: 'ack', seq: frame.meta['seq'] });
  direct.event(pointerInput('down', 10, 20, 1, 1));
  direct.event(pointerInput('move', 60, 20, 2, 1));
  direct.event(pointerInput('up', 60, 20, 3, 0));
  const still = () => direct.frames().find((frame) => frame.meta['still'] === true && frame.meta['input_seq'] === 3);
  const acked = new Set(direct.frames().map((frame) => frame.meta['seq']));
  await waitFor(
    () => {
      for (const frame of direct.frames().filter((f) => !acked.has(f.meta['seq']))) {
        acked.add(frame.meta['seq']);
        direct.event({ type: 'ack', seq: frame.meta['seq'] });
      }
      return still() !== undefined;
    },
    20_000,
    'the still after the drag, on the socket',
  );
  const [a, b] = await Promise.all([before, still()!].map((frame) => sharp(frame.payload).raw().toBuffer()));
  assert.notDeepEqual(a, b, 'the drag turned the camera');
  assert.equal(client.frames('d1').length, onKernel, 'no frame went to the kernel while the socket was open');

  await direct.close();
  await client.call('reset_camera', { view: 'd1' });
  await client.waitFor(
    (message) => message.kind === Kind.FRAME && message.meta['view'] === 'd1' && client.frames('d1').length > onKernel,
  );
});

test('closing the view closes its socket; a bad event or a text message closes only that socket', async () => {
  await createView('d2');
  await createView('d3');
  const doomed = new DirectClient('d2');
  const rude = new DirectClient('d3');
  await waitFor(() => doomed.messages.length > 0 && rude.messages.length > 0, 10_000, 'both HELLOs');
  await client.call('close_view', { view: 'd2' });
  await waitFor(() => doomed.closeCode !== undefined, 10_000, 'the socket of the closed view to close');
  assert.equal(doomed.closeCode, 4410);
  assert.match(doomed.closeReason, /view d2 was closed/);

  rude.event({ type: 'resize', width: 'wide', height: 10, dpr: 1 });
  await waitFor(() => rude.closeCode !== undefined, 10_000, 'the rude socket to close');
  assert.equal(rude.closeCode, 1003);
  const chatty = new DirectClient('d3');
  await waitFor(() => chatty.messages.length > 0, 10_000, 'HELLO');
  chatty.socket.send('not binary');
  await waitFor(() => chatty.closeCode !== undefined, 10_000, 'the text-sending socket to close');
  assert.equal(chatty.closeCode, 1003);
  const reply = await client.call('snapshot', { view: 'd3', width: 8, height: 8 });
  assert.equal(reply.meta['ok'], true, 'the sidecar still answers');
});
