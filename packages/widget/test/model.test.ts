// The view's listeners on anywidget's model: added for the traits asked, and each taken off again when the view goes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type CustomHandler, onChange, onCustom, type ViewerModel } from '../src/model.js';

// A model recording on() and off() calls, that can fire its events.
function recordingModel() {
  const listeners = new Map<string, Set<(...args: never[]) => void>>();
  const model = {
    get: () => undefined as never,
    send: () => undefined,
    on(event: string, callback: (...args: never[]) => void) {
      listeners.set(event, (listeners.get(event) ?? new Set()).add(callback));
    },
    off(event: string, callback: (...args: never[]) => void) {
      listeners.get(event)?.delete(callback);
    },
  } as ViewerModel;
  const fire = (event: string, ...args: unknown[]) => {
    for (const callback of listeners.get(event) ?? []) (callback as (...args: unknown[]) => void)(...args);
  };
  const count = () => [...listeners.values()].reduce((sum, set) => sum + set.size, 0);
  return { model, fire, count };
}

test('changes of the named traits call back until the view is removed', () => {
  const { model, fire, count } = recordingModel();
  const controller = new AbortController();
  let changes = 0;
  onChange(model, ['width', 'height'], () => (changes += 1), controller.signal);
  fire('change:width');
  fire('change:height');
  fire('change:status');
  assert.equal(changes, 2);
  controller.abort();
  assert.equal(count(), 0, 'every listener is taken off');
  fire('change:width');
  assert.equal(changes, 2);
});

test("custom messages reach the view with their buffers, as anywidget's model passes them", () => {
  const { model, fire, count } = recordingModel();
  const controller = new AbortController();
  const received: Parameters<CustomHandler>[] = [];
  onCustom(model, (content, buffers) => received.push([content, buffers]), controller.signal);
  const buffers = [new DataView(new ArrayBuffer(2))];
  fire('msg:custom', { type: 'frame' }, buffers);
  assert.deepEqual(received, [[{ type: 'frame' }, buffers]]);
  controller.abort();
  assert.equal(count(), 0);
});
