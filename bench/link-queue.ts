// One direction of an emulated link: a serialisation queue that sends bytes one after the other at the link's rate
// (a burst waits behind the bytes before it, as at a real bottleneck) and hands them over half a round trip later.
import type { Socket } from 'node:net';

// A link: its round trip and its rate, the same both ways.
export interface Link {
  name: string;
  rttMs: number;
  mbitPerSecond: number;
}

// The bottleneck's buffer, as time at the link's rate: beyond it the sending socket is no longer read (TCP's own
// flow control then holds the sender back), as a router's modest queue would push back by dropping.
const BUFFER_MS = 50;
// Bytes leave in segments of at most this long at the link's rate (and at least one Ethernet payload), so that the
// connections sharing the link interleave the way packets would, without a timer per packet at 200 Mbit/s.
const SEGMENT_MS = 2;
const MIN_SEGMENT = 1460;

interface Piece {
  at: number;
  to: Socket;
  chunk: Buffer | null;
}

export class LinkDirection {
  // Bytes carried so far, whatever the link.
  bytes = 0;
  link: Link | null = null;
  readonly #queue: Piece[] = [];
  #busyUntil = 0;
  #timer: NodeJS.Timeout | undefined;
  readonly #paused = new Set<Socket>();

  // Carry `chunk` from `from` to `to` (null: end `to` once the bytes before have arrived).
  send(from: Socket, to: Socket, chunk: Buffer | null): void {
    const link = this.link;
    if (chunk !== null) this.bytes += chunk.length;
    if (link === null && this.#queue.length === 0) {
      if (chunk === null) to.end();
      else to.write(chunk);
      return;
    }
    const now = performance.now();
    const bytesPerMs = link === null ? Number.POSITIVE_INFINITY : (link.mbitPerSecond * 1e6) / 8 / 1000;
    const delay = link === null ? 0 : link.rttMs / 2;
    let left = Math.max(now, this.#busyUntil);
    if (chunk === null) {
      this.#queue.push({ at: left + delay, to, chunk });
    } else {
      const segment = Math.max(MIN_SEGMENT, Math.ceil(bytesPerMs * SEGMENT_MS));
      for (let offset = 0; offset < chunk.length; offset += segment) {
        const piece = chunk.subarray(offset, offset + segment);
        left += piece.length / bytesPerMs;
        this.#queue.push({ at: left + delay, to, chunk: piece });
      }
    }
    this.#busyUntil = left;
    if (left - now > BUFFER_MS && !this.#paused.has(from)) {
      from.pause();
      this.#paused.add(from);
    }
    this.#schedule(now);
  }

  // Drop what is queued and stop the timer.
  close(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#queue.length = 0;
    this.#paused.clear();
  }

  #schedule(now: number): void {
    if (this.#timer !== undefined || this.#queue.length === 0) return;
    // Node fires a timer a millisecond or so late: it is set for the whole milliseconds left, rounded down.
    this.#timer = setTimeout(() => this.#deliver(), Math.max(0, Math.floor(this.#queue[0]!.at - now)));
  }

  #deliver(): void {
    this.#timer = undefined;
    const now = performance.now();
    // Node's timers fire on whole milliseconds: what is due within half of one goes now.
    while (this.#queue.length > 0 && this.#queue[0]!.at <= now + 0.5) {
      const { to, chunk } = this.#queue.shift()!;
      if (to.destroyed) continue;
      if (chunk === null) to.end();
      else to.write(chunk);
    }
    if (this.#paused.size > 0 && this.#busyUntil - now <= BUFFER_MS) {
      for (const socket of this.#paused) socket.resume();
      this.#paused.clear();
    }
    this.#schedule(now);
  }
}
