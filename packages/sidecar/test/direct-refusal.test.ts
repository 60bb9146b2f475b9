// A refused websocket upgrade is destroyed once answered: a client that keeps its side of the connection open
// must not hold the socket, or the server's close (and so the sidecar's shutdown), forever.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { DirectServer } from '../src/transport/direct.js';
import { waitFor } from '../../../test/support/wait.js';

const UPGRADE = [
  'GET /view/v1?key=wrong HTTP/1.1',
  'Host: 127.0.0.1',
  'Upgrade: websocket',
  'Connection: Upgrade',
  'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
  'Sec-WebSocket-Version: 13',
  '',
  '',
].join('\r\n');

test('a refused client that keeps its side open does not keep the server from closing', async () => {
  const server = new DirectServer(() => undefined);
  const port = await server.listen();
  const socket = connect({ port, host: '127.0.0.1', allowHalfOpen: true });
  let response = '';
  let ended = false;
  socket.on('data', (chunk: Buffer) => {
    response += chunk.toString();
  });
  socket.on('end', () => {
    ended = true;
  });
  socket.on('error', () => undefined);
  socket.write(UPGRADE);
  await waitFor(() => ended, 10_000, 'the refusal');
  assert.match(response, /^HTTP\/1\.1 403 Forbidden/);
  let closed = false;
  const closing = server.close().then(() => {
    closed = true;
  });
  try {
    await waitFor(() => closed, 5_000, 'the server to close while the refused client holds its side open');
  } finally {
    socket.destroy();
    await closing;
  }
});
