// The saved still: the picture (PNG, or JPEG for "near-lossless" views) of the view's last still frame, which the
// kernel keeps in the `_still` trait. A view shows it in the canvas' place until its first live frame is painted, so
// a view that is not live yet, or never will be again (the kernel restarted, a reopened notebook), shows its picture.
import { type FrameBytes, isBytes } from './frame.js';

// The PNG bytes of a `_still` value; null when it is empty or not bytes.
export function readStill(value: unknown): FrameBytes | null {
  return isBytes(value) && value.byteLength > 0 ? value : null;
}

// The image type of still bytes: a JPEG (a "near-lossless" view's still) by its SOI marker, else a PNG.
export function stillMime(bytes: FrameBytes): 'image/jpeg' | 'image/png' {
  const view = ArrayBuffer.isView(bytes) ? bytes : new Uint8Array(bytes);
  const head = new Uint8Array(view.buffer, view.byteOffset, Math.min(2, view.byteLength));
  return head[0] === 0xff && head[1] === 0xd8 ? 'image/jpeg' : 'image/png';
}

// Create the image element the still is shown in, hidden until there is one.
export function createStillElement(): HTMLImageElement {
  const image = document.createElement('img');
  image.className = 'glstream-still';
  image.alt = 'The last still of this view (it is not live)';
  image.hidden = true;
  return image;
}

// What SavedStill needs of an <img>; HTMLImageElement fits.
export interface StillElement {
  hidden: boolean;
  src: string;
  removeAttribute(name: 'src'): void;
}

// Shows `_still` values in an element from object URLs, each revoked when replaced, once live, or at abort.
export class SavedStill {
  readonly #element: StillElement;
  #url: string | undefined;
  #live = false;

  constructor(element: StillElement, signal: AbortSignal) {
    this.#element = element;
    signal.addEventListener('abort', () => this.#clear(), { once: true });
  }

  // Whether a still is shown.
  get shown(): boolean {
    return !this.#element.hidden;
  }

  // Show the still in `value` (a `_still` trait value), or nothing when it is empty or the view is live.
  show(value: unknown): void {
    this.#clear();
    const bytes = this.#live ? null : readStill(value);
    if (bytes === null) return;
    this.#url = URL.createObjectURL(new Blob([bytes], { type: stillMime(bytes) }));
    this.#element.src = this.#url;
    this.#element.hidden = false;
  }

  // A live frame was painted: the still is gone for good.
  live(): void {
    this.#live = true;
    this.#clear();
  }

  #clear(): void {
    this.#element.hidden = true;
    if (this.#url === undefined) return;
    this.#element.removeAttribute('src');
    URL.revokeObjectURL(this.#url);
    this.#url = undefined;
  }
}
