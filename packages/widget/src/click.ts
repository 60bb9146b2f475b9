// Clicks on the canvas: a primary press released near where it started, soon, with no drag in between. The
// kernel answers them by picking; the pointer events themselves still go to the renderer, which orbits on them.

// How far (CSS px) the pointer may stray from the press, and how long (ms) the press may last, for a click.
export const CLICK_SLOP = 4;
export const CLICK_TIME = 1000;

// The fields of a PointerEvent a click is told by.
export interface ClickSource {
  pointerId: number;
  button: number;
  buttons: number;
  clientX: number;
  clientY: number;
  timeStamp: number;
}

// What the widget sends the kernel on a click: CSS px from the canvas' top-left, as pointer input.
export interface ClickMessage {
  type: 'click';
  x: number;
  y: number;
}

interface Press {
  pointerId: number;
  clientX: number;
  clientY: number;
  timeStamp: number;
}

// Follows one press at a time; another button, another pointer or a stray move in between makes it no click.
export class ClickDetector {
  #press: Press | null = null;

  down(event: ClickSource): void {
    const another = this.#press !== null && this.#press.pointerId !== event.pointerId;
    const { pointerId, clientX, clientY, timeStamp } = event;
    this.#press = !another && event.button === 0 ? { pointerId, clientX, clientY, timeStamp } : null;
  }

  move(event: ClickSource): void {
    const press = this.#press;
    if (press === null || event.pointerId !== press.pointerId) return;
    // A second button pressed while the first is held comes as a move with more buttons.
    if (event.buttons !== 1 || strays(press, event)) this.#press = null;
  }

  // The release's client position when it ends a click, else null.
  up(event: ClickSource): { clientX: number; clientY: number } | null {
    const press = this.#press;
    if (press === null || event.pointerId !== press.pointerId) return null;
    this.#press = null;
    const quick = event.timeStamp - press.timeStamp <= CLICK_TIME;
    if (event.button !== 0 || !quick || strays(press, event)) return null;
    return { clientX: event.clientX, clientY: event.clientY };
  }

  cancel(): void {
    this.#press = null;
  }
}

function strays(press: Press, event: ClickSource): boolean {
  return Math.hypot(event.clientX - press.clientX, event.clientY - press.clientY) > CLICK_SLOP;
}

// Report the canvas' clicks until the signal aborts.
export function listenClicks(
  canvas: HTMLCanvasElement,
  click: (message: ClickMessage) => void,
  signal: AbortSignal,
): void {
  const detector = new ClickDetector();
  const options = { signal };
  canvas.addEventListener('pointerdown', (event) => detector.down(event), options);
  canvas.addEventListener('pointermove', (event) => detector.move(event), options);
  canvas.addEventListener(
    'pointerup',
    (event) => {
      const at = detector.up(event);
      if (at === null) return;
      const origin = canvas.getBoundingClientRect();
      click({ type: 'click', x: at.clientX - origin.left, y: at.clientY - origin.top });
    },
    options,
  );
  canvas.addEventListener('pointercancel', () => detector.cancel(), options);
}
