// Incremental reader: feed it chunks from a byte stream, get whole messages out.
import { decodeHeader, HEADER_SIZE } from './header.js';
import { decodeMessage, type Message } from './message.js';

// Splits a byte stream into messages, buffering partial ones.
export class MessageReader {
  #chunks: Uint8Array[] = [];
  #buffered = 0;

  // Add bytes; returns every message now complete, in order.
  push(chunk: Uint8Array): Message[] {
    this.#chunks.push(chunk);
    this.#buffered += chunk.byteLength;
    const messages: Message[] = [];
    for (;;) {
      if (this.#buffered < HEADER_SIZE) break;
      const header = decodeHeader(this.#peek(HEADER_SIZE));
      const total = HEADER_SIZE + header.metaLength + header.payloadLength;
      if (this.#buffered < total) break;
      messages.push(decodeMessage(this.#take(total)));
    }
    return messages;
  }

  // Bytes received but not yet part of a whole message.
  get pending(): number {
    return this.#buffered;
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
