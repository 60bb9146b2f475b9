// A simulated path for the tests of the renderer's link estimate and frame window.
import type { LinkEstimate } from '../src/stream/link-estimate.js';

// A path of `rttMs` round trip whose bottleneck carries `bytesPerMs`: frames queue behind each other there,
// as on a real link. Sends `count` frames of `bytes`, at most `window` in flight, each as soon as the window
// allows, and acks each on arrival, every event in time order.
export function sendOverPath(
  link: LinkEstimate,
  options: { rttMs: number; bytesPerMs: number; bytes: number; count: number; window: number; start?: number },
) {
  const { rttMs, bytesPerMs, bytes, count, window } = options;
  let now = options.start ?? 0;
  let linkFree = now;
  const pending: Array<{ seq: number; at: number }> = [];
  for (let seq = 1; seq <= count; seq += 1) {
    if (pending.length >= window) {
      const ack = pending.shift() as { seq: number; at: number };
      now = Math.max(now, ack.at);
      link.acked(ack.seq, ack.at);
    }
    link.sent(seq, bytes, now);
    linkFree = Math.max(linkFree, now) + bytes / bytesPerMs;
    pending.push({ seq, at: linkFree + rttMs });
  }
  for (const ack of pending) link.acked(ack.seq, ack.at);
  return pending.at(-1)?.at ?? now;
}
