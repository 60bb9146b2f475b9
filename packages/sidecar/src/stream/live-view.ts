// A scene shown in a widget: input moves its camera, its pacer decides when frames go out.
import type { FrameMeta, InputEvent } from '@glstream/protocol';
import { applyInput, type Drag } from '../render/interaction.js';
import type { Renderer } from '../render/renderer.js';
import { SceneView } from '../render/view.js';
import { encode, type Mime } from './encode.js';
import { FramePacer } from './pacer.js';
import type { Serial } from './serial.js';

const MAX_SIDE = 4096;

// Where finished frames go.
export type FrameSink = (meta: FrameMeta & { view: string }, payload: Uint8Array) => void;

// One viewer: its scene, the size the widget shows it at, and its frame pacing.
export class LiveView {
  readonly id: string;
  readonly scene: SceneView;
  readonly pacer: FramePacer;
  width: number;
  height: number;
  #cssHeight: number;
  #drag: Drag | null = null;
  #seq = 0;
  #inputSeq = 0;

  constructor(id: string, size: { width: number; height: number; background: string }, renderer: Renderer, serial: Serial, sink: FrameSink, onError: (error: unknown) => void) {
    this.id = id;
    this.scene = new SceneView(size.background);
    this.width = size.width;
    this.height = size.height;
    this.#cssHeight = size.height;
    this.pacer = new FramePacer(
      (still) => serial.run(async () => {
        const mime: Mime = still ? 'image/png' : 'image/jpeg';
        const pixels = renderer.render(this.scene, this.width, this.height);
        const payload = await encode(pixels, mime);
        this.#seq += 1;
        sink({ type: 'frame', view: id, seq: this.#seq, mime, width: pixels.width, height: pixels.height, still, input_seq: this.#inputSeq }, payload);
      }),
      onError,
    );
  }

  // Apply one event from the widget.
  input(event: InputEvent): void {
    if (event.type === 'ack') {
      this.pacer.ack();
      return;
    }
    if (event.type === 'resize') {
      this.#cssHeight = Math.max(1, event.height);
      this.width = clampSide(event.width * event.dpr);
      this.height = clampSide(event.height * event.dpr);
      this.pacer.activate();
      return;
    }
    this.#inputSeq = Math.max(this.#inputSeq, event.seq);
    const applied = applyInput(this.scene.orbit, this.#drag, event, this.#cssHeight);
    this.#drag = applied.drag;
    if (!applied.changed) return;
    if (applied.orbit === null) this.scene.resetCamera();
    else this.scene.orbit = applied.orbit;
    this.pacer.invalidate(true);
  }

  // Stop streaming and free the scene.
  dispose(): void {
    this.pacer.dispose();
    this.scene.dispose();
  }
}

function clampSide(value: number): number {
  return Math.min(MAX_SIDE, Math.max(1, Math.round(value)));
}
