// A picture shown in a widget: the sidecar's own scene, or a window of an existing program. Input goes to its
// source, its pacer decides when frames go out, and its quality controller how big and how compressed the
// interactive ones are. Whatever changes the picture tells the view, so the view asks for its own next frame.
import { availableParallelism } from 'node:os';
import type { FrameMeta, FrameMime, InputEvent, StillKind } from '@glstream/protocol';
import { InputError } from '../errors.js';
import type { DirectPeer } from '../transport/direct.js';
import { encode } from './encode.js';
import { LinkEstimate } from './link-estimate.js';
import { FramePacer } from './pacer.js';
import { QualityController } from './quality.js';
import type { FrameSource, Grab } from './source.js';
import { type Still, StillRecord } from './still-record.js';
import { videoMode } from './video/choice.js';
import { type PathFigures, ViewVideo } from './video/view-video.js';

// Frames larger than this on a side are scaled down: a canvas this big at a high device pixel ratio would cost
// more to draw and encode than any screen shows.
const MAX_FRAME_SIDE = 4096;

// Where finished frames go.
export type FrameSink = (meta: FrameMeta & { view: string }, payload: Uint8Array) => void;

// The JPEG quality of the near-lossless still (full chroma resolution from FULL_CHROMA_QUALITY up).
const STILL_JPEG_QUALITY = 95;

// A view's initial size (CSS pixels), interactive frame-rate target and still frame kind.
export interface ViewOptions {
  width: number;
  height: number;
  targetFps?: number;
  still?: StillKind;
  // Grab the next frame while this one is encoded; by default for a captured window, and for a scene where a core
  // is free for the encode (OVERLAP_CORES).
  overlap?: boolean;
}

// The cores from which a scene's frame is encoded while the next is drawn. llvmpipe draws on every core, and the
// browser is often on the same machine: on 2 cores the overlap only took CPU from both. There, in Chromium through
// JupyterLab, one frame after the other gave 67-70 fps at p50 28 ms on loopback where the overlap gave 59-61 fps
// at 35-38 ms, and p50 73-81 ms against 87-102 on the emulated campus link. A captured window's grab is the X
// server's or the kernel's work, and there the overlap pays on 2 cores too: a VTK window ran at 40-44 fps with
// it, 21-33 without.
const OVERLAP_CORES = 4;

// Where a view's frames go, and where a frame that failed (or a source that went away) is reported.
export interface ViewContext {
  sink: FrameSink;
  onError(error: unknown): void;
}

// One widget's view: its source, the size the widget shows it at, and its frame pacing.
export class LiveView {
  readonly id: string;
  readonly source: FrameSource;
  readonly #pacer: FramePacer;
  readonly #quality: QualityController;
  readonly #still: StillKind;
  readonly #context: ViewContext;
  readonly #closed = new AbortController();
  #width: number;
  #height: number;
  #cssWidth: number;
  #cssHeight: number;
  #seq = 0;
  #inputSeq = 0;
  #inputTime: number | null = null;
  // Input the source will show once it reports a change (an X program redraws when it is ready).
  #awaited: { seq: number; t: number } | null = null;
  #gone: Error | null = null;
  // The path to the widget, measured from frames sent and acked: the pacer's window and the codec choice.
  readonly #link = new LinkEstimate();
  // The frame being encoded: the next one is sent after it.
  #encoding: Promise<void> = Promise.resolve();
  // When the last frame's encode ended: in a pipeline the next frame's cost is counted from there.
  #encoded = Number.NEGATIVE_INFINITY;
  readonly #direct = new Map<FrameSink, (reason: string) => void>();
  readonly #stills = new StillRecord();
  // Interactive frames as H.264 when the path is the bottleneck and the widget decodes it (GLSTREAM_VIDEO).
  readonly #video = new ViewVideo(videoMode());
  readonly #overlap: boolean;

  constructor(id: string, options: ViewOptions, context: ViewContext, source: FrameSource) {
    this.id = id;
    this.source = source;
    this.#context = context;
    this.#width = options.width;
    this.#height = options.height;
    this.#cssWidth = options.width;
    this.#cssHeight = options.height;
    this.#quality = new QualityController({ targetFps: options.targetFps });
    this.#still = options.still ?? 'lossless';
    this.#overlap = options.overlap ?? (source.kind !== 'scene' || availableParallelism() >= OVERLAP_CORES);
    const signal = this.#closed.signal;
    this.#pacer = new FramePacer(
      (still) => this.#frame(still, signal),
      (error) => {
        if (!signal.aborted) context.onError(error);
      },
      { link: this.#link },
    );
  }

  // The size frames and snapshots have by default, in device pixels.
  get width(): number {
    return this.#width;
  }

  get height(): number {
    return this.#height;
  }

  // Apply one event from the widget.
  input(event: InputEvent): void {
    if (event.type === 'ack') {
      const took = this.#link.acked(event.seq, performance.now());
      if (took === null) return;
      this.#quality.ackTook(took);
      this.#pacer.ack();
      return;
    }
    if (event.type === 'resize') {
      this.#cssWidth = Math.max(1, event.width);
      this.#cssHeight = Math.max(1, event.height);
      this.#width = clampSide(event.width * event.dpr);
      this.#height = clampSide(event.height * event.dpr);
      this.#link.dropInFlight();
      this.#video.announce(event.codecs);
      this.#video.keyFrame();
      this.source.resize(this.#cssWidth, this.#cssHeight, event.dpr);
      this.#stills.changed();
      if (this.#gone === null) this.#pacer.activate();
      return;
    }
    if (this.#gone !== null) return;
    const effect = this.source.input(event, { width: this.#cssWidth, height: this.#cssHeight });
    if (effect === 'later') {
      this.#awaited = { seq: Math.max(this.#awaited?.seq ?? 0, event.seq), t: this.#awaited?.t ?? event.t };
    } else {
      this.#inputSeq = Math.max(this.#inputSeq, event.seq);
    }
    if (event.type === 'pointer' && event.phase === 'up') this.#pacer.settle();
    if (effect !== 'now') return;
    this.#stills.changed();
    this.#inputTime = event.t;
    this.#pacer.invalidate(true);
  }

  // The source changed on its own; input it was waiting to show is shown by the next frame.
  changed(still = false): void {
    if (this.#gone !== null) return;
    const awaited = this.#awaited;
    if (awaited !== null) {
      this.#awaited = null;
      this.#inputSeq = Math.max(this.#inputSeq, awaited.seq);
      this.#inputTime = awaited.t;
    }
    this.#stills.changed();
    this.#pacer.invalidate(!still);
  }

  // The source is gone: no more frames; the widget is told why.
  gone(error: Error): void {
    if (this.#gone !== null || this.#closed.signal.aborted) return;
    this.#gone = error;
    this.#pacer.dispose();
    this.#context.onError(error);
  }

  // A lossless PNG of the view at width x height (sources of a fixed size keep theirs). Not tied to the view's
  // close: a snapshot requested before the close is answered.
  async snapshot(width: number, height: number): Promise<Buffer> {
    if (this.#gone !== null) throw this.#gone;
    const grab = await this.source.grab({ width, height, still: true });
    try {
      return await encode(grab.pixels, 'image/png', undefined, grab.rows);
    } finally {
      grab.release?.();
    }
  }

  // The latest still of the view with the version of the content it shows: none when that is `since` (the kernel
  // has it), the still last sent to the widget when it is current, else a lossless one made now.
  async latestStill(since: number | undefined): Promise<{ version: number; still: Still | null }> {
    const version = this.#stills.version;
    if (since === version) return { version, still: null };
    const kept = this.#stills.current();
    if (kept !== null) return { version, still: kept };
    const still: Still = { version, mime: 'image/png', payload: await this.snapshot(this.#width, this.#height) };
    this.#stills.keep(still);
    return { version, still };
  }

  // A widget connected directly: its frames now go to `sink` instead of the kernel until it disconnects;
  // `hangUp` ends the connection when the view is closed.
  connect(sink: FrameSink, hangUp: (reason: string) => void): DirectPeer {
    this.#direct.set(sink, hangUp);
    this.#restart();
    return {
      input: (event) => this.input(event),
      closed: () => {
        if (this.#direct.delete(sink)) this.#restart();
      },
    };
  }

  // Frames in flight on the old path will never be acked on the new one: start the window afresh.
  #restart(): void {
    this.#link.reset();
    this.#video.newPath();
    this.#pacer.reopen();
  }

  // Stop streaming: a frame not yet grabbed never is, one being made is not sent. The source is freed after
  // work queued before the close (a snapshot) is done.
  async dispose(): Promise<void> {
    this.#closed.abort(new InputError(`view ${this.id} was closed`, { code: 'not_found' }));
    for (const hangUp of this.#direct.values()) hangUp(`view ${this.id} was closed`);
    this.#direct.clear();
    this.#pacer.dispose();
    await Promise.all([this.source.dispose(), this.#video.close()]);
  }

  // Grab one frame, then encode and send it: full size PNG (or JPEG q95 4:4:4) when still, else a JPEG whose size
  // and quality the quality controller chooses. The grab's pixels are its own (the scene reads back into a buffer
  // of its pool and frees the GL queue), so where the view overlaps frames the next is taken (drawn, read from X,
  // or rendered by the kernel) while this one is encoded; frames still leave in order, one encode after another.
  async #frame(still: boolean, signal: AbortSignal): Promise<void> {
    const { scale, jpegQuality } = this.#quality.current;
    const ratio = still ? 1 : scale;
    const made = {
      inputSeq: this.#inputSeq,
      inputTime: this.#inputTime,
      version: this.#stills.version,
      start: performance.now(),
    };
    const request = { width: clampSide(this.#width * ratio), height: clampSide(this.#height * ratio), still };
    const grab: Grab = await this.source.grab(request, signal);
    const quality = still ? STILL_JPEG_QUALITY : jpegQuality;
    // Overlapped frames each cost the interval since the one before was sent, not their whole way through.
    const sent = this.#encoding.then(() =>
      this.#send(grab, still, quality, { ...made, start: Math.max(made.start, this.#encoded) }, signal),
    );
    this.#encoding = sent
      .catch(() => undefined)
      .then(() => {
        this.#encoded = performance.now();
      });
    sent.catch((error: unknown) => {
      if (signal.aborted) return;
      this.#pacer.ack();
      this.#context.onError(error);
    });
    if (!this.#overlap) await sent.catch(() => undefined);
  }

  async #send(
    grab: Grab,
    still: boolean,
    jpegQuality: number,
    made: { inputSeq: number; inputTime: number | null; version: number; start: number },
    signal: AbortSignal,
  ): Promise<void> {
    const encoding = performance.now();
    let encoded: Encoded;
    try {
      encoded = await this.#encode(grab, still, jpegQuality);
    } finally {
      grab.release?.();
    }
    const { payload, mime } = encoded;
    const done = performance.now();
    if (signal.aborted) return;
    // A scene is drawn at the size the controller picks; a captured window keeps its own, so only the
    // encode is the controller's to speed up.
    if (still) this.#stills.keep({ version: made.version, mime: mime as Still['mime'], payload });
    else this.#quality.frameTook(this.source.kind === 'scene' ? done - made.start : done - encoding);
    if (!still && mime === 'image/jpeg') this.#video.sentJpeg(payload.byteLength, done);
    this.#seq += 1;
    this.#link.sent(this.#seq, payload.byteLength, done);
    const meta = {
      type: 'frame',
      view: this.id,
      seq: this.#seq,
      mime,
      width: encoded.width,
      height: encoded.height,
      still,
      input_seq: made.inputSeq,
      t_input: made.inputTime,
      window: this.#pacer.window,
      timings: {
        render_ms: round(grab.render_ms),
        readback_ms: round(grab.readback_ms),
        encode_ms: round(done - encoding),
      },
      stand_in: grab.standIn,
      source: this.source.kind,
      ...(encoded.codec === undefined ? {} : { codec: encoded.codec, key: encoded.key }),
    } as const;
    for (const send of this.#direct.size > 0 ? this.#direct.keys() : [this.#context.sink]) send(meta, payload);
  }

  // A still as PNG (or JPEG q95); an interactive frame as H.264 when the codec choice says so and the encoder
  // works, else as JPEG.
  async #encode(grab: Grab, still: boolean, jpegQuality: number): Promise<Encoded> {
    const { width, height } = grab.pixels;
    if (still) {
      const mime = this.#still === 'lossless' ? 'image/png' : 'image/jpeg';
      return { payload: await encode(grab.pixels, mime, jpegQuality, grab.rows), mime, width, height };
    }
    if (this.#video.wanted(this.#pathFigures())) {
      const chunk = await this.#video.encode(grab);
      if (chunk !== null) return { ...chunk, payload: chunk.data, mime: 'video/h264' };
    }
    return {
      payload: await encode(grab.pixels, 'image/jpeg', jpegQuality, grab.rows),
      mime: 'image/jpeg',
      width,
      height,
    };
  }

  // The path's figures the codec choice weighs.
  #pathFigures(): PathFigures {
    return { rttMs: this.#link.rttMs, bytesPerSecond: this.#link.bytesPerSecond, pathBound: this.#pacer.pathBound };
  }
}

// A frame's payload and what the widget needs to decode it; a video frame may be bigger than the grab (its stream
// keeps one size).
interface Encoded {
  payload: Buffer;
  mime: FrameMime;
  width: number;
  height: number;
  codec?: string;
  key?: boolean;
}

// A side in pixels, whole and from 1 to MAX_FRAME_SIDE.
export function clampSide(value: number): number {
  return Math.min(MAX_FRAME_SIDE, Math.max(1, Math.round(value)));
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}
