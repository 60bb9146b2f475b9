// Input events as the widget sends them, to drive a sidecar from the tests and benchmarks.
import type { Meta, PointerInput } from '@glstream/protocol';

// A pointer event with the primary button and no modifier key; its timestamp is its sequence number.
export function pointerInput(phase: PointerInput['phase'], x: number, y: number, seq: number, buttons: number): Meta {
  return {
    type: 'pointer',
    phase,
    x,
    y,
    button: 0,
    buttons,
    seq,
    t: seq,
    ctrl: false,
    shift: false,
    alt: false,
    meta: false,
  } satisfies PointerInput;
}
