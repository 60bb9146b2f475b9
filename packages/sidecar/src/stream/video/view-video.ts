// A view's video state: whether its widget can decode H.264, whether this machine can encode it, the encoder of
// the current frame size, and the JPEG-or-video choice. A new encoder starts with a key frame, so dropping the
// encoder is how a key frame is asked for (a resize, a new connection, a renderer restart's new view).
import { isOneOf, LIMITS } from '@glstream/protocol';
import sharp from 'sharp';
import type { Pixels } from '../../render/renderer.js';
import type { Grab } from '../source.js';
import { type ChoiceInput, CodecChoice, type VideoMode } from './choice.js';
import { VideoEncoder, type VideoChunk } from './encoder.js';
import { type FfmpegInfo, probeFfmpeg } from './ffmpeg.js';

// What the choice needs of the path, from the view's link estimate.
export type PathFigures = Pick<ChoiceInput, 'rttMs' | 'bytesPerSecond' | 'pathBound'>;

// The JPEG frames' rate is taken over this much time.
const JPEG_RATE_MS = 1000;

export class ViewVideo {
  readonly #choice: CodecChoice;
  #ffmpeg: FfmpegInfo | null = null;
  #widgetDecodes = false;
  #failed = false;
  #encoder: VideoEncoder | null = null;
  // The interactive JPEG frames sent in the last JPEG_RATE_MS, oldest first.
  #jpegSent: { at: number; bytes: number }[] = [];

  constructor(mode: VideoMode, probe: () => Promise<FfmpegInfo> = probeFfmpeg) {
    this.#choice = new CodecChoice(mode);
    if (mode === 'off') return;
    // Until ffmpeg answers, frames are JPEG.
    void probe().then((info) => {
      this.#ffmpeg = info;
      if (info.error !== null) console.error(`glstream: interactive frames stay JPEG: ${info.path}: ${info.error}`);
    });
  }

  // The widget said which video codecs it decodes (a resize event's `codecs`; anything else means none).
  announce(codecs: unknown): void {
    this.#widgetDecodes = Array.isArray(codecs) && codecs.some((codec) => isOneOf(LIMITS.video_codecs, codec));
  }

  // The next video frame is a key frame.
  keyFrame(): void {
    this.#drop();
  }

  // The frames go by another path now: a key frame, and auto measures the path with JPEG first.
  newPath(): void {
    this.#drop();
    this.#choice.reset();
  }

  // An interactive JPEG of `bytes` was sent at `at` (ms): what video is weighed against.
  sentJpeg(bytes: number, at: number): void {
    this.#jpegSent = [...this.#jpegSent.filter((sent) => sent.at > at - JPEG_RATE_MS), { at, bytes }];
  }

  // Bytes per second and per frame of the JPEG frames of the last JPEG_RATE_MS; null until they span half of it.
  #jpegFigures(): { jpegBytesPerSecond: number | null; jpegFrameBytes: number | null } {
    const first = this.#jpegSent[0];
    const last = this.#jpegSent.at(-1);
    if (first === undefined || last === undefined || last.at - first.at < JPEG_RATE_MS / 2)
      return { jpegBytesPerSecond: null, jpegFrameBytes: null };
    const later = this.#jpegSent.slice(1).reduce((sum, sent) => sum + sent.bytes, 0);
    return {
      jpegBytesPerSecond: (later * 1000) / (last.at - first.at),
      jpegFrameBytes: (later + first.bytes) / this.#jpegSent.length,
    };
  }

  // Whether the next interactive frame should be video.
  wanted(path: PathFigures): boolean {
    const canVideo = this.#widgetDecodes && !this.#failed && this.#ffmpeg?.error === null;
    return this.#choice.video({ ...path, canVideo, ...this.#jpegFigures() });
  }

  // Encode a grabbed frame; null when the encoder failed, which keeps this view on JPEG from then on. A frame
  // smaller than the stream's (the quality controller shrank the drawing) is scaled up to it: starting ffmpeg for
  // each size would cost a key frame and 100-400 ms here. A bigger one starts a stream of its size.
  async encode(grab: Grab): Promise<(VideoChunk & { width: number; height: number }) | null> {
    const { width, height } = grab.pixels;
    const current = this.#encoder;
    if (current === null || current.width < width || current.height < height || current.rows !== grab.rows) {
      this.#drop();
      this.#encoder = new VideoEncoder({ width, height, rows: grab.rows, ffmpeg: this.#ffmpeg?.path ?? 'ffmpeg' });
    }
    const encoder = this.#encoder as VideoEncoder;
    try {
      const data = await fitTo(grab.pixels, encoder.width, encoder.height);
      return { ...(await encoder.encode(data)), width: encoder.width, height: encoder.height };
    } catch (error) {
      // Stopped for a key frame while it encoded: this one frame goes as JPEG.
      if (encoder !== this.#encoder) return null;
      console.error('glstream: the video encoder failed; this view sends JPEG from now on:', error);
      this.#failed = true;
      this.#drop();
      return null;
    }
  }

  // Stop the encoder.
  close(): Promise<void> {
    const encoder = this.#encoder;
    this.#encoder = null;
    return encoder?.close() ?? Promise.resolve();
  }

  #drop(): void {
    void this.close();
  }
}

// RGBA pixels at width x height, scaled (bilinear) when they are smaller.
async function fitTo(pixels: Pixels, width: number, height: number): Promise<Uint8Array> {
  if (pixels.width === width && pixels.height === height) return pixels.data;
  const raw = { width: pixels.width, height: pixels.height, channels: 4 } as const;
  return sharp(pixels.data, { raw }).resize(width, height, { fit: 'fill', kernel: 'linear' }).raw().toBuffer();
}
