// A view's camera, as the kernel reads and sets it, and views whose cameras move together.
import { InputError } from '../../errors.js';
import { cameraParams, cameraState, orbitFrom } from '../../render/camera.js';
import { texts } from '../params.js';
import type { Handler } from './index.js';

export const cameraHandlers: Record<string, Handler> = {
  async get_camera(session, params) {
    const scene = session.scene(params);
    return { result: { ...cameraState(scene.orbit), auto: scene.autoFraming } };
  },

  async set_camera(session, params) {
    const scene = session.scene(params);
    scene.place(orbitFrom(cameraParams(params), scene.orbit));
    return { result: {} };
  },

  async reset_camera(session, params) {
    session.scene(params).resetCamera();
    return { result: {} };
  },

  async link_cameras(session, params) {
    const views = texts(params, 'views');
    if (new Set(views).size < 2) throw new InputError('link_cameras needs at least two different views');
    session.links.link(views.map((view) => session.scene({ view })));
    return { result: {} };
  },

  async unlink_camera(session, params) {
    session.links.unlink(session.scene(params));
    return { result: {} };
  },
};
