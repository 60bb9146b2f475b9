// How messages name a window: by its id in hex, as xwininfo and xdotool print it.
export function windowName(id: number): string {
  return `window 0x${id.toString(16)}`;
}
