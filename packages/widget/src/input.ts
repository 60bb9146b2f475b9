// Browser input events turned into protocol InputEvents: coordinates relative to the canvas,
// modifiers, buttons, the event's timestamp and an increasing sequence number.
import type { KeyInput, Modifiers, PointerInput, WheelInput } from '@glstream/protocol';

// The fields every input event carries; MouseEvent and KeyboardEvent fit.
export interface ModifierSource {
  ctrlKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
  metaKey: boolean;
  timeStamp: number;
}

// The fields of a PointerEvent the protocol uses.
export interface PointerSource extends ModifierSource {
  clientX: number;
  clientY: number;
  button: number;
  buttons: number;
}

// The fields of a WheelEvent the protocol uses.
export interface WheelSource extends ModifierSource {
  clientX: number;
  clientY: number;
  deltaX: number;
  deltaY: number;
  deltaMode: number;
}

// The canvas' top-left corner in client coordinates; DOMRect fits.
export interface Origin {
  left: number;
  top: number;
}

// CSS pixels per wheel "line" (deltaMode 1), as browsers scroll a line.
export const LINE_HEIGHT = 16;

// Read the modifier keys held during an event.
export function modifiers(event: ModifierSource): Modifiers {
  return { ctrl: event.ctrlKey, shift: event.shiftKey, alt: event.altKey, meta: event.metaKey };
}

// Turns browser events into InputEvents, numbering them from 1 in the order they are encoded.
export class InputEncoder {
  #seq = 0;

  // A pointer press, move or release at the pointer's position over the canvas.
  pointer(event: PointerSource, phase: PointerInput['phase'], origin: Origin): PointerInput {
    const { x, y } = position(event, origin);
    return {
      type: 'pointer',
      phase,
      x,
      y,
      button: event.button,
      buttons: event.buttons,
      ...modifiers(event),
      seq: this.#next(),
      t: event.timeStamp,
    };
  }

  // A wheel turn in CSS pixels; pages (deltaMode 2) count as the canvas' height.
  wheel(event: WheelSource, origin: Origin, pageHeight: number): WheelInput {
    const { x, y } = position(event, origin);
    const scale = event.deltaMode === 1 ? LINE_HEIGHT : event.deltaMode === 2 ? pageHeight : 1;
    return {
      type: 'wheel',
      x,
      y,
      dx: event.deltaX * scale,
      dy: event.deltaY * scale,
      ...modifiers(event),
      seq: this.#next(),
      t: event.timeStamp,
    };
  }

  // A key press, named as KeyboardEvent.key names it.
  key(event: ModifierSource & { key: string }): KeyInput {
    return { type: 'key', key: event.key, ...modifiers(event), seq: this.#next(), t: event.timeStamp };
  }

  #next(): number {
    this.#seq += 1;
    return this.#seq;
  }
}

function position(event: { clientX: number; clientY: number }, origin: Origin): { x: number; y: number } {
  return { x: event.clientX - origin.left, y: event.clientY - origin.top };
}
