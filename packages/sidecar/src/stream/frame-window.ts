// How many frames a view lets be in flight on its measured path. Two at least, so that one is drawn while the other
// travels; more only while one frame more raises the frames acked per second. On a long path a bigger window fills
// the pipe; where the browser, the kernel or the Jupyter server is the bottleneck a frame more only waits in a queue
// and adds its time to every input's latency. The round trip alone cannot tell the two apart on a busy path: its
// jitter there (the kernel's scheduling, an ack waiting for a move to ride on) looks like a queue to TCP Vegas'
// test (in flight x (1 - least / last round trip)), which held the comm at two frames: 30 fps, where three gave 38
// at the same latency. So the window climbs on the delivery rate itself: it tries one frame more (or, now and then,
// one less), measures, and keeps the change only when it paid. A frame pays when it adds at least half a frame's
// worth to the rate (Vegas' half-frame queue, measured on the rate): on an empty pipe a frame more at a window of
// W adds 1/W, and one that adds less mostly waits in a queue. With a fixed tenth the emulated campus link (40 ms,
// 20 Mbit/s) climbed to 4-6 frames in three runs of three, p50 91-111 ms, where 3 frames give 31 fps at 88 ms.
// On top of that the bytes in flight stay under 1.25 times the bandwidth-delay product (a wrong rate cannot queue
// seconds of frames on a slow link), never more than MAX_FRAMES, and the least window while the link estimate
// measures its least round trip again (BBR's ProbeRTT).
import { LIMITS } from '@glstream/protocol';
import type { LinkEstimate } from './link-estimate.js';

export const MIN_FRAMES = LIMITS.frames_in_flight.min;
export const MAX_FRAMES = LIMITS.frames_in_flight.max;
const BDP_GAIN = 1.25;
// A measurement lasts at least this long and this many acks (at 30 fps, 12 frames: a rate within about 8%).
const EPOCH_MS = 400;
const EPOCH_ACKS = 12;
// The frame between a window of W and W + 1 pays when W + 1 delivers (1 + HALF_FRAME / W) times what W does, and
// at least a tenth more: beyond five frames half a frame's worth is within a measurement's noise.
const HALF_FRAME = 0.5;
const GAIN_MIN = 0.1;
// A step that paid is followed at once by the next the same way; one that did not is undone, and the window stands
// for a while before the next try (the other way), twice as long after each try in vain: each try costs about
// 2 x EPOCH_MS of a window that may add a frame's latency.
const WAIT_MS = { min: 3000, max: 24_000 };
// The same window delivering a quarter more or less (well beyond a measurement's noise): the path changed.
const CHANGE = 0.25;

export class FrameWindow {
  readonly #link: LinkEstimate;
  #size = MIN_FRAMES;
  // The window before the step being tried, and the rate measured with it.
  #tried: { from: number; rate: number } | null = null;
  // The rate the window delivered at its size when last measured.
  #rate: number | null = null;
  #epoch: { start: number; acks: number; full: boolean; warm: boolean } | null = null;
  #nextTry = 0;
  #wait = WAIT_MS.min;
  #up = true;
  #upInVain = false;

  constructor(link: LinkEstimate) {
    this.#link = link;
  }

  // The frames that may be in flight now.
  get size(): number {
    return this.#size;
  }

  // The path, not the window, holds the delivery rate: the last frame more tried did not pay, or the window is at
  // its most.
  get pathBound(): boolean {
    return this.#upInVain || this.#size === MAX_FRAMES;
  }

  // Whether one more frame may leave with `unacked` frames not yet acked (those made but not sent too).
  admits(unacked: number): boolean {
    if (unacked < MIN_FRAMES) return true;
    if (unacked >= this.#size || this.#link.probing) return false;
    const bdp = this.#link.bdpBytes;
    return bdp !== null && this.#link.inFlightBytes < BDP_GAIN * bdp;
  }

  // A frame was wanted and the window kept it back: this measurement says what the window allows.
  full(): void {
    if (this.#epoch !== null) this.#epoch.full = true;
  }

  // A frame was acked at `now` (ms).
  acked(now: number): void {
    const epoch = this.#epoch;
    if (epoch === null) {
      this.#epoch = { start: now, acks: 0, full: false, warm: true };
      return;
    }
    epoch.acks += 1;
    if (epoch.acks < EPOCH_ACKS || now - epoch.start < EPOCH_MS) return;
    this.#epoch = { start: now, acks: 0, full: false, warm: true };
    // After a change, one measurement lets the frames in flight reach the new window before one is judged.
    if (!epoch.warm) return;
    this.#judge((epoch.acks * 1000) / (now - epoch.start), epoch.full, now);
  }

  // The path changed or the view restarted its frames: start again from the least window.
  reset(): void {
    this.#size = MIN_FRAMES;
    this.#tried = null;
    this.#rate = null;
    this.#epoch = null;
    this.#nextTry = 0;
    this.#wait = WAIT_MS.min;
    this.#up = true;
    this.#upInVain = false;
  }

  #judge(rate: number, full: boolean, now: number): void {
    const tried = this.#tried;
    this.#tried = null;
    if (tried !== null) {
      const up = this.#size > tried.from;
      const smaller = Math.min(this.#size, tried.from);
      const [small, big] = up ? [tried.rate, rate] : [rate, tried.rate];
      const paid = big >= small * (1 + Math.max(GAIN_MIN, HALF_FRAME / smaller));
      // A bigger window that held nothing back did not pay either: the input was the limit.
      const kept = up ? full && paid : !paid;
      if (up) this.#upInVain = !kept;
      if (kept) {
        this.#rate = rate;
        this.#wait = WAIT_MS.min;
        this.#nextTry = now;
      } else {
        this.#rate = tried.rate;
        this.#step(tried.from);
        this.#up = !up;
        this.#nextTry = now + this.#wait;
        this.#wait = Math.min(WAIT_MS.max, 2 * this.#wait);
      }
      return;
    }
    // A window that held nothing back (input came slower than frames could go) says nothing about another.
    if (!full) return;
    // The path changed: what was tried in vain may pay now.
    if (this.#rate !== null && Math.abs(rate - this.#rate) > CHANGE * this.#rate) {
      this.#wait = WAIT_MS.min;
      this.#nextTry = now;
      this.#upInVain = false;
    }
    this.#rate = rate;
    if (now < this.#nextTry) return;
    if (this.#size === MIN_FRAMES) this.#up = true;
    if (this.#size === MAX_FRAMES) this.#up = false;
    this.#tried = { from: this.#size, rate };
    this.#step(this.#up ? this.#size + 1 : this.#size - 1);
  }

  #step(to: number): void {
    this.#size = to;
    if (this.#epoch !== null) this.#epoch.warm = false;
  }
}
