import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FrameMeta } from '@glstream/protocol';
import { formatStats, percentile, StatsMeter } from '../src/stats.js';
import { frameMeta } from './frames.js';

const meta = (seq: number, tInput: number | null): FrameMeta =>
  frameMeta(seq, {
    mime: 'image/jpeg',
    width: 4,
    height: 3,
    still: false,
    input_seq: seq,
    t_input: tInput,
    timings: { render_ms: 5, readback_ms: 1, encode_ms: 2 },
  });

test('percentiles take the nearest rank, null without samples', () => {
  const sorted = Array.from({ length: 20 }, (_, i) => i + 1);
  assert.equal(percentile(sorted, 0.5), 10);
  assert.equal(percentile(sorted, 0.95), 19);
  assert.equal(percentile([7], 0.95), 7);
  assert.equal(percentile([], 0.5), null);
});

test('fps and bytes/s count the last second only', () => {
  const meter = new StatsMeter();
  for (let i = 0; i < 30; i += 1) {
    meter.received(1000, i * 50);
    meter.painted(meta(i + 1, null), i * 50 + 10);
  }
  const report = meter.report(1500);
  assert.equal(report.fps, 20, 'frames painted after 500 ms');
  assert.equal(report.bytes_per_s, 19_000, 'frames received after 500 ms');
  assert.equal(report.frames, 30);
  assert.deepEqual([report.render_ms, report.readback_ms, report.encode_ms], [5, 1, 2]);
  assert.equal(meter.report(5000).fps, 0, 'an idle second has no frames');
});

test('latency is paint time minus input time, once per input', () => {
  const meter = new StatsMeter();
  meter.painted(meta(1, null), 100);
  meter.painted(meta(2, 200), 230);
  meter.painted(meta(3, 300), 340);
  meter.painted(meta(4, 300), 700);
  meter.painted(meta(5, 400), 500);
  const report = meter.report(700);
  assert.equal(report.latency_ms_p50, 40);
  assert.equal(report.latency_ms_p95, 100);
});

test('before any frame the report is empty, and the overlay line says so', () => {
  const report = new StatsMeter().report(0);
  assert.deepEqual(report, {
    type: 'stats',
    transport: 'comm',
    fps: 0,
    latency_ms_p50: null,
    latency_ms_p95: null,
    bytes_per_s: 0,
    frames: 0,
    render_ms: null,
    readback_ms: null,
    encode_ms: null,
  });
  assert.equal(formatStats(report), '0 fps · latency – · 0 kB/s via comm');
});

test('the overlay line names every figure', () => {
  const meter = new StatsMeter();
  meter.transport = 'proxy';
  meter.received(25_000, 0);
  meter.painted(meta(1, 10), 42.26);
  assert.equal(
    formatStats(meter.report(50)),
    '1 fps · latency p50 32.3 ms, p95 32.3 ms · 25 kB/s via proxy · render 5 + readback 1 + encode 2 ms',
  );
});
