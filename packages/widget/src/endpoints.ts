// Where a view's direct websocket can be reached from this page, best first. The sidecar listens on
// 127.0.0.1 only: a browser on the same machine reaches it as it is ("loopback"); any other browser only
// through the Jupyter server's /proxy/<port>/ (jupyter-server-proxy, as on JupyterHub and Binder).
import type { Transport } from '@glstream/protocol';

// How the kernel says the sidecar's direct server can be reached: its port, a single-use ticket for one connection
// to the view, and the view (a custom message, see offers.ts; never synced state, so never saved).
export interface DirectInfo {
  port: number;
  key: string;
  view: string;
}

// The Viewer's `transport` trait: "auto" tries loopback (when the page is on this machine), then proxy.
export type TransportChoice = 'auto' | Transport;

// One websocket URL to try.
export interface Endpoint {
  route: Exclude<Transport, 'comm'>;
  url: string;
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

// Read a port, ticket and view; null when absent or malformed.
export function readDirect(value: unknown): DirectInfo | null {
  if (value === null || typeof value !== 'object') return null;
  const { port, key, view } = value as Record<string, unknown>;
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) return null;
  if (typeof key !== 'string' || key === '' || typeof view !== 'string' || view === '') return null;
  return { port, key, view };
}

// The URLs to try for `choice`, given the page's host name and the Jupyter server's websocket base URL
// (serverWsUrl(), e.g. "wss://hub.example.org/user/ada/"; "" when unknown).
export function endpoints(
  direct: DirectInfo | null,
  choice: TransportChoice,
  pageHost: string,
  wsBase: string,
): Endpoint[] {
  if (direct === null || choice === 'comm') return [];
  const path = `view/${encodeURIComponent(direct.view)}?key=${encodeURIComponent(direct.key)}`;
  const found: Endpoint[] = [];
  if (choice === 'loopback' || (choice === 'auto' && LOOPBACK_HOSTS.has(pageHost))) {
    found.push({ route: 'loopback', url: `ws://127.0.0.1:${direct.port}/${path}` });
  }
  if ((choice === 'proxy' || choice === 'auto') && /^wss?:\/\//.test(wsBase)) {
    found.push({ route: 'proxy', url: `${wsBase.endsWith('/') ? wsBase : `${wsBase}/`}proxy/${direct.port}/${path}` });
  }
  return found;
}
