// Views of existing programs' windows: an X window captured from the display, or a window the kernel renders
// (VTK), whose frames the kernel hands over in shared memory when asked.
import { KernelWindowSource } from '../../capture/kernel/kernel-window.js';
import { delivery } from '../../capture/kernel/delivery.js';
import { listWindows, openXWindow } from '../../capture/x/index.js';
import { InputError } from '../../errors.js';
import { pacing, positive, side, text, type Params } from '../params.js';
import type { Session } from '../session.js';
import type { Handler } from './index.js';

// The view named by params.view, which must show a window the kernel renders.
function kernelWindow(session: Session, params: Params): KernelWindowSource {
  const view = session.view(params);
  if (!(view.source instanceof KernelWindowSource)) {
    throw new InputError(`view ${view.id} does not show a window rendered in the kernel`, { code: 'invalid_type' });
  }
  return view.source;
}

export const captureHandlers: Record<string, Handler> = {
  async capture_x(session, params) {
    const id = text(params, 'view');
    const window = positive(params, 'window');
    const asked = {
      width: params['width'] === undefined ? undefined : side(params, 'width'),
      height: params['height'] === undefined ? undefined : side(params, 'height'),
    };
    let size = { width: 1, height: 1 };
    await session.createView(
      id,
      { width: asked.width ?? 1, height: asked.height ?? 1, ...pacing(params) },
      async (events) => {
        const source = await openXWindow(window, events, asked);
        size = source.size;
        return source;
      },
    );
    return { result: { width: asked.width ?? size.width, height: asked.height ?? size.height } };
  },

  async x_windows(_session, params) {
    const windows = await listWindows(params['pid'] === undefined ? undefined : positive(params, 'pid'));
    return { result: { windows } };
  },

  async capture_kernel(session, params) {
    const id = text(params, 'view');
    const options = { width: side(params, 'width'), height: side(params, 'height'), ...pacing(params) };
    await session.createView(id, options, (events) => new KernelWindowSource(id, session.askKernel, events));
    return { result: {} };
  },

  async capture_frame(session, params) {
    kernelWindow(session, params).deliver(delivery(params));
    return { result: {} };
  },

  async capture_changed(session, params) {
    kernelWindow(session, params).changed();
    return { result: {} };
  },

  async capture_gone(session, params) {
    kernelWindow(session, params).end(text(params, 'reason'));
    return { result: {} };
  },
};
