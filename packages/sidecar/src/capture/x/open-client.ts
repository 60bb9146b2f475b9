// Connect to an X display and load the extensions capture needs: Composite (whole windows, even covered),
// Damage (when they change), XTEST (input); MIT-SHM (fast reads) and X-Resource (owner pids) when the server
// has them.
import x11 from 'x11';
import type { Client, Display, Extensions as Modules, XError } from 'x11';
import { DisplayError, GlstreamError } from '../../errors.js';

// The extensions of an open connection; shm and res are null where the server lacks them (or SHM cannot attach).
export interface Extensions extends Pick<Modules, 'composite' | 'damage' | 'xtest'> {
  shm: Modules['shm'] | null;
  res: Modules['res'] | null;
}

// Long enough for a loaded machine; an X server that accepts and then says nothing must not hang the session.
const OPEN_TIMEOUT_MS = 10_000;

const HINT =
  'glstream sets DISPLAY when it starts its display: open a view first, or point DISPLAY at a running X server';

// Open a connection to `name` with its extensions; fails with a DisplayError saying what is missing.
export function openClient(name: string): Promise<{ display: Display; ext: Extensions }> {
  if (name === '')
    return Promise.reject(new DisplayError('no X display to capture windows from: DISPLAY is not set', { hint: HINT }));
  return new Promise((resolve, reject) => {
    let client: Client | undefined;
    let settled = false;
    const timer = setTimeout(() => fail(new Error(`no answer after ${OPEN_TIMEOUT_MS} ms`)), OPEN_TIMEOUT_MS);
    const onError = (error: XError) => {
      if (typeof error.error !== 'number') fail(error);
    };
    const onEnd = () => fail(new Error('the server closed the connection'));
    const settle = () => {
      settled = true;
      clearTimeout(timer);
      client?.removeListener('error', onError).removeListener('end', onEnd);
    };
    const fail = (cause: unknown) => {
      if (settled) return;
      settle();
      client?.terminate();
      reject(
        cause instanceof GlstreamError
          ? cause
          : new DisplayError(`could not connect to the X display ${name}`, { cause, hint: HINT }),
      );
    };
    try {
      client = x11.createClient({ display: name }, (error, display) => {
        if (error) return fail(error);
        extensions(display.client, name).then((ext) => {
          if (settled) return;
          settle();
          resolve({ display, ext });
        }, fail);
      });
    } catch (error) {
      fail(error);
    }
    client?.on('error', onError).on('end', onEnd);
  });
}

async function extensions(client: Client, name: string): Promise<Extensions> {
  const [composite, damage, xtest, shm, res] = await Promise.all([
    need(client, 'composite', name),
    need(client, 'damage', name),
    need(client, 'xtest', name),
    load(client, 'shm').catch(() => null),
    load(client, 'res').catch(() => null),
  ]);
  // The server may list MIT-SHM and still refuse to attach a segment (a remote or sandboxed client).
  const usable = shm !== null && (await new Promise<boolean>((resolve) => shm.usable((_, ok) => resolve(ok))));
  return { composite, damage, xtest, shm: usable ? shm : null, res };
}

function load<K extends keyof Modules>(client: Client, extension: K): Promise<Modules[K]> {
  return new Promise((resolve, reject) => {
    client.require(extension, (error, ext) => (error ? reject(error) : resolve(ext)));
  });
}

async function need<K extends keyof Modules>(client: Client, extension: K, name: string): Promise<Modules[K]> {
  try {
    return await load(client, extension);
  } catch (cause) {
    throw new DisplayError(`the X display ${name} lacks the ${extension} extension that window capture needs`, {
      cause,
      hint: 'Xvfb and xpra have it; on an Xorg server enable it in xorg.conf',
    });
  }
}
