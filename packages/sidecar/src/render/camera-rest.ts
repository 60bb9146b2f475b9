// When a view's camera comes to rest: after input or a linked view moved it, once the moves stop (the pointer
// is let go, or no move for REST_MS: a wheel has no release), and at once after the kernel placed or reset it.
// The kernel keeps the last camera it heard of per view, to put it back should the renderer be restarted.
import { cameraState, type CameraState } from './camera.js';
import type { Orbit } from './orbit.js';

// Moves closer together than this are one gesture.
export const REST_MS = 250;

// Where a camera at rest is told: the view, its camera, and whether it still frames the scene by itself.
export type CameraRested = (view: string, camera: CameraState, follows: boolean) => void;

export class CameraRest {
  readonly #view: string;
  readonly #told: CameraRested;
  readonly #now: () => { orbit: Orbit; follows: boolean };
  #timer: NodeJS.Timeout | undefined;

  // `now` reads the camera when it is told.
  constructor(view: string, told: CameraRested, now: () => { orbit: Orbit; follows: boolean }) {
    this.#view = view;
    this.#told = told;
    this.#now = now;
  }

  // The camera moved and may move again: tell once it has been still for REST_MS.
  moving(): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.settled(), REST_MS);
  }

  // A gesture ended (the pointer let go): tell now if a move is pending.
  released(): void {
    if (this.#timer !== undefined) this.settled();
  }

  // The camera is where it stays: tell now.
  settled(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const { orbit, follows } = this.#now();
    this.#told(this.#view, cameraState(orbit), follows);
  }

  // The view is closed: tell nothing more.
  dispose(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
