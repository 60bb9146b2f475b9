// JPEG or video for a view's interactive frames. GLSTREAM_VIDEO=on sends video whenever the widget can decode it
// and ffmpeg can encode it, off never; auto (the default) sends video when the measured path is the bottleneck: a
// remote path (its least round trip at least REMOTE_RTT_MS) that delivers less than JPEG frames at the target
// rate would need, with a queue building on it (the smoothed round trip QUEUE_FACTOR times the least). A path that
// delivers little only because few frames are in flight (a long round trip, small frames) keeps JPEG: there video
// saves bytes but not time, and costs more CPU a frame. The stills stay PNG (or JPEG q95) whatever is chosen.
import { InputError } from '../../errors.js';

export type VideoMode = 'auto' | 'on' | 'off';

const MODES: readonly VideoMode[] = ['auto', 'on', 'off'];

// Loopback and LAN paths (a round trip, decode included, of a few ms) carry JPEG at any frame rate here.
export const REMOTE_RTT_MS = 20;
// JPEG needs this much headroom over its bytes per second: a link that delivers barely enough queues frames.
const HEADROOM = 1.25;
// Frames that wait in a queue on the path take this much longer than the least round trip.
const QUEUE_FACTOR = 1.5;

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
  smoothedRttMs: number | null;
  bytesPerSecond: number | null;
  // The size of the last interactive JPEG, and the frame rate aimed at.
  jpegBytes: number | null;
  targetFps: number;
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

function bottleneck({ rttMs, smoothedRttMs, bytesPerSecond, jpegBytes, targetFps }: ChoiceInput): boolean {
  if (rttMs === null || smoothedRttMs === null || bytesPerSecond === null || jpegBytes === null) return false;
  const queued = smoothedRttMs >= QUEUE_FACTOR * rttMs;
  return rttMs >= REMOTE_RTT_MS && queued && bytesPerSecond < HEADROOM * jpegBytes * targetFps;
}
