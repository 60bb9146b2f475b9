// The canvas that shows frames: creating it, decoding images for it, and drawing them 1:1.
import type { Frame } from './frame.js';
import { H264Decoder } from './video-decoder.js';

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

// A decoded frame: an image, or a video frame whose top-left width x height is the picture (the encoder pads odd
// sides).
export interface Picture {
  readonly source: CanvasImageSource;
  readonly width: number;
  readonly height: number;
  close(): void;
}

// Decode a frame's image off the main thread.
export async function decodeFrame(frame: Frame): Promise<Picture> {
  const image = await createImageBitmap(new Blob([frame.bytes], { type: frame.meta.mime }));
  return { source: image, width: image.width, height: image.height, close: () => image.close() };
}

// A view's decoder: images one by one, video frames through the view's H.264 decoder, closed at abort.
export function createFrameDecoder(signal: AbortSignal): (frame: Frame) => Promise<Picture> {
  let video: H264Decoder | undefined;
  signal.addEventListener('abort', () => video?.close(), { once: true });
  return async (frame) => {
    if (frame.meta.mime !== 'video/h264') return decodeFrame(frame);
    video ??= new H264Decoder();
    const picture = await video.decode(frame);
    return { source: picture, width: frame.meta.width, height: frame.meta.height, close: () => picture.close() };
  };
}

// Draw a decoded frame pixel for pixel, sizing the backing store to it, and record test hooks.
export function drawFrame(canvas: HTMLCanvasElement, picture: Picture, frame: Frame, painted: number): void {
  const { width, height } = picture;
  if (canvas.width !== width) canvas.width = width;
  if (canvas.height !== height) canvas.height = height;
  const context = canvas.getContext('2d', { alpha: false });
  if (context === null) throw new Error('The canvas has no 2D context (is it already used for WebGL?)');
  context.drawImage(picture.source, 0, 0, width, height, 0, 0, width, height);
  canvas.dataset.seq = String(frame.meta.seq);
  canvas.dataset.mime = frame.meta.mime;
  canvas.dataset.still = String(frame.meta.still);
  canvas.dataset.source = frame.meta.source;
  canvas.dataset.frames = String(painted);
}
