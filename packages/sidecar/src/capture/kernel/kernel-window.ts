// A window rendered in the kernel (VTK): the kernel draws it and reads its pixels into a shared-memory slot when
// asked, and takes its input. A VTK window that never runs its event loop reads no X events, and an off-screen one
// is never mapped, so neither X capture nor XTest can serve it. The sidecar pulls: it asks for a frame only when
// it has credit and something changed.
import type { KeyInput, PointerInput, WheelInput } from '@glstream/protocol';
import { SourceGoneError } from '../../errors.js';
import type { Canvas, FrameRequest, FrameSource, Grab, InputEffect, SourceEvents } from '../../stream/source.js';
import type { Delivery } from './delivery.js';
import { readSlot } from './slot.js';

// Sends one CAPTURE message to the kernel.
export type AskKernel = (meta: Record<string, unknown>) => void;

interface Pending {
  resolve(grab: Grab): void;
  reject(error: Error): void;
}

export class KernelWindowSource implements FrameSource {
  readonly kind = 'vtk';
  readonly #view: string;
  readonly #ask: AskKernel;
  readonly #events: SourceEvents;
  readonly #pending = new Map<number, Pending>();
  #seq = 0;
  // Pixel buffers not held by a frame being encoded: one is read into while another is encoded.
  #free: Uint8Array[] = [];
  #gone: Error | null = null;

  constructor(view: string, ask: AskKernel, events: SourceEvents) {
    this.#view = view;
    this.#ask = ask;
    this.#events = events;
  }

  grab(_request: FrameRequest, signal?: AbortSignal): Promise<Grab> {
    if (this.#gone !== null) return Promise.reject(this.#gone);
    if (signal?.aborted) return Promise.reject(signal.reason);
    this.#seq += 1;
    const seq = this.#seq;
    const asked = performance.now();
    return new Promise<Grab>((resolve, reject) => {
      this.#pending.set(seq, {
        resolve: (grab) => resolve({ ...grab, render_ms: performance.now() - asked - grab.readback_ms }),
        reject,
      });
      this.#ask({ view: this.#view, op: 'frame', seq });
    });
  }

  // The kernel's answer to a frame request: read its slot now, before the reply lets the kernel reuse it.
  deliver(delivery: Delivery): void {
    const pending = this.#pending.get(delivery.seq);
    if (pending === undefined) return;
    this.#pending.delete(delivery.seq);
    if ('error' in delivery) {
      pending.reject(new SourceGoneError(`the kernel could not draw view ${this.#view}: ${delivery.error}`));
      return;
    }
    const started = performance.now();
    const size = delivery.width * delivery.height * 4;
    const data = readSlot(delivery.shm, delivery.width, delivery.height, this.#free.pop() ?? new Uint8Array(size));
    pending.resolve({
      pixels: { data, width: delivery.width, height: delivery.height },
      rows: delivery.rows,
      render_ms: 0,
      readback_ms: performance.now() - started + delivery.readback_ms,
      standIn: false,
      release: () => {
        if (this.#free.length < 2 && data.byteLength === size) this.#free.push(data);
      },
    });
  }

  // Every event goes to the kernel's interactor; a move with no button down turns no camera.
  input(event: PointerInput | WheelInput | KeyInput, canvas: Canvas): InputEffect {
    this.#ask({ view: this.#view, op: 'input', event, canvas });
    return event.type === 'pointer' && event.phase === 'move' && event.buttons === 0 ? 'none' : 'now';
  }

  resize(width: number, height: number): void {
    this.#ask({ view: this.#view, op: 'resize', width, height });
  }

  // The kernel rendered the window on its own (a cell called Render()).
  changed(): void {
    this.#events.changed();
  }

  // The kernel's window was deleted, or its stream closed.
  end(reason: string): void {
    if (this.#gone !== null) return;
    this.#gone = new SourceGoneError(reason, { hint: 'show the window again with glstream.show()' });
    this.#failPending(this.#gone);
    this.#events.gone(this.#gone);
  }

  async dispose(): Promise<void> {
    this.#gone ??= new SourceGoneError(`view ${this.#view} was closed`);
    this.#failPending(this.#gone);
  }

  #failPending(error: Error): void {
    for (const pending of this.#pending.values()) pending.reject(error);
    this.#pending.clear();
  }
}
