// `glstream serve --stdio`: the kernel's sidecar. Handshake, requests, input events, frames, and lifecycle.
import { setTimeout as delay } from 'node:timers/promises';
import { Kind, PROTOCOL_VERSION, type Message } from '@glstream/protocol';
import { errorReply, GlstreamError } from '../errors.js';
import { HELLO } from '../transport/hello.js';
import { checkInput } from '../transport/input-check.js';
import { splitBuffers, StdioChannel } from '../transport/stdio.js';
import type { Params } from './params.js';
import { Session } from './session.js';
import { watchParent } from './watch-parent.js';

// How long "shutdown" waits for the requests before it: one that never settles must not keep the sidecar alive.
const SHUTDOWN_GRACE_MS = 5000;

// Serve one kernel over stdin/stdout until stdin closes or the parent dies.
export function serveStdio(): void {
  // stdout carries the protocol: anything a library logs goes to stderr instead.
  console.log = console.error;
  console.info = console.error;
  console.debug = console.error;
  const channel = new StdioChannel(process.stdin, process.stdout);
  const session = new Session({
    sink: (meta, payload) => channel.send(Kind.FRAME, meta, payload),
    askKernel: (meta) => channel.send(Kind.CAPTURE, meta),
    // The kernel keeps each view's last camera at rest, to put it back in a restarted renderer.
    onCameraRest: (view, camera, follows) => channel.send(Kind.NOTICE, { view, level: 'camera', camera, follows }),
    onViewError: (view, error) =>
      channel.send(Kind.NOTICE, {
        level: 'error',
        view,
        message: withHint(report(error, `drawing a frame of view ${view}`)),
      }),
  });
  let greeted = false;
  let closing: Promise<void> | undefined;
  // Requests being answered: "shutdown" lets those before it finish (a snapshot's encode may still be running in
  // sharp's threads when the GL queue is idle) so that each is answered before the process exits.
  const answering = new Set<Promise<void>>();
  const shutdown = (code: number) => {
    closing ??= session.close().finally(() => process.exit(code));
    return closing;
  };

  channel.on('message', (message: Message) => {
    if (message.kind === Kind.HELLO) {
      // A kernel greets once: a stray HELLO later must not end every view.
      if (greeted) {
        console.error('glstream: dropped a second HELLO from the kernel');
        return;
      }
      greeted = message.meta['protocol'] === PROTOCOL_VERSION;
      if (!greeted) {
        channel.send(Kind.NOTICE, { level: 'error', message: mismatch(message.meta['protocol']) });
        void shutdown(3);
      }
    } else if (message.kind === Kind.REQUEST) {
      const answered = answer(message, [...answering]);
      answering.add(answered);
      void answered.finally(() => answering.delete(answered));
    } else if (message.kind === Kind.EVENT) {
      try {
        session.find(String(message.meta['view']))?.input(checkInput(message.meta));
      } catch (error) {
        console.error('glstream: dropped an input event from the kernel:', report(error, 'applying input').message);
      }
    } else {
      console.error(
        `glstream: dropped a ${kindName(message.kind)} message from the kernel, ` +
          'which sends only HELLO, REQUEST and EVENT',
      );
    }
  });
  channel.on('close', () => void shutdown(0));

  async function answer(message: Message, earlier: Promise<void>[]): Promise<void> {
    const id = message.meta['id'];
    const method = String(message.meta['method']);
    try {
      if (!greeted) throw new GlstreamError('protocol', 'the kernel must send HELLO before any request');
      const params = message.meta['params'] ?? {};
      if (params === null || typeof params !== 'object' || Array.isArray(params)) {
        throw new GlstreamError('protocol', `the params of "${method}" must be a JSON object`);
      }
      if (method === 'shutdown') await Promise.race([Promise.allSettled(earlier), delay(SHUTDOWN_GRACE_MS)]);
      const outcome =
        method === 'shutdown'
          ? { result: {} }
          : await session.call(method, params as Params, splitBuffers(message.meta, message.payload));
      channel.send(Kind.REPLY, { id, ok: true, result: outcome.result }, outcome.payload);
      if (method === 'shutdown') await shutdown(0);
    } catch (error) {
      channel.send(Kind.REPLY, { id, ok: false, error: report(error, `answering "${method}"`) });
    }
  }

  process.on('SIGINT', () => {});
  process.on('SIGTERM', () => void shutdown(0));
  watchParent(() => void shutdown(0));
  channel.send(Kind.HELLO, HELLO);
}

// The error reply for `error`; an internal error (a bug of the sidecar) is logged with its stack first, so that
// the kernel, which shows the end of this log with such errors, can show where it happened.
function report(error: unknown, doing: string): ReturnType<typeof errorReply> {
  const reply = errorReply(error);
  if (reply.code === 'internal') console.error(`glstream: internal error ${doing}:`, error);
  return reply;
}

function kindName(kind: Kind): string {
  return Object.entries(Kind).find(([, value]) => value === kind)?.[0] ?? String(kind);
}

function withHint({ message, hint }: ReturnType<typeof errorReply>): string {
  return hint === undefined ? message : `${message}; ${hint}`;
}

function mismatch(theirs: unknown): string {
  return (
    `protocol mismatch: the kernel speaks glstream protocol ${String(theirs)}, this sidecar speaks ` +
    `${PROTOCOL_VERSION}; install the Python package and the sidecar from the same release`
  );
}
