// Listening on the canvas: pointer, wheel and keys become InputEvents; listeners end with the signal.
import type { InputEvent } from '@glstream/protocol';
import { InputCoalescer } from './coalesce.js';
import { InputEncoder } from './input.js';

// Whether a key press is kept from the page as well as sent (Tab still moves focus,
// and browser shortcuts with Ctrl or Meta keep working).
export function ownsKey(event: { key: string; ctrlKey: boolean; metaKey: boolean }): boolean {
  return event.key !== 'Tab' && !event.ctrlKey && !event.metaKey;
}

// Send the canvas' drags, wheel and key events until the signal aborts (hovering sends nothing). While
// `coalesce()` holds (frames come through the kernel), moves and wheel turns are coalesced to one per animation
// frame, so a fast mouse cannot flood the kernel; otherwise (a direct websocket: the sidecar folds input into
// its next frame itself) each goes out at once, so a frame never waits for the page's next animation frame.
export function listenInput(
  canvas: HTMLCanvasElement,
  deliver: (event: InputEvent) => void,
  coalesce: () => boolean,
  signal: AbortSignal,
): void {
  const encoder = new InputEncoder();
  const coalescer = new InputCoalescer(deliver, (flush) => requestAnimationFrame(flush));
  const send = (event: InputEvent): void => {
    if (coalesce()) coalescer.push(event);
    else {
      coalescer.flush();
      deliver(event);
    }
  };
  const options = { signal };
  const origin = (): DOMRect => canvas.getBoundingClientRect();

  canvas.addEventListener(
    'pointerdown',
    (event) => {
      event.preventDefault();
      canvas.focus({ preventScroll: true });
      send(encoder.pointer(event, 'down', origin()));
      canvas.setPointerCapture(event.pointerId);
    },
    options,
  );
  canvas.addEventListener(
    'pointermove',
    (event) => {
      if (event.buttons !== 0) send(encoder.pointer(event, 'move', origin()));
    },
    options,
  );
  for (const type of ['pointerup', 'pointercancel'] as const) {
    canvas.addEventListener(
      type,
      (event) => {
        if (canvas.hasPointerCapture(event.pointerId)) canvas.releasePointerCapture(event.pointerId);
        send(encoder.pointer(event, 'up', origin()));
      },
      options,
    );
  }
  canvas.addEventListener(
    'wheel',
    (event) => {
      event.preventDefault();
      const rect = origin();
      send(encoder.wheel(event, rect, rect.height));
    },
    { signal, passive: false },
  );
  canvas.addEventListener('contextmenu', (event) => event.preventDefault(), options);
  canvas.addEventListener(
    'keydown',
    (event) => {
      if (ownsKey(event)) {
        event.preventDefault();
        event.stopPropagation();
      }
      send(encoder.key(event));
    },
    options,
  );
}
