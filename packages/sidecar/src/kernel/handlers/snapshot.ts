// Lossless pictures of a view for the kernel (Viewer.snapshot), at the view's size or another.
import { side } from '../params.js';
import type { Handler } from './index.js';

export const snapshotHandlers: Record<string, Handler> = {
  async snapshot(session, params) {
    const view = session.view(params);
    const width = params['width'] === undefined ? view.width : side(params, 'width');
    const height = params['height'] === undefined ? view.height : side(params, 'height');
    const payload = await view.snapshot(width, height);
    return { result: { width, height, mime: 'image/png' }, payload };
  },
};
