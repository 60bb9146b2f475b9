// Everything one kernel's sidecar holds: its display, the GL renderer and its queue, the views, and the direct
// websocket server. Requests land here and go to their handler in the table.
import { closeSync } from 'node:fs';
import { Kind } from '@glstream/protocol';
import { obtainDisplay, type ChainOptions, type DisplaySetup } from '../display/index.js';
import { GlstreamError, InputError } from '../errors.js';
import { GlQueue } from '../render/gl-queue.js';
import { describeGl, type GlInfo } from '../render/gl-stack.js';
import { Renderer } from '../render/renderer.js';
import type { AskKernel } from '../capture/kernel/kernel-window.js';
import { closeXConnection } from '../capture/x/index.js';
import { CameraLinks } from '../render/camera-link.js';
import type { CameraRested } from '../render/camera-rest.js';
import { ObjectStore } from '../render/objects/store.js';
import { SceneSource } from '../render/scene-source.js';
import { LiveView, type FrameSink, type ViewOptions } from '../stream/live-view.js';
import type { FrameSource, SourceEvents } from '../stream/source.js';
import { DirectServer } from '../transport/direct.js';
import { HANDLERS, type Handler, type Outcome } from './handlers/index.js';
import { IdleTrim } from './idle-trim.js';
import { text, type Params } from './params.js';

// What a Session is given: where frames go, where a view's failed frame is reported, where a scene's camera at
// rest is told, how a message reaches the kernel's capture of a window it renders, and (tests replace them) how
// the display and the renderer are obtained and which handlers answer.
export interface SessionOptions {
  sink: FrameSink;
  onViewError(view: string, error: unknown): void;
  onCameraRest?: CameraRested;
  askKernel?: AskKernel;
  obtainDisplay?: (options: ChainOptions) => Promise<DisplaySetup>;
  createRenderer?: () => Renderer;
  handlers?: ReadonlyMap<string, Handler>;
}

// The direct websocket server and the port it listens on.
interface Direct {
  server: DirectServer;
  port: number;
}

// The sidecar's state, and what handlers may do with it.
export class Session {
  readonly #options: SessionOptions;
  readonly #idle = new IdleTrim();
  readonly queue = new GlQueue(() => this.#idle.busy());
  // Scene objects, shared by the views that show them, and the groups of views whose cameras move together.
  readonly objects = new ObjectStore();
  readonly links = new CameraLinks();
  readonly #views = new Map<string, LiveView>();
  readonly #opening = new Set<string>();
  #setup: DisplaySetup | undefined;
  #renderer: Renderer | undefined;
  #gl: GlInfo | undefined;
  #direct: Promise<Direct> | undefined;

  constructor(options: SessionOptions) {
    this.#options = options;
  }

  // Answer one request with the handler of `method`.
  call(method: string, params: Params, buffers: Uint8Array[]): Promise<Outcome> {
    this.#idle.busy();
    const handler = (this.#options.handlers ?? HANDLERS).get(method);
    if (handler === undefined) {
      return Promise.reject(
        new GlstreamError('protocol', `unknown method "${method}": the Python package and the sidecar differ`, {
          hint: 'install the Python package and the sidecar from the same release',
        }),
      );
    }
    return handler(this, params, buffers);
  }

  // Obtain a display and a GL context once; later calls report the same setup (and ignore their options, but for
  // closing a lifeline they bring: only the X server may hold one).
  async start(options: ChainOptions): Promise<{ setup: DisplaySetup; gl: GlInfo }> {
    if (this.#setup !== undefined && options.lifeline !== undefined) closeSync(options.lifeline);
    if (this.#renderer === undefined) {
      this.#setup ??= await (this.#options.obtainDisplay ?? obtainDisplay)(options);
      this.#renderer = (this.#options.createRenderer ?? (() => new Renderer()))();
      this.#gl = describeGl(this.#renderer, this.#setup.driver);
    }
    return { setup: this.#setup!, gl: this.#gl! };
  }

  // Send a CAPTURE message to the kernel (a frame request, input or a resize for a window it renders).
  readonly askKernel: AskKernel = (meta) => {
    if (this.#options.askKernel === undefined) {
      throw new GlstreamError('protocol', 'this sidecar has no channel to the kernel for windows it renders');
    }
    this.#options.askKernel(meta);
  };

  // The GL renderer; every method but "start" needs it.
  get renderer(): Renderer {
    if (this.#renderer === undefined) {
      throw new GlstreamError('protocol', 'the sidecar must be started (method "start") before anything else');
    }
    return this.#renderer;
  }

  // Make a view `id` whose frames come from the source `open` gives; its events reach the view once it exists
  // (the view asks for the source's current state when a widget shows it).
  async createView(
    id: string,
    options: ViewOptions,
    open: (events: SourceEvents) => FrameSource | Promise<FrameSource>,
  ): Promise<LiveView> {
    if (this.#views.has(id) || this.#opening.has(id)) throw new InputError(`view ${id} already exists`);
    const { sink, onViewError } = this.#options;
    let view: LiveView | undefined;
    const events: SourceEvents = {
      changed: (still) => view?.changed(still),
      gone: (error) => view?.gone(error),
    };
    this.#opening.add(id);
    try {
      const source = await open(events);
      view = new LiveView(id, options, { sink, onError: (error: unknown) => onViewError(id, error) }, source);
    } finally {
      this.#opening.delete(id);
    }
    this.#views.set(id, view);
    return view;
  }

  // Make a view `id` of a new three.js scene drawn by the sidecar.
  createScene(id: string, options: ViewOptions & { background: string }): Promise<LiveView> {
    const shared = {
      renderer: this.renderer,
      queue: this.queue,
      objects: this.objects,
      links: this.links,
      cameraRested: this.#options.onCameraRest,
    };
    const canvas = { width: options.width, height: options.height };
    return this.createView(id, options, (events) => new SceneSource(id, options.background, canvas, shared, events));
  }

  // The scene of the view named by params.view; a view of an existing program has none.
  scene(params: Params): SceneSource {
    const view = this.view(params);
    if (!(view.source instanceof SceneSource)) {
      throw new InputError(`view ${view.id} shows an existing program's window, not a glstream scene`, {
        code: 'invalid_type',
      });
    }
    return view.source;
  }

  // The view named by params.view.
  view(params: Params): LiveView {
    const id = text(params, 'view');
    const view = this.#views.get(id);
    if (view === undefined) {
      throw new InputError(`no view ${id}: it was closed, or the sidecar was restarted`, { code: 'not_found' });
    }
    return view;
  }

  // The view `id`, or undefined: input for a view that was closed meanwhile is dropped, not an error.
  find(id: string): LiveView | undefined {
    return this.#views.get(id);
  }

  // Close the view named by params.view: from now on its input is dropped and its name is free again.
  async closeView(params: Params): Promise<void> {
    const view = this.view(params);
    this.#views.delete(view.id);
    await view.dispose();
  }

  // The direct websocket server, started on first use and shared by every view.
  direct(): Promise<Direct> {
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

  // Stop the direct server, close the views, let queued GL work finish, free the context, stop the X server we
  // started. Every step runs even when one before it failed, so the X server is never left behind.
  async close(): Promise<void> {
    const direct = this.#direct;
    const views = [...this.#views.values()];
    const renderer = this.#renderer;
    const display = this.#setup?.display;
    this.#idle.dispose();
    this.#direct = undefined;
    this.#views.clear();
    this.#renderer = undefined;
    this.#setup = undefined;
    const steps: [string, () => unknown][] = [
      [
        'stop the direct server',
        () =>
          direct?.then(
            ({ server }) => server.close(),
            () => undefined,
          ),
      ],
      ...views.map((view): [string, () => unknown] => [`close view ${view.id}`, () => view.dispose()]),
      ['finish queued GL work', () => this.queue.idle()],
      ['close the X connection of window captures', () => closeXConnection()],
      ['free the GL context', () => renderer?.dispose()],
      ['stop the X server', () => display?.stop()],
    ];
    for (const [what, step] of steps) {
      try {
        await step();
      } catch (error) {
        console.error(`glstream: could not ${what} while closing:`, error);
      }
    }
  }
}
