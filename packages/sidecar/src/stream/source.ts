// Where a view's frames come from: the sidecar's own three.js scene, an X window captured from the display, or
// a VTK window rendered in the kernel. The live view paces, encodes and sends whatever its source gives it.
import type { KeyInput, PointerInput, WheelInput } from '@glstream/protocol';
import type { Pixels } from '../render/renderer.js';

// Which kind of source made a frame (FrameMeta.source).
export type SourceKind = 'scene' | 'x' | 'vtk';

// What the view asks for: a frame at about width x height device pixels (a source may keep its own size), and
// whether it is the still shown once input stopped (an interactive one may use coarse stand-ins).
export interface FrameRequest {
  width: number;
  height: number;
  still: boolean;
}

// RGBA pixels as the source made them; `rows` says which row comes first (GL and VTK read back bottom-up).
export interface Grab {
  pixels: Pixels;
  rows: 'bottom-up' | 'top-down';
  // Milliseconds spent making the picture (drawing, or taking it from X or the kernel) and reading it back.
  render_ms: number;
  readback_ms: number;
  standIn: boolean;
  // Called once the view is done with the pixels (encoded them), for a source that must hold them until then.
  release?: () => void;
}

// The canvas an input event was made on, in CSS pixels: a source whose size differs scales the coordinates.
export interface Canvas {
  width: number;
  height: number;
}

// What an input event does to a source's picture: changes it `now` (the next frame shows it), `later` (the
// source reports the change itself with changed(), as an X program redraws when it is ready), or `none`.
export type InputEffect = 'now' | 'later' | 'none';

// What a source tells its view: it changed on its own (an X window redrew, VTK rendered from a cell; `still`
// when the change is a one-off edit that deserves the lossless still at once rather than one frame of a moving
// picture), or it is gone (window closed, program ended) and will make no more frames.
export interface SourceEvents {
  changed(still?: boolean): void;
  gone(error: Error): void;
}

export interface FrameSource {
  readonly kind: SourceKind;
  // Take one frame; an aborted `signal` drops a grab that has not started. Rejects when the source cannot make
  // one (it then also reports gone() if it is gone).
  grab(request: FrameRequest, signal?: AbortSignal): Promise<Grab>;
  // Pass on one pointer, wheel or key event made on `canvas`.
  input(event: PointerInput | WheelInput | KeyInput, canvas: Canvas): InputEffect;
  // The widget's canvas is now width x height CSS pixels at `dpr` device pixels per CSS pixel.
  resize(width: number, height: number, dpr: number): void;
  // Free what the source holds; no events after this.
  dispose(): Promise<void>;
}
