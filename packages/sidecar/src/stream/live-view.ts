// A scene shown in a widget: input moves its camera, its pacer decides when frames go out, and its
// quality controller how big and how compressed the interactive ones are. Whatever changes the scene goes
// through here, so the view asks for its own next frame.
import type { FrameMeta, InputEvent, StillKind } from '@glstream/protocol';
import { InputError } from '../errors.js';
import type { GlQueue } from '../render/gl-queue.js';
import { applyInput, type Drag } from '../render/interaction.js';
import type { Renderer } from '../render/renderer.js';
import { SceneView } from '../render/view.js';
import type { DirectPeer } from '../transport/direct.js';
import { encode } from './encode.js';
import { FramePacer } from './pacer.js';
import { QualityController } from './quality.js';
import type * as THREE from 'three';

// Frames larger than this on a side are scaled down: a canvas this big at a high device pixel ratio would cost
// more to draw and encode than any screen shows.
const MAX_FRAME_SIDE = 4096;

// Where finished frames go.
export type FrameSink = (meta: FrameMeta & { view: string }, payload: Uint8Array) => void;

// The JPEG quality of the near-lossless still (full chroma resolution from FULL_CHROMA_QUALITY up).
const STILL_JPEG_QUALITY = 95;

// A view's initial size, background, interactive frame-rate target and still frame kind.
export interface ViewOptions {
  width: number;
  height: number;
  background: string;
  targetFps?: number;
  still?: StillKind;
}

// What a view draws with and where it reports: the shared renderer and its queue, the kernel's frame sink, and
// where a frame that failed is reported.
export interface ViewContext {
  renderer: Renderer;
  queue: GlQueue;
  sink: FrameSink;
  onError(error: unknown): void;
}

// One viewer: its scene, the size the widget shows it at, and its frame pacing.
export class LiveView {
  readonly id: string;
  readonly #scene: SceneView;
  readonly #pacer: FramePacer;
  readonly #quality: QualityController;
  readonly #still: StillKind;
  readonly #context: ViewContext;
  readonly #closed = new AbortController();
  #width: number;
  #height: number;
  #cssHeight: number;
  #drag: Drag | null = null;
  #seq = 0;
  #inputSeq = 0;
  #inputTime: number | null = null;
  readonly #sentAt = new Map<number, number>();
  readonly #direct = new Map<FrameSink, (reason: string) => void>();

  constructor(id: string, options: ViewOptions, context: ViewContext) {
    this.id = id;
    this.#context = context;
    this.#scene = new SceneView(options.background);
    this.#width = options.width;
    this.#height = options.height;
    this.#cssHeight = options.height;
    this.#quality = new QualityController({ targetFps: options.targetFps });
    this.#still = options.still ?? 'lossless';
    const signal = this.#closed.signal;
    this.#pacer = new FramePacer(
      (still) => context.queue.run(() => this.#frame(still), signal),
      (error) => {
        if (!signal.aborted) context.onError(error);
      },
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
      const sent = this.#sentAt.get(event.seq);
      if (sent === undefined) return;
      this.#sentAt.delete(event.seq);
      this.#quality.ackTook(performance.now() - sent);
      this.#pacer.ack();
      return;
    }
    if (event.type === 'resize') {
      this.#cssHeight = Math.max(1, event.height);
      this.#width = clampSide(event.width * event.dpr);
      this.#height = clampSide(event.height * event.dpr);
      this.#sentAt.clear();
      this.#pacer.activate();
      return;
    }
    this.#inputSeq = Math.max(this.#inputSeq, event.seq);
    const applied = applyInput(this.#scene.orbit, this.#drag, event, this.#cssHeight);
    this.#drag = applied.drag;
    if (event.type === 'pointer' && event.phase === 'up') this.#pacer.settle();
    if (!applied.changed) return;
    this.#inputTime = event.t;
    if (applied.orbit === null) this.#scene.resetCamera();
    else this.#scene.orbit = applied.orbit;
    this.#pacer.invalidate(true);
  }

  // Put `mesh` in the scene as `name`, replacing a mesh of that name.
  addMesh(name: string, mesh: THREE.Mesh): void {
    this.#scene.add(name, mesh);
    this.#pacer.invalidate(false);
  }

  // Take the mesh `name` out of the scene.
  removeMesh(name: string): void {
    if (!this.#scene.remove(name)) {
      throw new InputError(`view ${this.id} has no mesh named ${name}`, { code: 'not_found' });
    }
    this.#pacer.invalidate(false);
  }

  // Frame the whole scene again.
  resetCamera(): void {
    this.#scene.resetCamera();
    this.#pacer.invalidate(false);
  }

  // A lossless PNG of the scene at width x height, drawn in its turn on the GL queue.
  snapshot(width: number, height: number): Promise<Buffer> {
    const { renderer, queue } = this.#context;
    return queue.run(() => encode(renderer.render(this.#scene, width, height), 'image/png'));
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
    this.#sentAt.clear();
    this.#pacer.reopen();
  }

  // Stop streaming: a frame already queued never draws, one being drawn is not sent. The scene is freed in
  // its turn on the GL queue, after a snapshot requested before the close.
  async dispose(): Promise<void> {
    this.#closed.abort(new InputError(`view ${this.id} was closed`, { code: 'not_found' }));
    for (const hangUp of this.#direct.values()) hangUp(`view ${this.id} was closed`);
    this.#direct.clear();
    this.#pacer.dispose();
    await this.#context.queue.run(async () => this.#scene.dispose());
  }

  // Render, read back, encode and send one frame: full size PNG (or JPEG q95 4:4:4) when still, else scaled JPEG.
  async #frame(still: boolean): Promise<void> {
    const { renderer, sink } = this.#context;
    const { scale, jpegQuality } = this.#quality.current;
    const ratio = still ? 1 : scale;
    const inputSeq = this.#inputSeq;
    const inputTime = this.#inputTime;
    const start = performance.now();
    const standIn = !still && this.#scene.hasStandIns;
    renderer.draw(this.#scene, clampSide(this.#width * ratio), clampSide(this.#height * ratio), standIn);
    const drawn = performance.now();
    const pixels = renderer.read();
    const read = performance.now();
    const mime = still && this.#still === 'lossless' ? 'image/png' : 'image/jpeg';
    const payload = await encode(pixels, mime, still ? STILL_JPEG_QUALITY : jpegQuality);
    const done = performance.now();
    if (this.#closed.signal.aborted) return;
    if (!still) this.#quality.frameTook(done - start);
    this.#seq += 1;
    this.#sentAt.set(this.#seq, done);
    const timings = {
      render_ms: round(drawn - start),
      readback_ms: round(read - drawn),
      encode_ms: round(done - read),
    };
    const meta = {
      type: 'frame',
      view: this.id,
      seq: this.#seq,
      mime,
      width: pixels.width,
      height: pixels.height,
      still,
      input_seq: inputSeq,
      t_input: inputTime,
      timings,
      stand_in: standIn,
    } as const;
    for (const send of this.#direct.size > 0 ? this.#direct.keys() : [sink]) send(meta, payload);
  }
}

function clampSide(value: number): number {
  return Math.min(MAX_FRAME_SIDE, Math.max(1, Math.round(value)));
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}
