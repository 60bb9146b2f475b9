// "start": the display and the GL context, set up once for the whole sidecar.
import { startOptions } from '../start-options.js';
import type { Handler } from './index.js';

export const startHandlers: Record<string, Handler> = {
  // Answers what was chosen, and every step tried.
  async start(session, params) {
    const { setup, gl } = await session.start(startOptions(params));
    const { display, env, preload, steps } = setup;
    return {
      result: {
        display: display.name,
        display_source: display.source,
        xserver_pid: display.pid,
        xauthority: display.xauthority,
        gl,
        gl_env: env,
        gl_preload: preload,
        steps,
      },
    };
  },
};
