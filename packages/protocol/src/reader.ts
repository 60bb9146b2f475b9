// Incremental reader: feed it chunks from a byte stream, get whole messages out.
import { decodeHeader, HEADER_SIZE, MAGIC, ProtocolError } from './header.js';
import { decodeMessage, type Message } from './message.js';

// The magic as it appears on the wire (little-endian "GLST").
const MAGIC_BYTES = Uint8Array.of(MAGIC & 0xff, (MAGIC >>> 8) & 0xff, (MAGIC >>> 16) & 0xff, MAGIC >>> 24);

// Told what was dropped and why, when a reader resynchronises instead of throwing.
export type DropListener = (error: ProtocolError, droppedBytes: number) => void;

// Splits a byte stream into messages, buffering partial ones.
//
// Without `onDropped`, bytes that are not a message throw a ProtocolError (the stream is then unusable). With it, the
// reader resynchronises and tells `onDropped` what it skipped: a header that fails its checks (magic, kind, reserved
// bytes, lengths) is skipped up to the next magic; a message whose header passes but whose metadata is not a JSON
// object is skipped whole, since its lengths delimit it. The lengths of a header that passes are trusted: a body cut
// short swallows the bytes that follow it until its length is reached, and the reader finds its footing at the next
// magic after that. The checks make a header that starts inside another one fail: its lengths or reserved bytes then
// hold part of the next magic, which is over the limits or not 0.
export class MessageReader {
  #chunks: Uint8Array[] = [];
  #buffered = 0;
  readonly #onDropped: DropListener | undefined;

  constructor(onDropped?: DropListener) {
    this.#onDropped = onDropped;
  }

  // Add bytes; returns every message now complete, in order.
  push(chunk: Uint8Array): Message[] {
    this.#chunks.push(chunk);
    this.#buffered += chunk.byteLength;
    const messages: Message[] = [];
    for (;;) {
      if (this.#buffered < HEADER_SIZE) break;
      let total: number;
      try {
        const header = decodeHeader(this.#peek(HEADER_SIZE));
        total = HEADER_SIZE + header.metaLength + header.payloadLength;
      } catch (error) {
        this.#drop(error, () => this.#skipToMagic());
        continue;
      }
      if (this.#buffered < total) break;
      const bytes = this.#take(total);
      try {
        messages.push(decodeMessage(bytes));
      } catch (error) {
        this.#drop(error, () => total);
      }
    }
    return messages;
  }

  // Bytes received but not yet part of a whole message.
  get pending(): number {
    return this.#buffered;
  }

  // Throw `error` if this reader has no drop listener; else skip what `skip` says and tell the listener.
  #drop(error: unknown, skip: () => number): void {
    if (this.#onDropped === undefined || !(error instanceof ProtocolError)) throw error;
    this.#onDropped(error, skip());
  }

  // Drop the bytes before the next magic after the first byte (keeping a tail that may start one); returns how many.
  #skipToMagic(): number {
    const bytes = this.#take(this.#buffered, false);
    let next = bytes.byteLength - (MAGIC_BYTES.byteLength - 1);
    for (let at = 1; at <= bytes.byteLength - MAGIC_BYTES.byteLength; at++) {
      if (MAGIC_BYTES.every((byte, i) => bytes[at + i] === byte)) {
        next = at;
        break;
      }
    }
    // a tail shorter than the magic is kept only if it could begin one
    while (
      next < bytes.byteLength &&
      !MAGIC_BYTES.subarray(0, bytes.byteLength - next).every((b, i) => bytes[next + i] === b)
    )
      next += 1;
    this.#chunks = [bytes.subarray(next)];
    this.#buffered = bytes.byteLength - next;
    return next;
  }

  #peek(n: number): Uint8Array {
    const first = this.#chunks[0]!;
    if (first.byteLength >= n) return first.subarray(0, n);
    return this.#take(n, false);
  }

  #take(n: number, consume = true): Uint8Array {
    const out = new Uint8Array(n);
    let filled = 0;
    let index = 0;
    while (filled < n) {
      const chunk = this.#chunks[index]!;
      const used = Math.min(chunk.byteLength, n - filled);
      out.set(chunk.subarray(0, used), filled);
      filled += used;
      if (consume) {
        if (used === chunk.byteLength) this.#chunks.shift();
        else this.#chunks[0] = chunk.subarray(used);
      } else {
        index += 1;
      }
    }
    if (consume) this.#buffered -= n;
    return out;
  }
}
