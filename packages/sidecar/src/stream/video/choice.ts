// JPEG or video for a view's interactive frames. GLSTREAM_VIDEO=on sends video whenever the widget can decode it
// and ffmpeg can encode it, off never; auto (the default) sends video when the measured path is what holds JPEG
// back: a remote path (its least round trip at least REMOTE_RTT_MS) whose JPEG frames fill it (the bytes of the last
// second's JPEG frames at least FULL_SHARE of the most it delivered), where a frame more in flight no longer paid
// (while the frame window climbs, what was delivered is what the window let go, not what the link carries; early in
// a drag on the emulated home link that looked full and chose video: 18 fps and a p50 of 193 ms, where JPEG ran at
// 22-28 fps), and on which JPEG frames of that size could not pass VIDEO_BELOW_FPS. Elsewhere JPEG stays: video
// saves bytes, not time, and the browser's H.264 decoder holds frames a little longer than an image decode (on the
// emulated home link, 5 Mbit/s, JPEG ran at 24 fps with a latency p50 of 165 ms, H.264 at 18-21 fps and 249-300 ms).
// The stills stay PNG (or JPEG q95) whatever is chosen.
import { InputError } from '../../errors.js';

export type VideoMode = 'auto' | 'on' | 'off';

const MODES: readonly VideoMode[] = ['auto', 'on', 'off'];

// Loopback and LAN paths (a round trip, decode included, of a few ms) carry JPEG at any frame rate here.
export const REMOTE_RTT_MS = 20;
// JPEG frames that take this share of what the path delivers fill it.
const FULL_SHARE = 0.8;
// Below this frame rate for JPEG on the path, H.264's smaller frames are worth its longer decode.
export const VIDEO_BELOW_FPS = 20;

// The mode in $GLSTREAM_VIDEO; throws an InputError for any other value than auto, on or off.
export function videoMode(value = process.env.GLSTREAM_VIDEO): VideoMode {
  if (value === undefined || value === '') return 'auto';
  if ((MODES as readonly string[]).includes(value)) return value as VideoMode;
  throw new InputError(`GLSTREAM_VIDEO must be auto, on or off, got ${JSON.stringify(value)}`, {
    code: 'invalid_argument',
  });
}

// What the choice is made from.
export interface ChoiceInput {
  // The widget announced it can decode H.264, and no encoder failed in this view.
  canVideo: boolean;
  // The path's least round trip (ms) and most recent delivery rate (bytes/s); null before the first ack.
  rttMs: number | null;
  bytesPerSecond: number | null;
  // A frame more in flight did not raise the delivery rate (or the window is at its most): the path, not the
  // window, holds the rate.
  pathBound: boolean;
  // The interactive JPEG frames sent in the last second: bytes per second and per frame; null before a second.
  jpegBytesPerSecond: number | null;
  jpegFrameBytes: number | null;
}

// Chooses per interactive frame; once auto picked video it keeps it until `reset` (a new path), because the
// rate measured from small video frames no longer says what JPEG frames would get.
export class CodecChoice {
  readonly mode: VideoMode;
  #video = false;

  constructor(mode: VideoMode) {
    this.mode = mode;
  }

  // Whether the next interactive frame is video.
  video(input: ChoiceInput): boolean {
    if (!input.canVideo || this.mode === 'off') return false;
    if (this.mode === 'on') return true;
    if (!this.#video) this.#video = bottleneck(input);
    return this.#video;
  }

  // The path changed: measure JPEG on it first.
  reset(): void {
    this.#video = false;
  }
}

function bottleneck(input: ChoiceInput): boolean {
  const { rttMs, bytesPerSecond, jpegBytesPerSecond, jpegFrameBytes } = input;
  if (!input.pathBound || rttMs === null || bytesPerSecond === null) return false;
  if (jpegBytesPerSecond === null || jpegFrameBytes === null) return false;
  const full = jpegBytesPerSecond >= FULL_SHARE * bytesPerSecond;
  return rttMs >= REMOTE_RTT_MS && full && bytesPerSecond / jpegFrameBytes < VIDEO_BELOW_FPS;
}
