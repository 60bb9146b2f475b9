// The Viewer's model (identity and synced state) and its view (canvas, status, error, input, stats).
import { DOMWidgetModel, DOMWidgetView } from '@jupyter-widgets/base';
import type { InputEvent, StatsReport } from '@glstream/protocol';
import { createCanvas, decodeFrame, drawFrame } from './canvas.js';
import { type ClickMessage, listenClicks } from './click.js';
import { listenInput } from './controls.js';
import { ViewConnection } from './connection.js';
import { readFrame, type Frame } from './frame.js';
import { observeLayout } from './layout.js';
import { FramePainter } from './painter.js';
import { createOverlay, StatsReporter } from './reporter.js';
import { createStatus, showStatus } from './status.js';
import { MODULE_NAME, MODULE_VERSION } from './version.js';

// The Viewer's synced state: requested CSS size, connection status, the sidecar's error, the stats overlay,
// and how frames travel (transport choice; the sidecar's direct port and key).
export class ViewerModel extends DOMWidgetModel {
  static model_name = 'ViewerModel';
  static model_module = MODULE_NAME;
  static model_module_version = MODULE_VERSION;
  static view_name = 'ViewerView';
  static view_module = MODULE_NAME;
  static view_module_version = MODULE_VERSION;

  defaults() {
    return {
      ...super.defaults(),
      _model_name: ViewerModel.model_name,
      _model_module: ViewerModel.model_module,
      _model_module_version: ViewerModel.model_module_version,
      _view_name: ViewerModel.view_name,
      _view_module: ViewerModel.view_module,
      _view_module_version: ViewerModel.view_module_version,
      width: 800,
      height: 500,
      status: '',
      error: '',
      show_stats: false,
      transport: 'auto',
      _direct: {},
    };
  }
}

// Paints the sidecar's frames on a canvas and sends pointer, wheel, key and resize events back, over a
// direct websocket when one opens, else through the kernel's comm; stats and clicks always go to the kernel.
export class ViewerView extends DOMWidgetView {
  readonly #controller = new AbortController();

  // Build the elements and start painting, listening and laying out until the view is removed.
  render(): void {
    const { signal } = this.#controller;
    const canvas = createCanvas();
    const messages = createStatus();
    const overlay = createOverlay();
    this.el.classList.add('glstream-viewer');
    this.el.replaceChildren(messages.error, canvas, overlay, messages.status);

    const toKernel = (event: InputEvent | StatsReport | ClickMessage): void => {
      if (!signal.aborted) this.model.send({ ...event });
    };
    const stats = new StatsReporter(overlay, toKernel, signal);
    const showStats = (): void => stats.show(this.model.get('show_stats') === true);
    this.listenTo(this.model, 'change:show_stats', showStats);
    showStats();
    let waiting = true;
    const show = (): void => {
      const error: string = this.model.get('error');
      const status: string =
        this.model.get('status') || (waiting && error === '' ? 'waiting for the first frame…' : '');
      showStatus(messages, status, error);
    };
    const painter = new FramePainter({
      decode: decodeFrame,
      draw: (image, frame, painted) => {
        drawFrame(canvas, image, frame, painted);
        stats.painted(frame.meta);
        if (waiting) {
          waiting = false;
          show();
        }
      },
      ack: (frame) => connection.ack(frame),
      warn: (error) => console.warn('glstream:', error),
      signal,
    });
    const receive = (frame: Frame): void => {
      stats.received(frame.bytes.byteLength);
      void painter.push(frame);
    };
    this.listenTo(this.model, 'msg:custom', (content: unknown, buffers?: unknown[]) => {
      try {
        const frame = readFrame(content, buffers);
        if (frame !== undefined) receive(frame);
      } catch (error) {
        console.warn('glstream: ignored a malformed frame message', error);
      }
    });

    const connection = new ViewConnection({
      toKernel,
      receive,
      transport: (transport) => {
        stats.transport = transport;
        canvas.dataset.transport = transport;
      },
      signal,
    });
    const connect = (): void => void connection.connect(this.model.get('_direct'), this.model.get('transport'));
    this.listenTo(this.model, 'change:transport change:_direct', connect);
    connect();

    this.listenTo(this.model, 'change:status change:error', show);
    show();

    const send = (event: InputEvent): void => connection.send(event);
    const relayout = observeLayout(
      this.el,
      canvas,
      () => ({ width: this.model.get('width'), height: this.model.get('height') }),
      send,
      signal,
    );
    this.listenTo(this.model, 'change:width change:height', relayout);
    listenInput(canvas, send, () => connection.coalescing, signal);
    // Clicks are for the kernel (it picks and calls back), whichever way input and frames travel.
    listenClicks(canvas, toKernel, signal);
  }

  // Stop observers, listeners and pending frames, then let Backbone detach the view. Aborting never
  // throws: the browser reports errors from abort listeners instead of rethrowing them.
  remove(): void {
    this.#controller.abort(new Error('glstream: the view was removed'));
    super.remove();
  }
}
