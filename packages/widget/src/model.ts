// The part of anywidget's model a view uses: the Viewer's synced state, its change events, and custom messages.
// anywidget hands render() a proxy of the ipywidgets model whose on()/off() are bound to the view.
import type { TransportChoice } from './endpoints.js';

// The Viewer's synced traits (python-shim/glstream/_live.py), as the kernel sets them.
export interface ViewerState {
  // Requested CSS size.
  width: number;
  height: number;
  // Shown while connecting, and the renderer's error.
  status: string;
  error: string;
  show_stats: boolean;
  transport: TransportChoice;
  // The widget's Layout model (ipywidgets'), an object unique to this model.
  layout: unknown;
  // A PNG of the view's last still (a DataView; empty until the kernel has one).
  _still: unknown;
}

// A custom message from the kernel: its content and binary buffers (DataViews in ipywidgets 8).
export type CustomHandler = (content: unknown, buffers?: readonly unknown[]) => void;

// anywidget's model (AnyModel), narrowed to what the view calls.
export interface ViewerModel {
  get<Name extends keyof ViewerState>(name: Name): ViewerState[Name];
  on(event: 'msg:custom', callback: CustomHandler): void;
  on(event: `change:${keyof ViewerState}`, callback: () => void): void;
  off(event: string, callback: (...args: never[]) => void): void;
  send(content: object, callbacks?: unknown, buffers?: ArrayBuffer[] | ArrayBufferView[]): void;
}

// Call `changed` whenever any of the traits `names` changes, until the signal aborts.
export function onChange(
  model: ViewerModel,
  names: readonly (keyof ViewerState)[],
  changed: () => void,
  signal: AbortSignal,
): void {
  for (const name of names) {
    const event = `change:${name}` as const;
    model.on(event, changed);
    signal.addEventListener('abort', () => model.off(event, changed), { once: true });
  }
}

// Pass the kernel's custom messages to `receive` until the signal aborts.
export function onCustom(model: ViewerModel, receive: CustomHandler, signal: AbortSignal): void {
  model.on('msg:custom', receive);
  signal.addEventListener('abort', () => model.off('msg:custom', receive), { once: true });
}
