// A scene shown in a widget: input moves its camera, its pacer decides when frames go out, and its
// quality controller how big and how compressed the interactive ones are.
import type { FrameMeta, InputEvent } from '@glstream/protocol';
import { applyInput, type Drag } from '../render/interaction.js';
import type { Renderer } from '../render/renderer.js';
import { SceneView } from '../render/view.js';
import { encode } from './encode.js';
import { FramePacer } from './pacer.js';
import { QualityController } from './quality.js';
import type { Serial } from './serial.js';
import type { DirectPeer } from '../transport/direct.js';

const MAX_SIDE = 4096;

// Where finished frames go.
export type FrameSink = (meta: FrameMeta & { view: string }, payload: Uint8Array) => void;

// How the frame after input stops is encoded: PNG, or JPEG of this quality at full chroma resolution.
export const STILL_JPEG_QUALITY = 95;
export type StillKind = 'lossless' | 'near-lossless';

// A view's initial size, background, interactive frame-rate target and still frame kind.
export interface ViewOptions {
  width: number;
  height: number;
  background: string;
  targetFps?: number;
  still?: StillKind;
}

// One viewer: its scene, the size the widget shows it at, and its frame pacing.
export class LiveView {
  readonly id: string;
  readonly scene: SceneView;
  readonly pacer: FramePacer;
  readonly #quality: QualityController;
  readonly #still: StillKind;
  width: number;
  height: number;
  #cssHeight: number;
  #drag: Drag | null = null;
  #seq = 0;
  #inputSeq = 0;
  #inputTime: number | null = null;
  readonly #sentAt = new Map<number, number>();
  readonly #direct = new Map<FrameSink, (reason: string) => void>();

  constructor(
    id: string,
    options: ViewOptions,
    renderer: Renderer,
    serial: Serial,
    sink: FrameSink,
    onError: (error: unknown) => void,
  ) {
    this.id = id;
    this.scene = new SceneView(options.background);
    this.width = options.width;
    this.height = options.height;
    this.#cssHeight = options.height;
    this.#quality = new QualityController({ targetFps: options.targetFps });
    this.#still = options.still ?? 'lossless';
    this.pacer = new FramePacer((still) => serial.run(() => this.#frame(still, renderer, sink)), onError);
  }

  // Apply one event from the widget.
  input(event: InputEvent): void {
    if (event.type === 'ack') {
      const sent = this.#sentAt.get(event.seq);
      if (sent === undefined) return;
      this.#sentAt.delete(event.seq);
      this.#quality.ackTook(performance.now() - sent);
      this.pacer.ack();
      return;
    }
    if (event.type === 'resize') {
      this.#cssHeight = Math.max(1, event.height);
      this.width = clampSide(event.width * event.dpr);
      this.height = clampSide(event.height * event.dpr);
      this.#sentAt.clear();
      this.pacer.activate();
      return;
    }
    this.#inputSeq = Math.max(this.#inputSeq, event.seq);
    const applied = applyInput(this.scene.orbit, this.#drag, event, this.#cssHeight);
    this.#drag = applied.drag;
    if (event.type === 'pointer' && event.phase === 'up') this.pacer.settle();
    if (!applied.changed) return;
    this.#inputTime = event.t;
    if (applied.orbit === null) this.scene.resetCamera();
    else this.scene.orbit = applied.orbit;
    this.pacer.invalidate(true);
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
    this.pacer.reopen();
  }

  // Stop streaming and free the scene.
  dispose(): void {
    for (const hangUp of this.#direct.values()) hangUp(`view ${this.id} was closed`);
    this.#direct.clear();
    this.pacer.dispose();
    this.scene.dispose();
  }

  // Render, read back, encode and send one frame: full size PNG (or JPEG q95 4:4:4) when still, else scaled JPEG.
  async #frame(still: boolean, renderer: Renderer, sink: FrameSink): Promise<void> {
    const { scale, jpegQuality } = this.#quality.current;
    const ratio = still ? 1 : scale;
    const inputSeq = this.#inputSeq;
    const inputTime = this.#inputTime;
    const start = performance.now();
    const lod = !still && this.scene.hasCoarse;
    renderer.draw(this.scene, clampSide(this.width * ratio), clampSide(this.height * ratio), lod);
    const drawn = performance.now();
    const pixels = renderer.read();
    const read = performance.now();
    const mime = still && this.#still === 'lossless' ? 'image/png' : 'image/jpeg';
    const payload = await encode(pixels, mime, still ? STILL_JPEG_QUALITY : jpegQuality);
    const done = performance.now();
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
      lod,
    } as const;
    for (const send of this.#direct.size > 0 ? this.#direct.keys() : [sink]) send(meta, payload);
  }
}

function clampSide(value: number): number {
  return Math.min(MAX_SIDE, Math.max(1, Math.round(value)));
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}
