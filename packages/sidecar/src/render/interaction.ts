// Map the widget's pointer, wheel and key events to orbit camera moves.
import { Buttons, type InputEvent } from '@glstream/protocol';
import { pan, rotate, zoom, type Orbit } from './orbit.js';

type DragMode = 'orbit' | 'pan';

// The pointer drag in progress, if any.
export interface Drag {
  x: number;
  y: number;
  mode: DragMode;
}

// The outcome of one event: the new orbit (or null to reset the camera) and the drag to keep.
export interface Applied {
  orbit: Orbit | null;
  drag: Drag | null;
  changed: boolean;
}

// Left drag orbits; right or middle drag, or left drag with shift/ctrl, pans; the wheel zooms; "r" resets.
export function applyInput(orbit: Orbit, drag: Drag | null, event: InputEvent, viewHeight: number): Applied {
  switch (event.type) {
    case 'pointer': {
      if (event.phase === 'down') {
        const panning = event.button !== 0 || event.shift || event.ctrl;
        return { orbit, drag: { x: event.x, y: event.y, mode: panning ? 'pan' : 'orbit' }, changed: false };
      }
      if (
        event.phase === 'up' ||
        drag === null ||
        (event.buttons & (Buttons.PRIMARY | Buttons.SECONDARY | Buttons.AUXILIARY)) === 0
      ) {
        return { orbit, drag: null, changed: false };
      }
      const dx = event.x - drag.x;
      const dy = event.y - drag.y;
      const next = drag.mode === 'orbit' ? rotate(orbit, dx, dy, viewHeight) : pan(orbit, dx, dy, viewHeight);
      return { orbit: next, drag: { ...drag, x: event.x, y: event.y }, changed: dx !== 0 || dy !== 0 };
    }
    case 'wheel':
      return { orbit: zoom(orbit, event.dy), drag, changed: event.dy !== 0 };
    case 'key':
      if (event.key === 'r' || event.key === 'R') return { orbit: null, drag, changed: true };
      return { orbit, drag, changed: false };
    default:
      return { orbit, drag, changed: false };
  }
}
