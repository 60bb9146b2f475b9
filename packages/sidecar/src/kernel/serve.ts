// `glstream serve --stdio`: the kernel's sidecar. Handshake, requests, input events, frames, and lifecycle.
import { Kind, PROTOCOL_VERSION, type Message } from '@glstream/protocol';
import { describeError } from './describe-error.js';
import { Session } from './session.js';
import { checkInput } from './stream/input-check.js';
import { VERSION } from './version.js';
import { splitBuffers, StdioChannel } from './transport/stdio.js';
import { watchParent } from './lifecycle.js';

// Serve one kernel over stdin/stdout until stdin closes or the parent dies.
export function serveStdio(): void {
  // stdout carries the protocol: anything a library logs goes to stderr instead.
  console.log = console.error;
  console.info = console.error;
  console.debug = console.error;
  const channel = new StdioChannel(process.stdin, process.stdout);
  const session = new Session(
    (meta, payload) => channel.send(Kind.FRAME, meta, payload),
    (view, error) => channel.send(Kind.NOTICE, { level: 'error', view, message: describeError(error).message }),
  );
  let greeted = false;
  let closing: Promise<void> | undefined;
  const shutdown = (code: number) => {
    closing ??= session.close().finally(() => process.exit(code));
    return closing;
  };

  channel.on('message', (message: Message) => {
    if (message.kind === Kind.HELLO) {
      greeted = message.meta['protocol'] === PROTOCOL_VERSION;
      if (!greeted) {
        channel.send(Kind.NOTICE, { level: 'error', message: mismatch(message.meta['protocol']) });
        void shutdown(3);
      }
      return;
    }
    if (message.kind === Kind.REQUEST && !greeted) {
      channel.send(Kind.REPLY, {
        id: message.meta['id'],
        ok: false,
        error: { name: 'ProtocolError', message: 'the kernel must send HELLO before any request' },
      });
    } else if (message.kind === Kind.REQUEST) void answer(message);
    else if (message.kind === Kind.EVENT) {
      try {
        session.find(String(message.meta['view']))?.input(checkInput(message.meta));
      } catch (error) {
        console.error('glstream: dropped an input event from the kernel:', describeError(error).message);
      }
    }
  });
  channel.on('close', () => void shutdown(0));
  channel.on('error', (error) => {
    console.error(`glstream: ${error.message}`, error.cause);
    void shutdown(2);
  });

  async function answer(message: Message): Promise<void> {
    const id = message.meta['id'];
    const method = String(message.meta['method']);
    try {
      const params = (message.meta['params'] ?? {}) as Record<string, unknown>;
      const outcome =
        method === 'shutdown'
          ? { result: {} }
          : await session.call(method, params, splitBuffers(message.meta, message.payload));
      channel.send(Kind.REPLY, { id, ok: true, result: outcome.result }, outcome.payload);
      if (method === 'shutdown') await shutdown(0);
    } catch (error) {
      channel.send(Kind.REPLY, { id, ok: false, error: describeError(error) });
    }
  }

  process.on('SIGINT', () => {});
  process.on('SIGTERM', () => void shutdown(0));
  watchParent(() => void shutdown(0));
  channel.send(Kind.HELLO, {
    protocol: PROTOCOL_VERSION,
    name: 'glstream-sidecar',
    version: VERSION,
    pid: process.pid,
  });
}

function mismatch(theirs: unknown): string {
  return (
    `protocol mismatch: the kernel speaks glstream protocol ${String(theirs)}, this sidecar speaks ` +
    `${PROTOCOL_VERSION}; install the Python package and the sidecar from the same release`
  );
}
