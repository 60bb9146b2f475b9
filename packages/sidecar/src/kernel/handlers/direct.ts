// "direct": the websocket server that widgets connect to, skipping the kernel.
import type { Handler } from './index.js';

export const directHandlers: Record<string, Handler> = {
  // The port and key of the server, started on first use.
  async direct(session) {
    const { server, port } = await session.direct();
    return { result: { port, key: server.key } };
  },
};
