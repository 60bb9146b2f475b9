// A private Xauthority: the X servers glstream starts admit only clients that present its random
// MIT-MAGIC-COOKIE-1, which only this user can read (mode 0600, in a 0700 directory of its own).
import { randomBytes } from 'node:crypto';
import { mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';

// libXau's address families: a local connection (named by the host's name), and any host.
const FAMILY_LOCAL = 0x0100;
const FAMILY_WILD = 0xffff;
const AUTH_NAME = 'MIT-MAGIC-COOKIE-1';

// The directory (removed at teardown), the Xauthority file in it, and its cookie.
export interface Xauthority {
  dir: string;
  file: string;
  cookie: Buffer;
}

// Make the directory and write a fresh cookie for any display number: the server reads it as it starts, before the
// number it picks itself (-displayfd) is known.
export async function createXauthority(): Promise<Xauthority> {
  const dir = await mkdtemp(join(tmpdir(), 'glstream-x-'));
  const auth = { dir, file: join(dir, 'Xauthority'), cookie: randomBytes(16) };
  try {
    await writeFile(auth.file, xauthEntry(FAMILY_WILD, '', '', auth.cookie), { mode: 0o600, flag: 'wx' });
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  return auth;
}

// Once the display is known, narrow the cookie to it, so clients offer it to that display only (a file replaced
// whole: a client never reads half of it). First an entry for this host, which is what every client library looks
// for (python-xlib only that); then one for any host, for libXau's clients should the host be renamed.
export async function nameDisplay(auth: Xauthority, display: string): Promise<void> {
  const number = display.replace(/^:/, '').split('.')[0]!;
  const next = `${auth.file}.next`;
  const entries = [
    xauthEntry(FAMILY_LOCAL, hostname(), number, auth.cookie),
    xauthEntry(FAMILY_WILD, '', number, auth.cookie),
  ];
  await writeFile(next, Buffer.concat(entries), { mode: 0o600 });
  await rename(next, auth.file);
}

// One entry of the Xauthority format (libXau): family, then address, display number, auth name and data, each a
// big-endian 16-bit length and its bytes. An empty display number matches every display.
export function xauthEntry(family: number, address: string, number: string, cookie: Buffer): Buffer {
  const head = Buffer.alloc(2);
  head.writeUInt16BE(family);
  const fields = [
    Buffer.from(address, 'latin1'),
    Buffer.from(number, 'latin1'),
    Buffer.from(AUTH_NAME, 'latin1'),
    cookie,
  ];
  return Buffer.concat([head, ...fields.flatMap((field) => [length(field), field])]);
}

function length(field: Buffer): Buffer {
  const bytes = Buffer.alloc(2);
  bytes.writeUInt16BE(field.length);
  return bytes;
}
