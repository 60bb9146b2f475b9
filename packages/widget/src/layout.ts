// Canvas layout: as wide as the model asks but no wider than the cell, as high as the model asks;
// the sidecar learns each new size (and the device pixel ratio) once, through a resize message.
import type { ResizeInput } from '@glstream/protocol';
import { probeVideo, videoCodecs } from './video-support.js';

// A size in CSS pixels.
export interface Size {
  width: number;
  height: number;
}

// The canvas' CSS size for the requested size and the available width; null until laid out.
export function fitSize(requested: Size, available: number): Size | null {
  if (!(available > 0) || !(requested.width > 0) || !(requested.height > 0)) return null;
  return { width: Math.floor(Math.min(requested.width, available)), height: Math.floor(requested.height) };
}

// Wrap `send` so that a resize equal to the last one sent (size, pixel ratio and codecs) is skipped; returns whether
// it was sent.
export function dedupeResize(send: (message: ResizeInput) => void): (message: ResizeInput) => boolean {
  let last: ResizeInput | undefined;
  return (message) => {
    if (
      last !== undefined &&
      last.width === message.width &&
      last.height === message.height &&
      last.dpr === message.dpr &&
      String(last.codecs) === String(message.codecs)
    )
      return false;
    last = message;
    send(message);
    return true;
  };
}

// Keep the canvas (and the elements shown in its place) sized to its container until the signal aborts; call the
// result when the requested size changes.
export function observeLayout(
  container: HTMLElement,
  sized: readonly HTMLElement[],
  requested: () => Size,
  send: (message: ResizeInput) => void,
  signal: AbortSignal,
): () => void {
  const sendOnce = dedupeResize(send);
  let available = 0;
  const update = (): void => {
    const size = fitSize(requested(), available);
    if (size === null || signal.aborted) return;
    resize(sized, size);
    sendOnce({
      type: 'resize',
      width: size.width,
      height: size.height,
      dpr: window.devicePixelRatio,
      codecs: videoCodecs(),
    });
  };
  // Size the canvas before the first layout, so that later layouts change only its width: a
  // ResizeObserver callback that changes the observed element's height is reported as a loop.
  resize(sized, requested());
  const observer = new ResizeObserver((entries) => {
    for (const entry of entries) available = entry.contentRect.width;
    update();
  });
  observer.observe(container);
  signal.addEventListener('abort', () => observer.disconnect(), { once: true });
  watchPixelRatio(update, signal);
  // The codecs are known once the browser answered: a page that decodes video says so again.
  void probeVideo().then(update);
  return update;
}

function resize(elements: readonly HTMLElement[], size: Size): void {
  for (const element of elements) {
    element.style.width = `${size.width}px`;
    element.style.height = `${size.height}px`;
  }
}

// Call `changed` whenever window.devicePixelRatio changes (browser zoom, another monitor).
function watchPixelRatio(changed: () => void, signal: AbortSignal): void {
  const query = window.matchMedia(`(resolution: ${window.devicePixelRatio}dppx)`);
  query.addEventListener(
    'change',
    () => {
      changed();
      watchPixelRatio(changed, signal);
    },
    { once: true, signal },
  );
}
