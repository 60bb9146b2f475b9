// Check an input event from a widget before it moves a camera: the kind, and every field it needs with
// its type and range. Events reach the sidecar from the kernel and from direct websockets alike.
import type { InputEvent } from '@glstream/protocol';
import { InputError } from '../errors.js';

const PHASES = new Set(['down', 'move', 'up']);
const MAX_DPR = 16;
// Pointer positions and wheel deltas, in CSS pixels: far beyond any screen, yet small enough that the camera's
// math stays finite (a drag from -1e308 to 1e308 is an infinite turn, and the camera's position becomes NaN).
const MAX_PIXELS = 1e6;
// Codec names a widget may list in a resize: more than any browser decodes for video.
const MAX_CODECS = 8;

type Fields = Record<string, unknown>;

// The event in `meta`, checked; throws an InputError naming the first bad field.
export function checkInput(meta: unknown): InputEvent {
  if (meta === null || typeof meta !== 'object' || Array.isArray(meta))
    throw new InputError('an input event must be a JSON object');
  const fields = meta as Fields;
  switch (fields['type']) {
    case 'ack':
      count(fields, 'seq');
      break;
    case 'resize':
      finite(fields, 'width', 0);
      finite(fields, 'height', 0);
      finite(fields, 'dpr', 0, MAX_DPR);
      if ((fields['dpr'] as number) <= 0) throw new InputError('input field "dpr" must be above 0');
      if (fields['codecs'] !== undefined) codecs(fields['codecs']);
      break;
    case 'pointer':
      if (!PHASES.has(fields['phase'] as string))
        throw new InputError(`input field "phase" must be down, move or up, got ${JSON.stringify(fields['phase'])}`);
      for (const key of ['x', 'y']) finite(fields, key, -MAX_PIXELS, MAX_PIXELS);
      // PointerEvent.button is -1 for a move that changes no button.
      if (!Number.isInteger(fields['button']) || (fields['button'] as number) < -1)
        throw new InputError(
          `input field "button" must be an integer from -1, got ${JSON.stringify(fields['button'])}`,
        );
      count(fields, 'buttons');
      stamped(fields);
      break;
    case 'wheel':
      for (const key of ['x', 'y', 'dx', 'dy']) finite(fields, key, -MAX_PIXELS, MAX_PIXELS);
      stamped(fields);
      break;
    case 'key':
      if (typeof fields['key'] !== 'string') throw new InputError('input field "key" must be a string');
      stamped(fields);
      break;
    default:
      throw new InputError(`unknown input event type ${JSON.stringify(fields['type'])}`);
  }
  return fields as unknown as InputEvent;
}

// The video codecs a widget decodes: names it may know and this sidecar not (a newer widget), so any strings.
function codecs(value: unknown): void {
  if (!Array.isArray(value) || value.length > MAX_CODECS || !value.every((name) => typeof name === 'string'))
    throw new InputError(`input field "codecs" must be a list of at most ${MAX_CODECS} strings`);
}

function stamped(fields: Fields): void {
  count(fields, 'seq');
  finite(fields, 't');
  for (const key of ['ctrl', 'shift', 'alt', 'meta']) {
    if (typeof fields[key] !== 'boolean') throw new InputError(`input field "${key}" must be true or false`);
  }
}

function finite(fields: Fields, key: string, low = -Infinity, high = Infinity): void {
  const value = fields[key];
  if (typeof value !== 'number' || !Number.isFinite(value) || value < low || value > high) {
    const range = `${low > -Infinity ? ` from ${low}` : ''}${high < Infinity ? ` to ${high}` : ''}`;
    throw new InputError(`input field "${key}" must be a finite number${range}, got ${JSON.stringify(value)}`);
  }
}

function count(fields: Fields, key: string): void {
  const value = fields[key];
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0)
    throw new InputError(`input field "${key}" must be a non-negative integer, got ${JSON.stringify(value)}`);
}
