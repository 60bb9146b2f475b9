// Frames as they arrive from the kernel: a custom message's content plus its first binary buffer.
import { type FrameMeta, type FrameTimings, isOneOf, LIMITS, type Transport } from '@glstream/protocol';

// Encoded image bytes as ipywidgets hands them over (a DataView in ipywidgets 8).
export type FrameBytes = ArrayBuffer | ArrayBufferView<ArrayBuffer>;

// One encoded frame, ready to decode, and the path it came by (its ack goes back the same way).
export interface Frame {
  meta: FrameMeta;
  bytes: FrameBytes;
  via: Transport;
}

// Whether `value` is bytes as ipywidgets or a websocket hands them over.
export function isBytes(value: unknown): value is FrameBytes {
  return value instanceof ArrayBuffer || (ArrayBuffer.isView(value) && value.buffer instanceof ArrayBuffer);
}

function count(content: Record<string, unknown>, field: string): number {
  const value = content[field];
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return value;
  throw new TypeError(`Frame field "${field}" must be a non-negative integer, got ${JSON.stringify(value)}`);
}

function window(content: Record<string, unknown>): number {
  const value = content.window;
  const { min, max } = LIMITS.frames_in_flight;
  if (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max) return value;
  throw new TypeError(`Frame field "window" must be an integer from ${min} to ${max}, got ${JSON.stringify(value)}`);
}

function mime(content: Record<string, unknown>): FrameMeta['mime'] {
  const value = content.mime;
  if (isOneOf(LIMITS.frame_mimes, value)) return value;
  throw new TypeError(
    `Frame field "mime" must be one of ${LIMITS.frame_mimes.join(', ')}, got ${JSON.stringify(value)}`,
  );
}

// A video frame's codec string and key flag; none for images.
function video(content: Record<string, unknown>, type: FrameMeta['mime']): Pick<FrameMeta, 'codec' | 'key'> {
  if (!type.startsWith('video/')) return {};
  const { codec } = content;
  if (typeof codec !== 'string' || codec === '')
    throw new TypeError(`Frame field "codec" must be a codec string, got ${JSON.stringify(codec)}`);
  return { codec, key: flag(content, 'key') };
}

function flag(content: Record<string, unknown>, field: string): boolean {
  const value = content[field];
  if (typeof value === 'boolean') return value;
  throw new TypeError(`Frame field "${field}" must be a boolean, got ${JSON.stringify(value)}`);
}

function source(content: Record<string, unknown>): FrameMeta['source'] {
  const value = content.source;
  if (isOneOf(LIMITS.sources, value)) return value;
  throw new TypeError(`Frame field "source" must be one of ${LIMITS.sources.join(', ')}, got ${JSON.stringify(value)}`);
}

function inputTime(content: Record<string, unknown>): number | null {
  const value = content.t_input;
  if (value === null || (typeof value === 'number' && Number.isFinite(value))) return value;
  throw new TypeError(`Frame field "t_input" must be a number or null, got ${JSON.stringify(value)}`);
}

function timings(content: Record<string, unknown>): FrameTimings {
  const value = content.timings as Record<string, unknown> | null | undefined;
  const ms = (key: keyof FrameTimings): number => {
    const field = value?.[key];
    if (typeof field === 'number' && field >= 0) return field;
    throw new TypeError(`Frame field "timings.${key}" must be a non-negative number, got ${JSON.stringify(field)}`);
  };
  return { render_ms: ms('render_ms'), readback_ms: ms('readback_ms'), encode_ms: ms('encode_ms') };
}

// Read a frame from a custom message (or a direct websocket's FRAME); undefined when the message is not
// a frame. Throws a TypeError naming the bad field when a frame message is malformed.
export function readFrame(
  content: unknown,
  buffers: readonly unknown[] | undefined,
  via: Transport = 'comm',
): Frame | undefined {
  if (content === null || typeof content !== 'object') return undefined;
  const fields = content as Record<string, unknown>;
  if (fields.type !== 'frame') return undefined;
  const meta: FrameMeta = {
    type: 'frame',
    seq: count(fields, 'seq'),
    mime: mime(fields),
    width: count(fields, 'width'),
    height: count(fields, 'height'),
    still: flag(fields, 'still'),
    input_seq: count(fields, 'input_seq'),
    t_input: inputTime(fields),
    window: window(fields),
    timings: timings(fields),
    stand_in: flag(fields, 'stand_in'),
    source: source(fields),
  };
  Object.assign(meta, video(fields, meta.mime));
  const bytes = buffers?.[0];
  if (!isBytes(bytes)) throw new TypeError(`Frame ${meta.seq} arrived without its image buffer`);
  return { meta, bytes, via };
}
