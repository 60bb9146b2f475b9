// Everything one kernel's sidecar holds: its display, the GL renderer, and the views. Requests land here.
import { Kind } from '@glstream/protocol';
import { obtainDisplay, type ChainOptions, type DisplaySetup } from './display/index.js';
import { InputError } from './errors.js';
import { buildMesh, type ArraySpec } from './render/mesh.js';
import { describeGl, type GlInfo } from './gl-info.js';
import { Renderer } from './render/renderer.js';
import { encode } from './stream/encode.js';
import { LiveView, type FrameSink, type StillKind } from './stream/live-view.js';
import { Serial } from './stream/serial.js';
import { startOptions } from './start-options.js';
import { DirectServer } from './transport/direct.js';

type Params = Record<string, unknown>;

// A method's answer: JSON result and optional raw payload.
export interface Outcome {
  result: Record<string, unknown>;
  payload?: Uint8Array;
}

// The sidecar's state and the methods the kernel calls.
export class Session {
  readonly #sink: FrameSink;
  readonly #onViewError: (view: string, error: unknown) => void;
  readonly #serial = new Serial();
  readonly #views = new Map<string, LiveView>();
  #setup: DisplaySetup | undefined;
  #renderer: Renderer | undefined;
  #gl: GlInfo | undefined;
  #direct: Promise<{ server: DirectServer; port: number }> | undefined;

  constructor(sink: FrameSink, onViewError: (view: string, error: unknown) => void) {
    this.#sink = sink;
    this.#onViewError = onViewError;
  }

  // Obtain a display and a GL context; idempotent (later options are ignored once started).
  async start(options: ChainOptions = {}): Promise<Outcome> {
    if (this.#renderer === undefined) {
      this.#setup ??= await obtainDisplay(options);
      this.#renderer = new Renderer();
      this.#gl = describeGl(this.#renderer, this.#setup.driver);
    }
    const { display, env, preload, steps } = this.#setup!;
    return {
      result: {
        display: display.name,
        display_source: display.source,
        xserver_pid: display.pid,
        gl: this.#gl,
        gl_env: env,
        gl_preload: preload,
        steps,
      },
    };
  }

  // Dispatch one request by method name.
  async call(method: string, params: Params, buffers: Uint8Array[]): Promise<Outcome> {
    if (method === 'start') return this.start(startOptions(params));
    const renderer = this.#renderer;
    if (renderer === undefined) throw new InputError(`"${method}" needs the sidecar started first`);
    switch (method) {
      case 'create_view': {
        const id = text(params, 'view');
        if (this.#views.has(id)) throw new InputError(`view ${id} already exists`);
        const options = {
          width: side(params, 'width'),
          height: side(params, 'height'),
          background: text(params, 'background'),
          targetFps: rate(params, 'target_fps'),
          still: stillKind(params),
        };
        this.#views.set(
          id,
          new LiveView(id, options, renderer, this.#serial, this.#sink, (error) => this.#onViewError(id, error)),
        );
        return { result: {} };
      }
      case 'add_mesh': {
        const view = this.view(params);
        const [vertexBytes, faceBytes] = buffers;
        if (vertexBytes === undefined || faceBytes === undefined)
          throw new InputError('add_mesh needs two buffers: vertices and faces');
        const mesh = buildMesh(
          params['vertices'] as ArraySpec,
          vertexBytes,
          params['faces'] as ArraySpec,
          faceBytes,
          text(params, 'color'),
        );
        view.scene.add(text(params, 'mesh'), mesh);
        view.pacer.invalidate(false);
        return { result: { mesh: text(params, 'mesh'), triangles: faceBytes.byteLength / 12 } };
      }
      case 'remove_mesh': {
        const view = this.view(params);
        if (!view.scene.remove(text(params, 'mesh')))
          throw new InputError(`view ${view.id} has no mesh named ${text(params, 'mesh')}`);
        view.pacer.invalidate(false);
        return { result: {} };
      }
      case 'reset_camera': {
        const view = this.view(params);
        view.scene.resetCamera();
        view.pacer.invalidate(false);
        return { result: {} };
      }
      case 'snapshot': {
        const view = this.view(params);
        const width = params['width'] === undefined ? view.width : side(params, 'width');
        const height = params['height'] === undefined ? view.height : side(params, 'height');
        const payload = await this.#serial.run(() => encode(renderer.render(view.scene, width, height), 'image/png'));
        return { result: { width, height, mime: 'image/png' }, payload };
      }
      case 'direct': {
        const { server, port } = await this.#openDirect();
        return { result: { port, key: server.key } };
      }
      case 'close_view': {
        this.view(params).dispose();
        this.#views.delete(text(params, 'view'));
        return { result: {} };
      }
      default:
        throw new InputError(`unknown method "${method}"`);
    }
  }

  // The view named by params.view.
  view(params: Params): LiveView {
    const id = text(params, 'view');
    const view = this.#views.get(id);
    if (view === undefined) throw new InputError(`no view ${id}: it was closed, or the sidecar was restarted`);
    return view;
  }

  // Look a view up without throwing (events for closed views are dropped).
  find(id: string): LiveView | undefined {
    return this.#views.get(id);
  }

  // Start the direct websocket server once; later calls share it.
  #openDirect(): Promise<{ server: DirectServer; port: number }> {
    this.#direct ??= (async () => {
      const server = new DirectServer((id, send, hangUp) =>
        this.#views.get(id)?.connect((meta, payload) => send(Kind.FRAME, meta, payload), hangUp),
      );
      return { server, port: await server.listen() };
    })();
    this.#direct.catch(() => {
      this.#direct = undefined;
    });
    return this.#direct;
  }

  // Free the views and the context, stop the direct server and the X server we started.
  async close(): Promise<void> {
    const direct = this.#direct;
    this.#direct = undefined;
    await direct?.then(
      ({ server }) => server.close(),
      () => undefined,
    );
    for (const view of this.#views.values()) view.dispose();
    this.#views.clear();
    this.#renderer?.dispose();
    this.#renderer = undefined;
    await this.#setup?.display.stop();
    this.#setup = undefined;
  }
}

function text(params: Params, key: string): string {
  const value = params[key];
  if (typeof value !== 'string' || value === '') throw new InputError(`"${key}" must be a non-empty string`);
  return value;
}

function side(params: Params, key: string): number {
  const value = params[key];
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 8192)
    throw new InputError(`"${key}" must be an integer from 1 to 8192, got ${String(value)}`);
  return value;
}

function rate(params: Params, key: string): number | undefined {
  const value = params[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !(value >= 1 && value <= 240))
    throw new InputError(`"${key}" must be a number from 1 to 240, got ${String(value)}`);
  return value;
}

function stillKind(params: Params): StillKind | undefined {
  const value = params['still'];
  if (value === undefined || value === 'lossless' || value === 'near-lossless') return value;
  throw new InputError(`"still" must be "lossless" or "near-lossless", got ${JSON.stringify(value)}`);
}
