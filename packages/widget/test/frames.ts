// Frames as the sidecar sends them, for the tests that feed a view: a 1x1 still PNG unless told otherwise.
import type { FrameMeta } from '@glstream/protocol';
import type { Frame } from '../src/frame.js';

// A frame's metadata, numbered `seq`, with `fields` replaced.
export function frameMeta(seq: number, fields: Partial<FrameMeta> = {}): FrameMeta {
  return {
    type: 'frame',
    seq,
    mime: 'image/png',
    width: 1,
    height: 1,
    still: true,
    input_seq: 0,
    t_input: null,
    window: 2,
    timings: { render_ms: 0, readback_ms: 0, encode_ms: 0 },
    stand_in: false,
    source: 'scene',
    ...fields,
  };
}

// A frame of one byte that came by `via`.
export function frameOf(seq: number, via: Frame['via'] = 'comm', fields: Partial<FrameMeta> = {}): Frame {
  return { meta: frameMeta(seq, fields), bytes: new ArrayBuffer(1), via };
}
