// The sidecar's own three.js scene as a frame source: drawn on the shared GL context in its turn on the queue,
// its camera moved by the widget's pointer, wheel and keys.
import type { KeyInput, PointerInput, WheelInput } from '@glstream/protocol';
import { InputError } from '../errors.js';
import type { Canvas, FrameRequest, FrameSource, Grab, InputEffect, SourceEvents } from '../stream/source.js';
import type { GlQueue } from './gl-queue.js';
import { applyInput, type Drag } from './interaction.js';
import type { Renderer } from './renderer.js';
import { SceneView } from './view.js';
import type * as THREE from 'three';

export class SceneSource implements FrameSource {
  readonly kind = 'scene';
  readonly #scene: SceneView;
  readonly #renderer: Renderer;
  readonly #queue: GlQueue;
  readonly #events: SourceEvents;
  #drag: Drag | null = null;

  constructor(background: string, renderer: Renderer, queue: GlQueue, events: SourceEvents) {
    this.#scene = new SceneView(background);
    this.#renderer = renderer;
    this.#queue = queue;
    this.#events = events;
  }

  // Draw and read back in the queue's turn. The renderer reuses its pixel buffer, so the queue stays held
  // (no other view draws) until the view releases the grab once it has encoded it.
  grab(request: FrameRequest, signal?: AbortSignal): Promise<Grab> {
    return new Promise((resolve, reject) => {
      const job = async () => {
        const start = performance.now();
        const standIn = !request.still && this.#scene.hasStandIns;
        this.#renderer.draw(this.#scene, request.width, request.height, standIn);
        const drawn = performance.now();
        const pixels = this.#renderer.read();
        const read = performance.now();
        let release = () => {};
        const released = new Promise<void>((done) => {
          release = done;
        });
        resolve({ pixels, rows: 'bottom-up', render_ms: drawn - start, readback_ms: read - drawn, standIn, release });
        await released;
      };
      this.#queue.run(job, signal).catch(reject);
    });
  }

  input(event: PointerInput | WheelInput | KeyInput, canvas: Canvas): InputEffect {
    const applied = applyInput(this.#scene.orbit, this.#drag, event, canvas.height);
    this.#drag = applied.drag;
    if (!applied.changed) return 'none';
    if (applied.orbit === null) this.#scene.resetCamera();
    else this.#scene.orbit = applied.orbit;
    return 'now';
  }

  // The scene is drawn at whatever size the view asks for.
  resize(): void {}

  // Put `mesh` in the scene as `name`, replacing a mesh of that name.
  addMesh(name: string, mesh: THREE.Mesh): void {
    this.#scene.add(name, mesh);
    this.#events.changed(true);
  }

  // Take the mesh `name` out of the scene; `view` names the view in the error.
  removeMesh(name: string, view: string): void {
    if (!this.#scene.remove(name)) {
      throw new InputError(`view ${view} has no mesh named ${name}`, { code: 'not_found' });
    }
    this.#events.changed(true);
  }

  // Frame the whole scene again.
  resetCamera(): void {
    this.#scene.resetCamera();
    this.#events.changed(true);
  }

  // Freed in its turn on the GL queue, after frames and snapshots queued before.
  dispose(): Promise<void> {
    return this.#queue.run(async () => this.#scene.dispose());
  }
}
