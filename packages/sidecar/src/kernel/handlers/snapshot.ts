// Lossless pictures of a view for the kernel (Viewer.snapshot), at the view's size or another; and the view's
// latest still, the picture a saved notebook keeps, fetched only after the view's content changed.
import { positive, side } from '../params.js';
import type { Handler } from './index.js';

export const snapshotHandlers: Record<string, Handler> = {
  async snapshot(session, params) {
    const view = session.view(params);
    const width = params['width'] === undefined ? view.width : side(params, 'width');
    const height = params['height'] === undefined ? view.height : side(params, 'height');
    const payload = await view.snapshot(width, height);
    return { result: { width, height, mime: 'image/png' }, payload };
  },

  async latest_still(session, params) {
    const view = session.view(params);
    const since = params['since'] === undefined ? undefined : positive(params, 'since');
    const { version, still } = await view.latestStill(since);
    if (still === null) return { result: { version, changed: false } };
    return { result: { version, changed: true, mime: still.mime }, payload: still.payload };
  },
};
