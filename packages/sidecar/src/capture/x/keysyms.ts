// The X keysym of a browser key (KeyboardEvent.key): a named key, or the character it types.

// KeyboardEvent.key names → X keysyms (X11/keysymdef.h).
const NAMED: Record<string, number> = {
  Backspace: 0xff08,
  Tab: 0xff09,
  Enter: 0xff0d,
  Pause: 0xff13,
  ScrollLock: 0xff14,
  Escape: 0xff1b,
  Home: 0xff50,
  ArrowLeft: 0xff51,
  ArrowUp: 0xff52,
  ArrowRight: 0xff53,
  ArrowDown: 0xff54,
  PageUp: 0xff55,
  PageDown: 0xff56,
  End: 0xff57,
  PrintScreen: 0xff61,
  Insert: 0xff63,
  ContextMenu: 0xff67,
  NumLock: 0xff7f,
  Shift: 0xffe1,
  Control: 0xffe3,
  CapsLock: 0xffe5,
  // The Windows or Command key, which X keyboards call Super.
  Meta: 0xffeb,
  Alt: 0xffe9,
  AltGraph: 0xfe03,
  Delete: 0xffff,
};

// F1 is 0xffbe, and F2 to F35 follow it.
const F1 = 0xffbe;

// The keysym of `key`, or undefined for keys X has no keysym for ('Unidentified', 'Dead', 'Process'...).
export function keysymOf(key: string): number | undefined {
  const named = NAMED[key];
  if (named !== undefined) return named;
  const f = /^F([1-9]|[1-2]\d|3[0-5])$/.exec(key);
  if (f !== null) return F1 + Number(f[1]) - 1;
  const code = key.codePointAt(0);
  if (code === undefined || String.fromCodePoint(code) !== key) return undefined;
  // Latin-1 characters are their own keysyms; every other Unicode character is 0x01000000 + its code point.
  if ((code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xff)) return code;
  return code < 0x20 || (code >= 0x7f && code < 0xa0) ? undefined : 0x01000000 + code;
}
