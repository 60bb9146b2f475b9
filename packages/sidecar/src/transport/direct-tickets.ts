// Single-use tickets for the direct websocket: the kernel asks for one per view and hands it to the widget by a
// custom message (never synced state, so never saved with the notebook); connecting consumes it, and the HELLO of
// an accepted connection carries the next one. An unused ticket expires, and a view holds only a few, so a ticket
// that leaks (a log, a screenshot of the URL) is worth little and for a short time.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export const TICKET_TTL_MS = 60_000;
export const TICKETS_PER_VIEW = 8;

interface Ticket {
  // SHA-256 of the ticket: every comparison is of equal lengths, in constant time, whatever a client sends.
  digest: Buffer;
  expires: number;
}

const digest = (key: string): Buffer => createHash('sha256').update(key).digest();

// The outstanding tickets of every view.
export class Tickets {
  readonly #byView = new Map<string, Ticket[]>();
  readonly #now: () => number;

  // `now` is the clock expiry is measured by (tests pass their own).
  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  // A fresh ticket for `view`; the oldest outstanding one is dropped when the view already holds the most.
  issue(view: string): string {
    this.#prune();
    const key = randomBytes(24).toString('base64url');
    const held = this.#byView.get(view) ?? [];
    held.push({ digest: digest(key), expires: this.#now() + TICKET_TTL_MS });
    if (held.length > TICKETS_PER_VIEW) held.splice(0, held.length - TICKETS_PER_VIEW);
    this.#byView.set(view, held);
    return key;
  }

  // Whether `key` is an unexpired ticket of `view`; if so it is used up. Every held ticket is compared, so the
  // time taken says nothing about which one (if any) matched.
  consume(view: string, key: string): boolean {
    this.#prune();
    const given = digest(key);
    const held = this.#byView.get(view) ?? [];
    let found = -1;
    held.forEach((ticket, index) => {
      if (timingSafeEqual(ticket.digest, given)) found = index;
    });
    if (found < 0) return false;
    held.splice(found, 1);
    if (held.length === 0) this.#byView.delete(view);
    return true;
  }

  // Forget every ticket of `view`.
  revoke(view: string): void {
    this.#byView.delete(view);
  }

  // How many tickets are outstanding, all views together.
  get outstanding(): number {
    this.#prune();
    let count = 0;
    for (const held of this.#byView.values()) count += held.length;
    return count;
  }

  // Drop expired tickets of every view, so a closed view's tickets do not stay behind.
  #prune(): void {
    const now = this.#now();
    for (const [view, held] of this.#byView) {
      const live = held.filter((ticket) => ticket.expires > now);
      if (live.length === 0) this.#byView.delete(view);
      else this.#byView.set(view, live);
    }
  }
}
