// The framed channel to the kernel over stdin/stdout. Bytes that are not a message are logged and skipped.
import { EventEmitter } from 'node:events';
import type { Readable, Writable } from 'node:stream';
import { encodeHead, MessageReader, type Kind, type Message, type Meta } from '@glstream/protocol';
import { GlstreamError } from '../errors.js';

// Emits 'message' (Message) and 'close' (input ended). Bytes that are not a message are logged with what was
// dropped, and reading goes on at the next message (MessageReader says how it finds it): one bad frame from the
// kernel does not take down the views of the whole kernel.
export class StdioChannel extends EventEmitter<{ message: [Message]; close: [] }> {
  readonly #output: Writable;
  readonly #reader: MessageReader;

  constructor(input: Readable, output: Writable, log: (line: string) => void = console.error) {
    super();
    this.#output = output;
    this.#reader = new MessageReader((error, dropped) =>
      log(`glstream: dropped ${dropped} bytes from the kernel that are not a glstream message: ${error.message}`),
    );
    input.on('data', (chunk: Buffer) => {
      for (const message of this.#reader.push(chunk)) this.emit('message', message);
    });
    input.on('end', () => this.emit('close'));
    input.on('error', () => this.emit('close'));
    output.on('error', () => this.emit('close'));
  }

  // Write one message; the payload goes out as it is, in the same writev as the header (no copy).
  send(kind: Kind, meta: object, payload?: Uint8Array): void {
    const output = this.#output;
    if (!output.writable) return;
    output.cork();
    output.write(encodeHead(kind, meta, payload?.byteLength ?? 0));
    if (payload !== undefined && payload.byteLength > 0) output.write(payload);
    process.nextTick(() => output.uncork());
  }
}

// Split a request's payload into its buffers by the byte lengths listed in meta.buffers.
export function splitBuffers(meta: Meta, payload: Uint8Array): Uint8Array[] {
  const lengths = Array.isArray(meta['buffers']) ? (meta['buffers'] as unknown[]) : [];
  const buffers: Uint8Array[] = [];
  let offset = 0;
  for (const length of lengths) {
    if (typeof length !== 'number' || !Number.isInteger(length) || length < 0 || offset + length > payload.byteLength) {
      throw new GlstreamError(
        'protocol',
        `buffer lengths ${JSON.stringify(lengths)} do not fit a payload of ${payload.byteLength} bytes`,
      );
    }
    buffers.push(payload.subarray(offset, offset + length));
    offset += length;
  }
  return buffers;
}
