// "direct": the websocket server that widgets connect to, skipping the kernel.
import type { Handler } from './index.js';

export const directHandlers: Record<string, Handler> = {
  // The server's port (started on first use) and a fresh single-use ticket for a connection to params.view.
  async direct(session, params) {
    const view = session.view(params);
    const { server, port } = await session.direct();
    return { result: { port, key: server.ticket(view.id) } };
  },
  // Close params.view's direct connections and forget its tickets (its transport became "comm").
  async revoke_direct(session, params) {
    const view = session.view(params);
    const { server } = await session.direct();
    server.revoke(view.id);
    return { result: {} };
  },
};
