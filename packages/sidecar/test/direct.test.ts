// The direct websocket path through the real sidecar: single-use tickets per view, the next ticket in the HELLO,
// revocation, frames moving from the kernel's channel to the websocket and back, acks and input over the socket,
// closed views and bad messages.
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

// A fresh ticket for a connection to `view`, as the kernel asks for one.
async function ticket(view: string): Promise<string> {
  const reply = await client.call('direct', { view });
  assert.equal(reply.meta['ok'], true, JSON.stringify(reply.meta));
  const result = reply.meta['result'] as { port: number; key: string };
  assert.equal(result.port, port, 'one server for every view');
  return result.key;
}

const url = (view: string, key: string) => `ws://127.0.0.1:${port}/view/${view}?key=${encodeURIComponent(key)}`;

// A websocket to the sidecar and the messages it received, decoded.
class DirectClient {
  readonly socket: WebSocket;
  readonly messages: Message[] = [];
  closeCode: number | undefined;
  closeReason = '';

  constructor(view: string, key: string) {
    this.socket = new WebSocket(url(view, key));
    this.socket.on('message', (data) => this.messages.push(decodeMessage(data as Buffer)));
    this.socket.on('close', (code, reason) => {
      this.closeCode = code;
      this.closeReason = reason.toString();
    });
  }

  static async open(view: string): Promise<DirectClient> {
    const direct = new DirectClient(view, await ticket(view));
    await waitFor(() => direct.messages.length > 0 || direct.closeCode !== undefined, 10_000, 'HELLO');
    return direct;
  }

  // The ticket for the next connection, from the HELLO.
  get next(): string {
    const hello = this.messages[0]!;
    assert.equal(hello.kind, Kind.HELLO);
    return hello.meta['key'] as string;
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
function refusal(address: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(address);
    socket.on('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
    socket.on('open', () => reject(new Error(`${address} was accepted`)));
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
  await createView('d0');
  const reply = await client.call('direct', { view: 'd0' });
  assert.equal(reply.meta['ok'], true, JSON.stringify(reply.meta));
  ({ port } = reply.meta['result'] as { port: number });
});

after(async () => {
  await client.stop();
});

test('"direct" answers the same port and a fresh, long, random ticket each time, only for a view', async () => {
  const keys = await Promise.all([ticket('d0'), ticket('d0'), ticket('d0')]);
  assert.equal(new Set(keys).size, 3);
  for (const key of keys) assert.ok(key.length >= 32, key);
  const missing = await client.call('direct', { view: 'nosuchview' });
  assert.equal(missing.meta['ok'], false);
  assert.equal((missing.meta['error'] as { code: string }).code, 'not_found');
  const unnamed = await client.call('direct', {});
  assert.equal((unnamed.meta['error'] as { code: string }).code, 'invalid_type');
});

test("a wrong, missing, used or other view's ticket is refused with 403, an unknown path with 404", async () => {
  const key = await ticket('d0');
  assert.equal(await refusal(url('d0', 'x'.repeat(key.length))), 403);
  assert.equal(await refusal(`ws://127.0.0.1:${port}/view/d0`), 403);
  assert.equal(await refusal(`ws://127.0.0.1:${port}/elsewhere?key=${key}`), 404);
  await createView('d4');
  assert.equal(await refusal(url('d4', key)), 403, 'a ticket of d0 does not open d4');
  const direct = new DirectClient('d0', key);
  await waitFor(() => direct.messages.length > 0, 10_000, 'HELLO with the ticket');
  assert.equal(await refusal(url('d0', key)), 403, 'a used ticket is refused');
  await direct.close();
});

test("the HELLO's ticket opens the next connection once; revoking closes the sockets, forgets tickets", async () => {
  const first = await DirectClient.open('d0');
  const second = new DirectClient('d0', first.next);
  await waitFor(() => second.messages.length > 0, 10_000, "HELLO with the first HELLO's ticket");
  assert.equal(second.messages[0]!.kind, Kind.HELLO);
  assert.notEqual(second.next, first.next, 'each HELLO has its own ticket');
  assert.equal(await refusal(url('d0', first.next)), 403, "the HELLO's ticket is single-use too");
  const spare = await ticket('d0');
  const revoked = await client.call('revoke_direct', { view: 'd0' });
  assert.equal(revoked.meta['ok'], true, JSON.stringify(revoked.meta));
  await waitFor(() => first.closeCode !== undefined && second.closeCode !== undefined, 10_000, 'both to close');
  assert.deepEqual([first.closeCode, second.closeCode], [4403, 4403]);
  assert.equal(await refusal(url('d0', second.next)), 403, "the last HELLO's ticket is revoked");
  assert.equal(await refusal(url('d0', spare)), 403, 'an unused ticket is revoked');
  const again = await DirectClient.open('d0');
  assert.equal(again.messages[0]!.kind, Kind.HELLO, 'a ticket asked for after the revocation works');
  await again.close();
});

test('a ticket of a view closed since is accepted, then the socket is closed with a reason', async () => {
  await createView('gone');
  const key = await ticket('gone');
  await client.call('close_view', { view: 'gone' });
  const socket = new DirectClient('gone', key);
  await waitFor(() => socket.closeCode !== undefined, 10_000, 'the close');
  assert.equal(socket.closeCode, 4404);
  assert.match(socket.closeReason, /no view gone/);
  assert.equal(socket.messages.length, 0, 'no HELLO, so no ticket for a view that is gone');
});

test('frames move to the open socket, input and acks work over it, and frames move back when it closes', async () => {
  await createView('d1');
  client.send(Kind.EVENT, { view: 'd1', type: 'resize', width: 96, height: 64, dpr: 1 });
  await client.waitFor((message) => message.kind === Kind.FRAME && message.meta['view'] === 'd1');
  const direct = await DirectClient.open('d1');
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
  const doomed = await DirectClient.open('d2');
  const rude = await DirectClient.open('d3');
  await client.call('close_view', { view: 'd2' });
  await waitFor(() => doomed.closeCode !== undefined, 10_000, 'the socket of the closed view to close');
  assert.equal(doomed.closeCode, 4410);
  assert.match(doomed.closeReason, /view d2 was closed/);

  rude.event({ type: 'resize', width: 'wide', height: 10, dpr: 1 });
  await waitFor(() => rude.closeCode !== undefined, 10_000, 'the rude socket to close');
  assert.equal(rude.closeCode, 1003);
  const chatty = await DirectClient.open('d3');
  chatty.socket.send('not binary');
  await waitFor(() => chatty.closeCode !== undefined, 10_000, 'the text-sending socket to close');
  assert.equal(chatty.closeCode, 1003);
  const reply = await client.call('snapshot', { view: 'd3', width: 8, height: 8 });
  assert.equal(reply.meta['ok'], true, 'the sidecar still answers');
});
