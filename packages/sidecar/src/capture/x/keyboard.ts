// Where each keysym sits on the X server's keyboard: its keycode, and whether Shift must be held to type it.
import type { XConnection } from './connection.js';

// The key to press for a keysym.
export interface KeyStroke {
  keycode: number;
  shift: boolean;
}

// MappingNotify's `request` when the keyboard mapping changed (0 is the modifiers, 2 the pointer).
const MAPPING_KEYBOARD = 1;

// The keyboard of one connection, kept current when any client changes the mapping.
export class Keyboard {
  readonly #x: XConnection;
  #strokes = new Map<number, KeyStroke>();
  #keysymsPerKeycode = 0;
  // A keycode without keysyms, lent to a keysym the keyboard lacks (é on a US layout), as xdotool does.
  #spare: number | undefined;
  // The keysym last put on the spare keycode: the truth until the server's copy of the mapping catches up.
  #lent: number | undefined;

  private constructor(x: XConnection) {
    this.#x = x;
  }

  // Read the mapping of `x`'s keyboard, and follow its changes.
  static async load(x: XConnection): Promise<Keyboard> {
    const keyboard = new Keyboard(x);
    await keyboard.#read();
    x.onEvent((event) => {
      if (event.name === 'MappingNotify' && event.request === MAPPING_KEYBOARD) keyboard.#read().catch(() => {});
    });
    return keyboard;
  }

  // The key that types `keysym`; a keysym no key has is put on the spare keycode, if there is one.
  stroke(keysym: number): KeyStroke | undefined {
    return this.#strokes.get(keysym) ?? this.#lend(keysym);
  }

  #lend(keysym: number): KeyStroke | undefined {
    if (this.#spare === undefined) return undefined;
    const keysyms = Array<number>(this.#keysymsPerKeycode).fill(keysym);
    this.#x.client.ChangeKeyboardMapping(this.#spare, this.#keysymsPerKeycode, keysyms);
    this.#lent = keysym;
    this.#lendSpare(this.#strokes);
    return this.#strokes.get(keysym);
  }

  // Put the lent keysym on the spare keycode in `strokes`, in place of what was there.
  #lendSpare(strokes: Map<number, KeyStroke>): void {
    if (this.#spare === undefined || this.#lent === undefined) return;
    for (const [keysym, stroke] of strokes) if (stroke.keycode === this.#spare) strokes.delete(keysym);
    strokes.set(this.#lent, { keycode: this.#spare, shift: false });
  }

  async #read(): Promise<void> {
    const { minKeycode, maxKeycode } = this.#x;
    const rows = await this.#x.ask(this.#x.client, 'GetKeyboardMapping', minKeycode, maxKeycode - minKeycode + 1);
    const strokes = new Map<number, KeyStroke>();
    let spare: number | undefined;
    // The first column is typed plainly, the second with Shift (the other columns need a group switch); a keysym
    // on several keys takes the first that needs no Shift.
    for (const column of [0, 1])
      rows.forEach((row, index) => {
        const keysym = row[column] ?? 0;
        if (keysym !== 0 && !strokes.has(keysym))
          strokes.set(keysym, { keycode: minKeycode + index, shift: column === 1 });
      });
    rows.forEach((row, index) => {
      if (row.every((keysym) => keysym === 0)) spare = minKeycode + index;
    });
    this.#keysymsPerKeycode = rows[0]?.length ?? 0;
    // Once lent, the spare keycode has keysyms, but it stays the spare.
    this.#spare ??= spare;
    this.#lendSpare(strokes);
    this.#strokes = strokes;
  }
}

const keyboards = new WeakMap<XConnection, Promise<Keyboard>>();

// The keyboard of `x`, read once per connection.
export function keyboardOf(x: XConnection): Promise<Keyboard> {
  let keyboard = keyboards.get(x);
  if (keyboard === undefined) {
    keyboard = Keyboard.load(x);
    keyboards.set(x, keyboard);
    keyboard.catch(() => keyboards.delete(x));
  }
  return keyboard;
}
