// A private Xauthority: the X servers glstream starts admit only clients that present its random
// MIT-MAGIC-COOKIE-1, which only this user can read (mode 0600, in a 0700 directory of its own).
import { randomBytes } from 'node:crypto';
import { mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// libXau's address family that matches any host: the entry holds whatever the machine's name is or becomes.
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
    await writeFile(auth.file, xauthEntry(auth.cookie, ''), { mode: 0o600, flag: 'wx' });
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  return auth;
}

// Once the display is known, narrow the entry to it, so clients offer the cookie to that display only (a file
// replaced whole: a client never reads half of it).
export async function nameDisplay(auth: Xauthority, display: string): Promise<void> {
  const next = `${auth.file}.next`;
  await writeFile(next, xauthEntry(auth.cookie, display.replace(/^:/, '').split('.')[0]!), { mode: 0o600 });
  await rename(next, auth.file);
}

// One entry of the Xauthority format (libXau): family, then address, display number, auth name and data, each a
// big-endian 16-bit length and its bytes. An empty display number matches every display.
export function xauthEntry(cookie: Buffer, number: string): Buffer {
  const family = Buffer.alloc(2);
  family.writeUInt16BE(FAMILY_WILD);
  const fields = [Buffer.alloc(0), Buffer.from(number, 'latin1'), Buffer.from(AUTH_NAME, 'latin1'), cookie];
  return Buffer.concat([family, ...fields.flatMap((field) => [length(field), field])]);
}

function length(field: Buffer): Buffer {
  const bytes = Buffer.alloc(2);
  bytes.writeUInt16BE(field.length);
  return bytes;
}
