// What the kernel should not send is dropped with a log line, and the sidecar goes on: a second HELLO after the
// handshake, and the kinds only the sidecar sends.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Kind, PROTOCOL_VERSION } from '@glstream/protocol';
import { SidecarClient } from '../../../test/support/sidecar-client.js';
import { waitFor } from '../../../test/support/wait.js';

test('a second HELLO and a FRAME from the kernel are dropped with a log line; the sidecar still answers', async () => {
  const client = new SidecarClient();
  try {
    await client.waitFor((message) => message.kind === Kind.HELLO);
    client.send(Kind.HELLO, { protocol: PROTOCOL_VERSION, name: 'test', version: '0' });
    client.send(Kind.HELLO, { protocol: 999, name: 'test', version: '0' });
    client.send(Kind.FRAME, { view: 'v' }, new Uint8Array(4));
    await waitFor(() => client.stderr.includes('dropped a FRAME message'), 10_000, 'the FRAME to be logged');
    assert.match(client.stderr, /dropped a second HELLO from the kernel/);
    const reply = await client.call('no_such_method');
    assert.equal(reply.meta['ok'], false, 'the sidecar still answers');
    assert.equal(client.process.exitCode, null);
  } finally {
    await client.stop();
  }
});
