// An emulated network link in front of a TCP server (netem is not available on these machines): a proxy on
// loopback whose two directions are each a LinkDirection shared by all its connections, as one access link is
// shared by all of a browser's connections. The link can be changed between runs (the page's origin, and so its
// cache and cookies, stays the same); with no link it only counts bytes.
import { connect, createServer, type Socket } from 'node:net';
import { type Link, LinkDirection } from './link-queue.js';

export type { Link } from './link-queue.js';

// The links of issue 13: round trip and rate.
export const LINKS: Link[] = [
  { name: 'LAN', rttMs: 5, mbitPerSecond: 200 },
  { name: 'campus', rttMs: 40, mbitPerSecond: 20 },
  { name: 'home', rttMs: 100, mbitPerSecond: 5 },
];

export interface LinkProxy {
  port: number;
  // Carry what follows over `link` (null: straight through).
  setLink(link: Link | null): void;
  // Bytes carried so far: up (client to server) and down.
  bytes(): { up: number; down: number };
  close(): Promise<void>;
}

// Listen on a free loopback port and forward each connection to `targetPort` on loopback through the link.
export async function startLinkProxy(targetPort: number): Promise<LinkProxy> {
  const up = new LinkDirection();
  const down = new LinkDirection();
  const sockets = new Set<Socket>();
  const server = createServer({ pauseOnConnect: true, noDelay: true, allowHalfOpen: true }, (client) => {
    sockets.add(client);
    let upstream: Socket | undefined;
    const drop = () => {
      client.destroy();
      upstream?.destroy();
    };
    const watch = (socket: Socket) => {
      socket.on('error', drop);
      // A clean close needs nothing more: its end travels through the link like its bytes.
      socket.on('close', () => sockets.delete(socket));
    };
    watch(client);
    const open = () => {
      if (client.destroyed) return;
      const target = connect({ port: targetPort, host: '127.0.0.1', noDelay: true, allowHalfOpen: true });
      upstream = target;
      sockets.add(target);
      watch(target);
      client.on('data', (chunk: Buffer) => up.send(client, target, chunk));
      client.on('end', () => up.send(client, target, null));
      target.on('data', (chunk: Buffer) => down.send(target, client, chunk));
      target.on('end', () => down.send(target, client, null));
      target.once('connect', () => client.resume());
    };
    // A TCP handshake costs a round trip before the client's first byte can leave.
    const rttMs = up.link?.rttMs ?? 0;
    if (rttMs === 0) open();
    else setTimeout(open, rttMs);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  return {
    port: (server.address() as { port: number }).port,
    setLink(link) {
      up.link = link;
      down.link = link;
    },
    bytes: () => ({ up: up.bytes, down: down.bytes }),
    close: async () => {
      up.close();
      down.close();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
