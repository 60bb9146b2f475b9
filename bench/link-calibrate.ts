// What an emulated link really gives: the round trip of a one-byte ping through the proxy (median of 20, on a
// connection already open) and the rate at which a bulk download of about a second of the link arrives.
import { connect, createServer, type Socket } from 'node:net';
import { type Link, startLinkProxy } from './link-proxy.js';

const PINGS = 20;

export interface Calibration {
  link: string;
  rtt_ms_p50: number;
  mbit_per_s: number;
}

// Read from `socket` until `bytes` have come; resolve with the times of the first and last chunk and the first's size.
function receive(socket: Socket, bytes: number): Promise<{ first: number; firstBytes: number; last: number }> {
  return new Promise((resolve, reject) => {
    let got = 0;
    let first = 0;
    let firstBytes = 0;
    const onData = (chunk: Buffer) => {
      if (got === 0) {
        first = performance.now();
        firstBytes = chunk.length;
      }
      got += chunk.length;
      if (got < bytes) return;
      socket.off('data', onData);
      socket.off('error', reject);
      resolve({ first, firstBytes, last: performance.now() });
    };
    socket.on('data', onData);
    socket.once('error', reject);
  });
}

// Ping `link` and time a bulk download through it, on a server of its own: 'p' is echoed, 'd' answers with `bulk`.
export async function calibrate(link: Link): Promise<Calibration> {
  const bulk = Buffer.alloc(Math.max(256 * 1024, Math.round((link.mbitPerSecond * 1e6) / 8)));
  const server = createServer((socket) => {
    socket.on('data', (chunk: Buffer) => {
      for (const byte of chunk) socket.write(byte === 0x64 ? bulk : chunk.subarray(0, 1));
    });
    socket.on('error', () => socket.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const proxy = await startLinkProxy((server.address() as { port: number }).port);
  proxy.setLink(link);
  const socket = connect({ port: proxy.port, host: '127.0.0.1', noDelay: true });
  try {
    await new Promise((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    const rtts: number[] = [];
    for (let i = 0; i < PINGS; i += 1) {
      const sent = performance.now();
      const reply = receive(socket, 1);
      socket.write('p');
      rtts.push((await reply).last - sent);
    }
    const download = receive(socket, bulk.length);
    socket.write('d');
    const { first, firstBytes, last } = await download;
    rtts.sort((a, b) => a - b);
    return {
      link: link.name,
      rtt_ms_p50: rtts[PINGS >> 1]!,
      // The first chunk's bytes left before the clock started: the rate is the rest over first to last chunk.
      mbit_per_s: ((bulk.length - firstBytes) * 8) / ((last - first) / 1000) / 1e6,
    };
  } finally {
    socket.destroy();
    await proxy.close();
    await new Promise((resolve) => server.close(resolve));
  }
}
