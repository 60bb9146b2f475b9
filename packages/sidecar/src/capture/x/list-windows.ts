// The top-level windows of the display (the root window's children), with the pid of the program that made each
// and its title: what a user picks a window to capture from.
import type { Property } from 'x11';
import { InputError } from '../../errors.js';
import { useX, type XConnection } from './connection.js';

// One top-level window: its id, its owner's pid (null when X cannot tell), title, size, and whether it is shown.
export interface WindowInfo {
  id: number;
  pid: number | null;
  name: string;
  width: number;
  height: number;
  mapped: boolean;
}

const INPUT_ONLY = 2;
const UNMAPPED = 0;
const ANY_TYPE = 0;
// Property lengths are in 32-bit units: a title of up to 4 KiB.
const NAME_LENGTH = 1024;

// The top-level windows, bottom to top; only those of process `pid` when given.
export async function listWindows(pid?: number): Promise<WindowInfo[]> {
  if (pid !== undefined && !(Number.isInteger(pid) && pid > 0))
    throw new InputError(`a pid is a positive integer, not ${pid}`);
  const { x, done } = await useX();
  try {
    const { children } = await x.ask(x.client, 'QueryTree', x.root);
    const windows = await Promise.all(children.map((id) => describe(x, id)));
    return windows.filter(
      (window): window is WindowInfo => window !== null && (pid === undefined || window.pid === pid),
    );
  } finally {
    done();
  }
}

// Null for a window without pixels (InputOnly), or one that closed while it was looked at.
async function describe(x: XConnection, id: number): Promise<WindowInfo | null> {
  try {
    const [attributes, geometry, pid, name] = await Promise.all([
      x.ask(x.client, 'GetWindowAttributes', id),
      x.ask(x.client, 'GetGeometry', id),
      pidOf(x, id),
      nameOf(x, id),
    ]);
    if (attributes.klass === INPUT_ONLY) return null;
    const { width, height } = geometry;
    return { id, pid, name, width, height, mapped: attributes.mapState !== UNMAPPED };
  } catch {
    return null;
  }
}

// The pid of the client that made the window, from X-Resource: glxgears and many GL programs set no _NET_WM_PID.
async function pidOf(x: XConnection, id: number): Promise<number | null> {
  const res = x.ext.res;
  if (res !== null && (res.major > 1 || res.minor >= 2)) {
    const mask = res.ClientIdMask.LocalClientPID;
    const ids = await x.ask(res, 'QueryClientIds', [{ client: id, mask }]).catch(() => []);
    const pid = ids.find((found) => found.mask & mask)?.value[0];
    if (pid !== undefined) return pid;
  }
  const property = await get(x, id, '_NET_WM_PID');
  return property.format === 32 && property.data.length >= 4 ? property.data.readUInt32LE(0) : null;
}

// The window's title: _NET_WM_NAME (UTF-8) if set, else WM_NAME (Latin-1 unless typed UTF8_STRING).
async function nameOf(x: XConnection, id: number): Promise<string> {
  const [wide, plain, utf8] = await Promise.all([
    get(x, id, '_NET_WM_NAME'),
    get(x, id, 'WM_NAME'),
    atom(x, 'UTF8_STRING'),
  ]);
  if (wide.format === 8 && wide.data.length > 0) return wide.data.toString('utf8');
  return plain.data.toString(plain.type === utf8 ? 'utf8' : 'latin1');
}

async function get(x: XConnection, id: number, name: string): Promise<Property> {
  const property = await atom(x, name);
  return x.ask(x.client, 'GetProperty', 0, id, property, ANY_TYPE, 0, NAME_LENGTH);
}

// The atom of `name` (the x11 package caches them).
function atom(x: XConnection, name: string): Promise<number> {
  return x.ask(x.client, 'InternAtom', false, name);
}
