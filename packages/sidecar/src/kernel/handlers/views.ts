// Views of glstream scenes: one per Viewer widget, each with its scene, size and frame pacing.
import { pacing, side, text } from '../params.js';
import type { Handler } from './index.js';

export const viewHandlers: Record<string, Handler> = {
  async create_view(session, params) {
    await session.createScene(text(params, 'view'), {
      width: side(params, 'width'),
      height: side(params, 'height'),
      background: text(params, 'background'),
      ...pacing(params),
    });
    return { result: {} };
  },

  async close_view(session, params) {
    await session.closeView(params);
    return { result: {} };
  },
};
