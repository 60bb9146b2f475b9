// A headless-gl context, with the useful error headless-gl itself does not give.
import createGL from 'gl';
import { installCommands } from '../display/install-hints.js';
import { DisplayError } from '../errors.js';

// Create a WebGL1 context of the given size on the current DISPLAY; throws when headless-gl returns null.
export function createContext(width: number, height: number): WebGLRenderingContext {
  const gl = createGL(width, height, { antialias: true, preserveDrawingBuffer: true, premultipliedAlpha: false });
  if (gl === null) {
    const display = process.env['DISPLAY'] ?? '(unset)';
    const mesa = installCommands(['mesa']);
    throw new DisplayError(`headless-gl could not create a WebGL context on DISPLAY=${display}`, {
      hint: `the X server must offer GLX: run \`glstream doctor\`; with Xvfb, install Mesa (${mesa})`,
    });
  }
  return gl;
}

// Release the context's GL resources (headless-gl keeps them until told).
export function destroyContext(gl: WebGLRenderingContext): void {
  gl.getExtension('STACKGL_destroy_context')?.destroy();
}

// Resize the default drawing buffer in place.
export function resizeContext(gl: WebGLRenderingContext, width: number, height: number): void {
  const resize = gl.getExtension('STACKGL_resize_drawingbuffer');
  if (resize === null) throw new DisplayError('headless-gl lacks STACKGL_resize_drawingbuffer');
  resize.resize(width, height);
}
