// One long-lived H.264 encoder (Debian's ffmpeg with libx264, tuned for latency) for frames of one size: RGBA in
// on stdin, one FLV tag out per frame, handed back as Annex B. The first frame out is a key frame; a new key frame
// is a new encoder.
import { execa, type ResultPromise } from 'execa';
import { GlstreamError } from '../../errors.js';
import { FlvReader } from './flv.js';
import { type AvcConfig, readAvcConfig, toAnnexB } from './h264.js';

// How an encoder is made: the frame size, which row comes first, and the ffmpeg to run.
export interface VideoEncoderOptions {
  width: number;
  height: number;
  rows: 'bottom-up' | 'top-down';
  ffmpeg: string;
  // x264's constant rate factor: lower is better and bigger (x264's default is 23).
  crf?: number;
  // Frames between key frames: what a lost frame costs at most.
  keyInterval?: number;
}

// One encoded frame: Annex B bytes, whether it is a key frame, and the codec string WebCodecs configures with.
export interface VideoChunk {
  data: Buffer;
  key: boolean;
  codec: string;
}

// The crf whose frames are at least as close to the still as JPEG q85 (SSIM) on the bench's orbit (bench/video.ts;
// crf 23 falls just short there).
export const DEFAULT_CRF = 20;
const DEFAULT_KEY_INTERVAL = 240;
const STDERR_TAIL = 2000;
const PROCESS_OPTIONS = { buffer: false, reject: false, stdin: 'pipe', stdout: 'pipe', stderr: 'pipe' } as const;

// Encodes frames of one size in order; a frame's promise settles when its own bytes come out.
export class VideoEncoder {
  readonly width: number;
  readonly height: number;
  readonly rows: 'bottom-up' | 'top-down';
  readonly #process: ResultPromise<typeof PROCESS_OPTIONS>;
  readonly #reader = new FlvReader();
  readonly #waiting: Array<{ resolve(chunk: VideoChunk): void; reject(error: Error): void }> = [];
  #config: AvcConfig | null = null;
  #stderr = '';
  #failure: Error | null = null;

  constructor(options: VideoEncoderOptions) {
    const { width, height, rows } = options;
    if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1)
      throw new TypeError(`width and height must be positive integers, got ${width} x ${height}`);
    this.width = width;
    this.height = height;
    this.rows = rows;
    this.#process = execa(options.ffmpeg, encoderArgs(options), PROCESS_OPTIONS);
    this.#process.stdout.on('data', (bytes: Buffer) => this.#read(bytes));
    this.#process.stderr.on('data', (bytes: Buffer) => {
      this.#stderr = (this.#stderr + bytes.toString()).slice(-STDERR_TAIL);
    });
    // A write after ffmpeg died fails with EPIPE; the exit below reports why it died.
    this.#process.stdin.on('error', () => undefined);
    void this.#process.then((result) => {
      const why = result.isTerminated ? 'was stopped' : `exited with code ${String(result.exitCode)}`;
      this.#fail(new GlstreamError('internal', `the video encoder (ffmpeg) ${why}: ${this.#stderr.trim()}`));
    });
  }

  // Encode one frame of this encoder's size (RGBA, 4 bytes a pixel). The pixels are read before it resolves.
  encode(rgba: Uint8Array): Promise<VideoChunk> {
    if (rgba.byteLength !== this.width * this.height * 4)
      throw new TypeError(
        `a ${this.width}x${this.height} frame has ${this.width * this.height * 4} bytes, got ${rgba.byteLength}`,
      );
    if (this.#failure !== null) return Promise.reject(this.#failure);
    return new Promise((resolve, reject) => {
      this.#waiting.push({ resolve, reject });
      this.#process.stdin.write(rgba);
    });
  }

  // Stop ffmpeg; frames not out yet are rejected.
  async close(): Promise<void> {
    this.#process.kill();
    await this.#process;
  }

  #read(bytes: Buffer): void {
    let tags: ReturnType<FlvReader['push']>;
    try {
      tags = this.#reader.push(bytes);
    } catch (error) {
      this.#fail(
        new GlstreamError('internal', 'the video encoder wrote a stream glstream cannot read', { cause: error }),
      );
      this.#process.kill();
      return;
    }
    for (const tag of tags) {
      if (tag.kind === 'config') {
        this.#config = readAvcConfig(tag.data);
        continue;
      }
      const waiting = this.#waiting.shift();
      if (waiting === undefined || this.#config === null) continue;
      waiting.resolve({ data: toAnnexB(tag.data, this.#config, tag.key), key: tag.key, codec: this.#config.codec });
    }
  }

  #fail(error: Error): void {
    this.#failure ??= error;
    for (const waiting of this.#waiting.splice(0)) waiting.reject(this.#failure);
  }
}

// ffmpeg's command line: raw RGBA in, rows flipped if need be, an odd side padded by a copy of its last pixels
// (4:2:0 needs even sides and shares colour between neighbours; the widget crops), BT.709 limited range said in the
// stream, libx264 with no look-ahead and no B-frames, FLV out unbuffered.
function encoderArgs(options: VideoEncoderOptions): string[] {
  const right = options.width % 2;
  const bottom = options.height % 2;
  const pad =
    right + bottom === 0
      ? []
      : [
          'format=gbrp',
          `pad=${options.width + right}:${options.height + bottom}`,
          `fillborders=right=${right}:bottom=${bottom}:mode=smear`,
        ];
  const filters = [
    ...(options.rows === 'bottom-up' ? ['vflip'] : []),
    ...pad,
    'scale=out_color_matrix=bt709:out_range=tv',
    'format=yuv420p',
  ];
  // ffmpeg must not wait to learn about its input before it encodes the first frame: the size is given.
  const input = ['-probesize', '32', '-analyzeduration', '0', '-fpsprobesize', '0'];
  return [
    ...['-hide_banner', '-loglevel', 'error', '-nostdin', ...input],
    ...['-f', 'rawvideo', '-pix_fmt', 'rgba', '-s', `${options.width}x${options.height}`, '-framerate', '60'],
    ...['-i', 'pipe:0', '-vf', filters.join(',')],
    ...['-c:v', 'libx264', '-preset', 'ultrafast', '-tune', 'zerolatency', '-bf', '0'],
    ...['-crf', String(options.crf ?? DEFAULT_CRF), '-g', String(options.keyInterval ?? DEFAULT_KEY_INTERVAL)],
    ...['-colorspace', 'bt709', '-color_primaries', 'bt709', '-color_trc', 'bt709', '-color_range', 'tv'],
    ...['-f', 'flv', '-flush_packets', '1', 'pipe:1'],
  ];
}
