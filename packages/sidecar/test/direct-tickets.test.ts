// The direct websocket's tickets on their own, on a clock the test moves: single use, per view, expiry after
// 60 s unused, at most 8 outstanding per view (the oldest dropped), revocation, and nothing left of expired ones.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TICKET_TTL_MS, Tickets, TICKETS_PER_VIEW } from '../src/transport/direct-tickets.js';

function ticketsOnClock() {
  let now = 1_000_000;
  const tickets = new Tickets(() => now);
  return { tickets, advance: (ms: number) => (now += ms) };
}

test('a ticket opens its view once, and no other view', () => {
  const { tickets } = ticketsOnClock();
  const key = tickets.issue('v1');
  assert.match(key, /^[A-Za-z0-9_-]{32}$/);
  assert.equal(tickets.consume('v2', key), false, 'another view');
  assert.equal(tickets.consume('v1', key), true);
  assert.equal(tickets.consume('v1', key), false, 'used');
  assert.equal(tickets.consume('v1', ''), false);
  assert.equal(tickets.consume('v1', `${key}x`), false);
  assert.equal(tickets.outstanding, 0);
});

test('a ticket expires 60 s after it was issued, and expired tickets are forgotten', () => {
  const { tickets, advance } = ticketsOnClock();
  const late = tickets.issue('v1');
  const inTime = tickets.issue('v1');
  tickets.issue('closed-view');
  advance(TICKET_TTL_MS - 1);
  assert.equal(tickets.consume('v1', inTime), true, 'just in time');
  advance(1);
  assert.equal(tickets.consume('v1', late), false, 'expired');
  assert.equal(tickets.outstanding, 0, "the closed view's ticket went too");
});

test('a view holds at most 8 tickets: issuing a 9th drops the oldest', () => {
  const { tickets } = ticketsOnClock();
  const keys = Array.from({ length: TICKETS_PER_VIEW + 1 }, () => tickets.issue('v1'));
  tickets.issue('v2');
  assert.equal(tickets.outstanding, TICKETS_PER_VIEW + 1);
  assert.equal(tickets.consume('v1', keys[0]!), false, 'the oldest was dropped');
  for (const key of keys.slice(1)) assert.equal(tickets.consume('v1', key), true);
});

test('revoking a view forgets its tickets and only its', () => {
  const { tickets } = ticketsOnClock();
  const one = tickets.issue('v1');
  const other = tickets.issue('v2');
  tickets.revoke('v1');
  assert.equal(tickets.consume('v1', one), false);
  assert.equal(tickets.consume('v2', other), true);
});
