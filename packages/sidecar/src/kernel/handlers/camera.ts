// A view's camera, as the kernel sets it.
import type { Handler } from './index.js';

export const cameraHandlers: Record<string, Handler> = {
  async reset_camera(session, params) {
    session.scene(params).resetCamera();
    return { result: {} };
  },
};
