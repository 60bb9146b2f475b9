// Helpers shared by the tests that talk to a websocket server standing in for the sidecar.
import { encodeMessage, Kind, PROTOCOL_VERSION } from '@glstream/protocol';

// The HELLO a sidecar says first on a direct websocket, in `protocol`, with `extra` fields (the next ticket).
export const hello = (protocol = PROTOCOL_VERSION, extra: Record<string, unknown> = {}): Uint8Array =>
  encodeMessage(Kind.HELLO, { protocol, name: 'stand-in', version: '0', pid: 1, ...extra });

// Wait until `condition` holds, polling each turn of the event loop, failing after `timeoutMs`.
export async function until(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setImmediate(resolve));
  }
}
