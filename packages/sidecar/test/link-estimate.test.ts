import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LinkEstimate } from '../src/stream/link-estimate.js';
import { sendOverPath } from './simulated-link.js';

test('nothing is known before a frame is acked', () => {
  const link = new LinkEstimate();
  assert.equal(link.rttMs, null);
  assert.equal(link.bytesPerSecond, null);
  assert.equal(link.bdpBytes, null);
  link.sent(1, 1000, 0);
  assert.equal(link.rttMs, null);
  assert.equal(link.inFlight, 1);
  assert.equal(link.inFlightBytes, 1000);
});

test('the round trip is send to ack, the least of recent frames, and smoothed apart', () => {
  const link = new LinkEstimate();
  link.sent(1, 100, 0);
  assert.equal(link.acked(1, 30), 30);
  link.sent(2, 100, 40);
  assert.equal(link.acked(2, 60), 20);
  link.sent(3, 100, 70);
  assert.equal(link.acked(3, 120), 50);
  assert.equal(link.rttMs, 20);
  assert.equal(link.lastRttMs, 50);
  const smoothed = link.smoothedRttMs ?? Number.NaN;
  assert.ok(smoothed > 20 && smoothed < 50, `smoothed ${smoothed}`);
  assert.equal(link.inFlight, 0);
  assert.equal(link.inFlightBytes, 0);
});

test('a window too small for the path is measured as what it delivers', () => {
  const link = new LinkEstimate();
  // Two frames per 132 ms round trip, far below the link's 625 bytes/ms.
  sendOverPath(link, { rttMs: 100, bytesPerMs: 625, bytes: 20_000, count: 40, window: 2 });
  const rate = link.bytesPerSecond ?? 0;
  assert.ok(Math.abs(rate - 40_000_000 / 132) / rate < 0.05, `rate ${rate}`);
});

test('a bottleneck link is measured at its rate, and its delay as the round trip', () => {
  const link = new LinkEstimate();
  // 5 Mbit/s = 625 bytes/ms, 100 ms round trip, 20 kB frames (32 ms each on the wire).
  sendOverPath(link, { rttMs: 100, bytesPerMs: 625, bytes: 20_000, count: 40, window: 6 });
  const rate = link.bytesPerSecond ?? 0;
  assert.ok(Math.abs(rate - 625_000) / 625_000 < 0.05, `rate ${rate}`);
  assert.ok(Math.abs((link.rttMs ?? 0) - 132) < 1, `rtt ${link.rttMs}`);
  const bdp = link.bdpBytes ?? 0;
  assert.ok(Math.abs(bdp - 82_500) / 82_500 < 0.05, `bdp ${bdp}`);
});

test('a burst sent at once is not taken for a fast link: the rate is capped by the ack interval', () => {
  const link = new LinkEstimate();
  for (let seq = 1; seq <= 4; seq += 1) link.sent(seq, 10_000, 0);
  // The acks come 10 ms apart: 10 kB per 10 ms, whatever the send burst looked like.
  for (let seq = 1; seq <= 4; seq += 1) link.acked(seq, 50 + 10 * seq);
  const rate = link.bytesPerSecond ?? 0;
  assert.ok(rate <= 10_000 * 100 * 1.01, `rate ${rate}`);
  assert.ok(rate > 10_000 * 100 * 0.4, `rate ${rate}`);
});

test('an idle spell does not count as slow delivery, nor age the estimate', () => {
  const link = new LinkEstimate({ windowMs: 1000 });
  const end = sendOverPath(link, { rttMs: 10, bytesPerMs: 1000, bytes: 10_000, count: 10, window: 2 });
  const rate = link.bytesPerSecond ?? 0;
  assert.equal(link.rttMs, 20);
  // A minute later one slow frame: its interval starts at its send, and the minute is not counted.
  link.sent(100, 10_000, end + 60_000);
  link.acked(100, end + 60_100);
  assert.equal(link.bytesPerSecond, rate);
  assert.equal(link.rttMs, 20);
  assert.equal(link.lastRttMs, 100);
  assert.equal(link.probing, false);
});

test('a least round trip a window old is measured again by a frame sent while the pacer holds back', () => {
  const link = new LinkEstimate({ windowMs: 1000 });
  sendOverPath(link, { rttMs: 10, bytesPerMs: 1000, bytes: 10_000, count: 10, window: 2 });
  // The path got slower: its frames never beat the old least, until it is a window old.
  let now = 1000;
  let seq = 0;
  while (!link.probing) {
    seq += 1;
    assert.ok(seq < 100, 'a probe begins within a window of frames in flight');
    link.sent(seq, 10_000, now);
    now += 60;
    link.acked(seq, now);
    assert.equal(link.rttMs, 20);
  }
  assert.ok(now - 1000 > 1000, `probing after ${now - 1000} ms`);
  // A frame already in flight when the probe began does not end it; the next one sent does.
  link.sent(seq + 1, 10_000, now - 30);
  link.acked(seq + 1, now + 10);
  assert.equal(link.probing, true);
  link.sent(seq + 2, 10_000, now + 10);
  link.acked(seq + 2, now + 70);
  assert.equal(link.probing, false);
  assert.equal(link.rttMs, 60);
});

test('unknown, repeated and dropped acks change nothing', () => {
  const link = new LinkEstimate();
  link.sent(1, 500, 0);
  link.sent(2, 700, 5);
  assert.equal(link.acked(9, 10), null);
  assert.equal(link.acked(1, 10), 10);
  assert.equal(link.acked(1, 12), null);
  link.dropInFlight();
  assert.equal(link.acked(2, 20), null);
  assert.equal(link.inFlightBytes, 0);
  assert.equal(link.rttMs, 10, 'dropping frames in flight keeps the samples');
  link.reset();
  assert.equal(link.rttMs, null);
  assert.equal(link.probing, false);
  assert.equal(link.bytesPerSecond, null);
});

test('frames never acked are forgotten past a bound', () => {
  const link = new LinkEstimate();
  for (let seq = 1; seq <= 1000; seq += 1) link.sent(seq, 10, seq);
  assert.ok(link.inFlight <= 64, `${link.inFlight} tracked`);
  assert.equal(link.inFlightBytes, link.inFlight * 10);
  assert.equal(link.acked(1, 2000), null);
  assert.equal(link.acked(1000, 2000), 1000);
});

test('bad options throw at once', () => {
  assert.throws(() => new LinkEstimate({ windowMs: 0 }), /windowMs must be a positive number, got 0/);
});
