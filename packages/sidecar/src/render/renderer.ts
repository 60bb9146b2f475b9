// The one GL context of the sidecar and the three.js renderer on it; every view renders through it.
import * as THREE from 'three';
import { createContext, destroyContext, resizeContext } from './context.js';
import type { SceneView } from './view.js';

// What the WebGL layer says it is.
export interface WebGlInfo {
  vendor: string;
  renderer: string;
  version: string;
}

// A supersampled still of the biggest view (8192 a side) would read back 1 GiB; such stills are drawn at 1x.
const MAX_DRAWN_SIDE = 8192;

// RGBA pixels, bottom row first (GL order).
export interface Pixels {
  data: Uint8Array;
  width: number;
  height: number;
}

// Renders scenes into the shared context and reads the pixels back.
export class Renderer {
  readonly #gl: WebGLRenderingContext;
  readonly #three: THREE.WebGL1Renderer;
  #width = 0;
  #height = 0;
  #pixels = new Uint8Array(0);

  constructor(width = 640, height = 480) {
    this.#gl = createContext(width, height);
    const canvas = { width, height, style: {}, addEventListener() {}, removeEventListener() {} };
    // three's resetState() reads the context's canvas, which headless-gl's context lacks
    Object.defineProperty(this.#gl, 'canvas', { value: canvas });
    this.#three = new THREE.WebGL1Renderer({
      canvas: canvas as unknown as HTMLCanvasElement,
      context: this.#gl,
      antialias: true,
    });
    this.#three.outputColorSpace = THREE.SRGBColorSpace;
    this.#width = width;
    this.#height = height;
  }

  // Vendor, renderer and version of the WebGL layer (headless-gl over ANGLE).
  info(): WebGlInfo {
    const gl = this.#gl;
    return {
      vendor: String(gl.getParameter(gl.VENDOR)),
      renderer: String(gl.getParameter(gl.RENDERER)),
      version: String(gl.getParameter(gl.VERSION)),
    };
  }

  // Draw `view` at width x height device pixels, `pixelScale` of them per CSS pixel (with big objects' stand-ins
  // when `standIns`), and wait for the GL to finish, so that draw and read-back time apart.
  draw(view: SceneView, width: number, height: number, pixelScale = 1, standIns = false): void {
    if (width !== this.#width || height !== this.#height) {
      resizeContext(this.#gl, width, height);
      this.#width = width;
      this.#height = height;
    }
    this.#three.setViewport(0, 0, width, height);
    view.aim(width / height);
    const context = { width, height, pixelScale };
    view.prepare(context, standIns);
    this.#three.render(view.scene, view.camera);
    view.drawOverlay(this.#three, context);
    this.#gl.finish();
  }

  // The biggest side a picture may be drawn at: the GL's limit, and at most MAX_DRAWN_SIDE.
  get maxSide(): number {
    const gl = this.#gl;
    const viewport = gl.getParameter(gl.MAX_VIEWPORT_DIMS) as Int32Array;
    return Math.min(MAX_DRAWN_SIDE, gl.getParameter(gl.MAX_RENDERBUFFER_SIZE) as number, viewport[0]!, viewport[1]!);
  }

  // Read the last drawn frame back into `into` when it has the frame's size, else into the renderer's own buffer
  // (reused by the next call).
  read(into?: Uint8Array): Pixels {
    const width = this.#width;
    const height = this.#height;
    const size = width * height * 4;
    let data = into;
    if (data?.byteLength !== size) {
      if (this.#pixels.byteLength !== size) this.#pixels = new Uint8Array(size);
      data = this.#pixels;
    }
    this.#gl.readPixels(0, 0, width, height, this.#gl.RGBA, this.#gl.UNSIGNED_BYTE, data);
    return { data, width, height };
  }

  // Draw `view` at width x height and return its pixels (the buffer is reused by the next call).
  render(view: SceneView, width: number, height: number): Pixels {
    this.draw(view, width, height);
    return this.read();
  }

  // Forget the GL state three caches between draws: its vertex-array state keeps the buffers of the last drawn
  // geometry (arrays included) alive even after that geometry was disposed.
  forgetState(): void {
    this.#three.resetState();
  }

  // Release the GL context and everything in it (three's own dispose() needs a browser's animation frame).
  dispose(): void {
    destroyContext(this.#gl);
  }
}
