// The sidecar's own three.js scene as a frame source: drawn on the shared GL context in its turn on the queue,
// its camera moved by the widget's pointer, wheel and keys, by the kernel, or by a view it is linked with.
import type { KeyInput, PointerInput, WheelInput } from '@glstream/protocol';
import { InputError } from '../errors.js';
import type { Canvas, FrameRequest, FrameSource, Grab, InputEffect, SourceEvents } from '../stream/source.js';
import type { CameraLinks } from './camera-link.js';
import { CameraRest, type CameraRested } from './camera-rest.js';
import type { GlQueue } from './gl-queue.js';
import { applyInput, type Drag } from './interaction.js';
import { reclaimSoon } from './objects/reclaim.js';
import type { ObjectStore } from './objects/store.js';
import type { Orbit } from './orbit.js';
import { PixelPool } from './pixel-pool.js';
import type { Renderer } from './renderer.js';
import type { ScalarBar } from './scalar-bar.js';
import { reduce, STILL_SAMPLES, stillFactor } from './supersample.js';
import { SceneView, type ScenePick } from './view.js';

// What a scene source shares with the rest of the session, and where its camera at rest is told.
export interface SceneShared {
  renderer: Renderer;
  queue: GlQueue;
  objects: ObjectStore;
  links: CameraLinks;
  cameraRested?: CameraRested;
}

export class SceneSource implements FrameSource {
  readonly kind = 'scene';
  readonly id: string;
  readonly #scene: SceneView;
  readonly #shared: SceneShared;
  readonly #events: SourceEvents;
  #drag: Drag | null = null;
  // The camera linked views were last told of (a camera they gave is not echoed back).
  #shown: Orbit | null = null;
  // The widget's canvas in CSS pixels: sizes and widths given in CSS pixels, and picks, are measured on it.
  #canvas: Canvas;
  #dpr = 1;
  readonly #rest: CameraRest | null;
  readonly #pixels = new PixelPool();

  constructor(id: string, background: string, canvas: Canvas, shared: SceneShared, events: SourceEvents) {
    this.id = id;
    this.#scene = new SceneView(background);
    this.#canvas = canvas;
    this.#shared = shared;
    this.#events = events;
    const rested = shared.cameraRested;
    this.#rest =
      rested === undefined
        ? null
        : new CameraRest(id, rested, () => ({ orbit: this.#scene.orbit, follows: this.#scene.autoFraming }));
  }

  // Draw and read back in the queue's turn. An interactive frame is read into a buffer of the view's pool that
  // the grab holds until release(), so the queue is free for the next frame (of this view or another) while the
  // view encodes this one. A still is drawn at STILL_SAMPLES times its size and averaged down into a new buffer
  // (headless-gl has no multisampling).
  grab(request: FrameRequest, signal?: AbortSignal): Promise<Grab> {
    const job = async (): Promise<Grab> => {
      const renderer = this.#shared.renderer;
      // text is made once for the still's scale; interactive frames scale it down
      await this.#scene.prepareOverlay(this.#dpr * STILL_SAMPLES);
      const start = performance.now();
      const standIn = !request.still && this.#scene.hasStandIns;
      const factor = request.still ? stillFactor(request.width, request.height, renderer.maxSide) : 1;
      const width = request.width * factor;
      const height = request.height * factor;
      renderer.draw(this.#scene, width, height, width / this.#canvas.width, standIn);
      const drawn = performance.now();
      const timings = () => ({ render_ms: drawn - start, readback_ms: performance.now() - drawn });
      if (factor !== 1) return { pixels: reduce(renderer.read()), rows: 'bottom-up', ...timings(), standIn };
      const buffer = this.#pixels.take(width * height * 4);
      const pixels = renderer.read(buffer);
      const release = () => this.#pixels.give(buffer);
      return { pixels, rows: 'bottom-up', ...timings(), standIn, release };
    };
    return this.#shared.queue.run(job, signal);
  }

  input(event: PointerInput | WheelInput | KeyInput, canvas: Canvas): InputEffect {
    const applied = applyInput(this.#scene.orbit, this.#drag, event, canvas.height);
    this.#drag = applied.drag;
    if (event.type === 'pointer' && event.phase === 'up') this.#rest?.released();
    if (!applied.changed) return 'none';
    if (applied.orbit === null) this.#scene.resetCamera();
    else this.#scene.orbit = applied.orbit;
    this.#tellLinks();
    this.#rest?.moving();
    return 'now';
  }

  resize(width: number, height: number, dpr: number): void {
    this.#canvas = { width, height };
    this.#dpr = dpr;
  }

  get orbit(): Orbit {
    return this.#scene.orbit;
  }

  // A linked view moved: take its camera.
  follow(orbit: Orbit): void {
    this.#scene.orbit = orbit;
    this.#shown = this.#scene.orbit;
    this.#rest?.moving();
    this.#events.changed();
  }

  // Place the camera (the kernel set it).
  place(orbit: Orbit): void {
    this.#scene.orbit = orbit;
    this.#rest?.settled();
    this.#moved(true);
  }

  get autoFraming(): boolean {
    return this.#scene.autoFraming;
  }

  // Show the object `id` as `name` (the store counts this view as holding it).
  show(id: string, name: string): void {
    const object = this.#shared.objects.get(id);
    this.#scene.show(id, name, object);
    this.#shared.objects.acquire(id, this.id);
    this.#moved(true);
  }

  // Stop showing object `id`; it is freed when no view shows it any more.
  hide(id: string): void {
    const hidden = this.#scene.hide(id);
    if (hidden === false) {
      throw new InputError(`view ${this.id} does not show object ${id}`, { code: 'not_found' });
    }
    this.#free(hidden.bar);
    this.#release([id]);
    this.#moved(true);
  }

  // Show the colour legend of object `id`, titled `title`, over the scene.
  setScalarBar(id: string, title: string): void {
    this.#free(this.#scene.setScalarBar(id, title));
    this.#events.changed(true);
  }

  removeScalarBar(): void {
    this.#free(this.#scene.removeScalarBar());
    this.#events.changed(true);
  }

  // An object this view shows changed: frame it again if the camera follows the content, and draw.
  objectChanged(): void {
    this.#scene.refit();
    this.#moved(false);
  }

  // Frame all content again, and follow it from now on.
  resetCamera(): void {
    this.#scene.resetCamera();
    this.#rest?.settled();
    this.#moved(true);
  }

  // The nearest object under (x, y) CSS pixels of the widget's canvas.
  pick(x: number, y: number): ScenePick | null {
    return this.#scene.pick(x, y, this.#canvas.width, this.#canvas.height);
  }

  // Freed in its turn on the GL queue, after frames and snapshots queued before.
  dispose(): Promise<void> {
    this.#rest?.dispose();
    this.#shared.links.unlink(this);
    return this.#shared.queue.run(async () => this.#release(this.#scene.dispose(), false));
  }

  // Let go of objects; those no view shows any more are freed on the GL queue (now, when already on it).
  #release(ids: string[], queued = true): void {
    const freed = ids.map((id) => this.#shared.objects.release(id, this.id)).filter((object) => object !== null);
    if (freed.length === 0) return;
    const free = async () => {
      for (const object of freed) object.dispose();
      this.#shared.renderer.forgetState();
      reclaimSoon();
    };
    void logFailure(queued ? this.#shared.queue.run(free) : free());
  }

  #free(bar: ScalarBar | null): void {
    if (bar !== null) void logFailure(this.#shared.queue.run(async () => bar.dispose()));
  }

  // The picture changed: a one-off edit (`still`) deserves the lossless still at once; linked views follow
  // a camera that moved.
  #moved(still: boolean): void {
    this.#tellLinks();
    this.#events.changed(still);
  }

  #tellLinks(): void {
    const orbit = this.#scene.orbit;
    if (orbit === this.#shown) return;
    this.#shown = orbit;
    this.#shared.links.moved(this, orbit);
  }
}

// Freeing runs after the request that caused it was answered: a failure can only be logged.
function logFailure(done: Promise<void>): Promise<void> {
  return done.catch((error: unknown) => console.error('glstream: freeing scene objects failed:', error));
}
