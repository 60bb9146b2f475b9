// The canvas that shows frames: creating it, decoding images for it, and drawing them 1:1.
import type { Frame } from './frame.js';

// Create the focusable canvas frames are painted on and input is read from.
export function createCanvas(): HTMLCanvasElement {
  const canvas = document.createElement('canvas');
  canvas.className = 'glstream-canvas';
  canvas.tabIndex = 0;
  // Keys and right-drags belong to the 3D view, not to JupyterLab's shortcuts and context menu.
  canvas.setAttribute('data-lm-suppress-shortcuts', 'true');
  canvas.setAttribute('data-jp-suppress-context-menu', 'true');
  canvas.setAttribute('aria-label', 'Interactive 3D view');
  canvas.dataset.frames = '0';
  return canvas;
}

// Decode a frame's image off the main thread.
export function decodeFrame(frame: Frame): Promise<ImageBitmap> {
  return createImageBitmap(new Blob([frame.bytes], { type: frame.meta.mime }));
}

// Draw a decoded frame pixel for pixel, sizing the backing store to it, and record test hooks.
export function drawFrame(canvas: HTMLCanvasElement, image: ImageBitmap, frame: Frame, painted: number): void {
  if (canvas.width !== image.width) canvas.width = image.width;
  if (canvas.height !== image.height) canvas.height = image.height;
  const context = canvas.getContext('2d', { alpha: false });
  if (context === null) throw new Error('The canvas has no 2D context (is it already used for WebGL?)');
  context.drawImage(image, 0, 0);
  canvas.dataset.seq = String(frame.meta.seq);
  canvas.dataset.mime = frame.meta.mime;
  canvas.dataset.still = String(frame.meta.still);
  canvas.dataset.source = frame.meta.source;
  canvas.dataset.frames = String(painted);
}
