// Messages between the widget and the kernel, and the input events the sidecar consumes.
// The widget sends InputEvent objects as comm messages; the shim forwards them unchanged
// (adding the view id) as EVENT messages on the stdio channel.

// Modifier keys held during an input event.
export interface Modifiers {
  ctrl: boolean;
  shift: boolean;
  alt: boolean;
  meta: boolean;
}

// A pointer press, move or release over the canvas; x/y in CSS pixels from the top-left.
export interface PointerInput extends Modifiers {
  type: 'pointer';
  phase: 'down' | 'move' | 'up';
  x: number;
  y: number;
  button: number;
  buttons: number;
  seq: number;
  t: number;
}

// A wheel turn over the canvas; dy > 0 scrolls towards the user (zoom out).
export interface WheelInput extends Modifiers {
  type: 'wheel';
  x: number;
  y: number;
  dx: number;
  dy: number;
  seq: number;
  t: number;
}

// A key press on the focused canvas.
export interface KeyInput extends Modifiers {
  type: 'key';
  key: string;
  seq: number;
  t: number;
}

// The canvas' layout size in CSS pixels and the device pixel ratio; `codecs` names the video codecs the widget can
// decode (LIMITS.video_codecs; absent or empty: JPEG and PNG only).
export interface ResizeInput {
  type: 'resize';
  width: number;
  height: number;
  dpr: number;
  codecs?: VideoCodec[];
}

// Video codecs interactive frames may be sent in (LIMITS.video_codecs).
export type VideoCodec = 'h264';

// The encodings of a frame's payload (LIMITS.frame_mimes): a JPEG or PNG image, or one H.264 access unit in
// Annex B form (start codes; a key frame carries its parameter sets).
export type FrameMime = 'image/jpeg' | 'image/png' | 'video/h264';

// The widget decoded the frame with this sequence number.
export interface AckInput {
  type: 'ack';
  seq: number;
}

export type InputEvent = PointerInput | WheelInput | KeyInput | ResizeInput | AckInput;

// On the kernel's comm an input event (an ack too) may carry the acks of other frames decoded since the widget's
// last message (at most LIMITS.piggyback_acks_max): the kernel forwards the event, then each as an ack of its own.
// Only the comm carries them, as each comm message costs a trip through the Jupyter server and the kernel.
export type WithAcks<Event extends InputEvent = InputEvent> = Event & { acks?: number[] };

// Metadata of a frame sent to the widget; the encoded image travels as the first binary buffer.
export interface FrameMeta {
  type: 'frame';
  seq: number;
  mime: FrameMime;
  width: number;
  height: number;
  still: boolean;
  input_seq: number;
  t_input: number | null;
  // The frames the sidecar lets be in flight as this one left (at least LIMITS.frames_in_flight.min): on the comm
  // the widget keeps as many pointer moves ahead of the frames that show them.
  window: number;
  timings: FrameTimings;
  // True when big meshes were drawn as their coarse stand-ins (interactive frames only).
  stand_in: boolean;
  // What made the frame: the sidecar's scene, an X window, or a VTK window rendered in the kernel.
  source: FrameSourceKind;
  // Video frames only: the WebCodecs codec string (e.g. avc1.42c01f) and whether the frame decodes on its own.
  // The picture is `width` x `height` from the top-left of the decoded frame, which may be a pixel wider or higher.
  codec?: string;
  key?: boolean;
}

// The kinds of frame source (LIMITS.sources).
export type FrameSourceKind = 'scene' | 'x' | 'vtk';

// Milliseconds the sidecar spent on one frame: drawing, reading the pixels back, encoding them.
export interface FrameTimings {
  render_ms: number;
  readback_ms: number;
  encode_ms: number;
}

// How frames reach a widget: through the kernel's comm, or a websocket straight to the sidecar (from a
// browser on the same machine) or through the Jupyter server's /proxy/<port>/ (jupyter-server-proxy).
export type Transport = 'comm' | 'loopback' | 'proxy';

// What the widget measured over about the last second; sent to the kernel about once a second
// while frames flow. Latencies are input-to-paint, null before a frame reflected any input.
export interface StatsReport {
  type: 'stats';
  transport: Transport;
  fps: number;
  latency_ms_p50: number | null;
  latency_ms_p95: number | null;
  bytes_per_s: number;
  frames: number;
  render_ms: number | null;
  readback_ms: number | null;
  encode_ms: number | null;
}

// Buttons bitmask values (PointerEvent.buttons).
export const Buttons = {
  PRIMARY: 1,
  SECONDARY: 2,
  AUXILIARY: 4,
} as const;
