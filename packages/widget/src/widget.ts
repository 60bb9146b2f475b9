// The Viewer's view, as anywidget renders it: canvas, status, error, saved still, input and stats, for one output.
import type { InputEvent, StatsReport } from '@glstream/protocol';
import { createCanvas, createFrameDecoder, drawFrame } from './canvas.js';
import { type ClickMessage, listenClicks } from './click.js';
import { ViewConnection } from './connection.js';
import { listenInput } from './controls.js';
import { type Frame, readFrame } from './frame.js';
import { observeLayout } from './layout.js';
import { onChange, onCustom, type ViewerModel } from './model.js';
import { type DirectRequest, offersOf } from './offers.js';
import { FramePainter } from './painter.js';
import { createOverlay, StatsReporter } from './reporter.js';
import { createStatus, showStatus } from './status.js';
import { createStillElement, SavedStill } from './still.js';

// What anywidget passes render(): the model, the output's element, and (anywidget 0.10 and later) a signal that
// aborts when the view is removed.
export interface RenderContext {
  model: ViewerModel;
  el: HTMLElement;
  signal?: AbortSignal;
}

// Paint the sidecar's frames on a canvas and send pointer, wheel, key and resize events back, over a direct
// websocket when one opens, else through the kernel's comm; stats and clicks always go to the kernel. Returns the
// cleanup anywidget calls when the view is removed: it stops observers, listeners and pending frames, and never
// throws (the browser reports errors from abort listeners instead of rethrowing them).
export function render({ model, el, signal: removed }: RenderContext): () => void {
  const controller = new AbortController();
  const cleanup = (): void => controller.abort(new Error('glstream: the view was removed'));
  const { signal } = controller;
  removed?.addEventListener('abort', cleanup, { once: true, signal });

  const canvas = createCanvas();
  const messages = createStatus();
  const overlay = createOverlay();
  const stillElement = createStillElement();
  el.classList.add('glstream-viewer');
  el.replaceChildren(messages.error, canvas, overlay, messages.status, stillElement);

  const toKernel = (event: InputEvent | StatsReport | ClickMessage): void => {
    if (!signal.aborted) model.send({ ...event });
  };
  const stats = new StatsReporter(overlay, toKernel, signal);
  const showStats = (): void => stats.show(model.get('show_stats') === true);
  onChange(model, ['show_stats'], showStats, signal);
  showStats();

  // The saved still stands in for the canvas until the first live frame.
  const still = new SavedStill(stillElement, signal);
  let waiting = true;
  // A view restored from saved widget state has no kernel behind it and never goes live: its line says what the
  // picture is, not that a frame is coming.
  const waitingLine = (): string =>
    still.shown
      ? 'not live: a picture of this view from when it last ran (run the cell to make it live)'
      : 'waiting for the first frame…';
  const show = (): void => {
    const error = model.get('error');
    const status = model.get('status') || (waiting && error === '' ? waitingLine() : '');
    showStatus(messages, status, error);
  };
  const showStill = (): void => {
    still.show(model.get('_still'));
    canvas.hidden = still.shown;
    show();
  };
  onChange(model, ['_still'], showStill, signal);
  showStill();
  const painter = new FramePainter({
    decode: createFrameDecoder(signal),
    draw: (image, frame, painted) => {
      drawFrame(canvas, image, frame, painted);
      stats.painted(frame.meta);
      if (waiting) {
        waiting = false;
        still.live();
        canvas.hidden = false;
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
  onCustom(
    model,
    (content, buffers) => {
      if ((content as { type?: unknown } | null)?.type === 'restarted') {
        painter.restart();
        return;
      }
      try {
        const frame = readFrame(content, buffers);
        if (frame !== undefined) receive(frame);
      } catch (error) {
        console.warn('glstream: ignored a malformed frame message', error);
      }
    },
    signal,
  );

  // The way to the renderer comes by custom messages, never synced state (which the notebook would save): this
  // view takes the model's unused offer, else asks the kernel for one of its own.
  const asker = `view-${Math.random().toString(36).slice(2)}`;
  const connection = new ViewConnection({
    toKernel,
    ask: () => {
      if (!signal.aborted) model.send({ type: 'direct', asker } satisfies DirectRequest);
    },
    receive,
    transport: (transport) => {
      stats.transport = transport;
      canvas.dataset.transport = transport;
    },
    signal,
  });
  const choose = (): void => {
    connection.choice = model.get('transport');
  };
  onChange(model, ['transport'], choose, signal);
  choose();
  const offers = offersOf(model, signal);
  offers.listen(asker, (offer) => void connection.offer(offer), signal);
  void connection.offer(offers.take());

  onChange(model, ['status', 'error'], show, signal);
  show();

  const send = (event: InputEvent): void => connection.send(event);
  const relayout = observeLayout(
    el,
    [canvas, stillElement],
    () => ({ width: model.get('width'), height: model.get('height') }),
    send,
    signal,
  );
  onChange(model, ['width', 'height'], relayout, signal);
  listenInput(canvas, send, () => connection.coalescing, signal);
  // Clicks are for the kernel (it picks and calls back), whichever way input and frames travel.
  listenClicks(canvas, toKernel, signal);
  return cleanup;
}
