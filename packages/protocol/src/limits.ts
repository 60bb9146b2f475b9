// The limits and lists that the sidecar, the widget and the Python package share. They live in limits.json,
// which the Python package reads as it is; this module types them. Each union below names the members of one
// list, and test/limits.test.ts checks that the two agree.
import limits from './limits.json' with { type: 'json' };
import type { FrameMime, FrameSourceKind, InputEvent, Transport, VideoCodec } from './events.js';

// An inclusive range of numbers.
export interface Range {
  min: number;
  max: number;
}

// The frame kinds a view may settle to once input stops: PNG, or JPEG q95 at full colour resolution.
export type StillKind = 'lossless' | 'near-lossless';

// The virtual X servers the sidecar can start.
export type Backend = 'xvfb' | 'xpra';

// How a failure is classified on the wire; the kernel maps each code to one of its exception classes.
export type ErrorCode =
  | 'invalid_argument'
  | 'invalid_type'
  | 'out_of_range'
  | 'not_found'
  | 'display_unavailable'
  | 'source_gone'
  | 'protocol'
  | 'internal';

// The shared limits, typed.
export interface Limits {
  // Width and height of a view or a snapshot, in pixels.
  side: Range;
  // An interactive frame-rate target, frames per second.
  frame_rate: Range & { default: number };
  // A point's size or a line's width in CSS pixels: above 0, at most max (the largest point and line GL draws
  // on llvmpipe).
  mark_size: { max: number };
  still_kinds: readonly StillKind[];
  backends: readonly Backend[];
  transports: readonly Transport[];
  sources: readonly FrameSourceKind[];
  input_types: readonly InputEvent['type'][];
  // The most acks one input event may carry on the comm (WithAcks; the kernel forwards each).
  piggyback_acks_max: number;
  // Frames a view lets be in flight: at least min whatever its path (one drawn while another travels), at most max
  // (a wrong estimate of the path cannot queue seconds of frames). Each frame names the window it left in.
  frames_in_flight: Range;
  video_codecs: readonly VideoCodec[];
  frame_mimes: readonly FrameMime[];
  error_codes: readonly ErrorCode[];
}

export const LIMITS = limits as Limits;

// Whether `value` is one of `list`'s members.
export function isOneOf<T extends string>(list: readonly T[], value: unknown): value is T {
  return (list as readonly unknown[]).includes(value);
}
