// The kernel's offers of a direct connection, kept per model from anywidget's initialize(): an offer sent before
// any view renders waits for the first view; each ticket goes to one view; an answer goes to the view that asked.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ViewerModel } from '../src/model.js';
import { DirectOffers, initialize, offersOf, readOffer } from '../src/offers.js';

// A model as anywidget's proxies show it: `layout` is the model's Layout object; custom messages can be fired.
function fakeModel(layout: unknown = {}) {
  const listeners = new Set<(content: unknown) => void>();
  const model = {
    get: (name: string) => (name === 'layout' ? layout : undefined),
    send: () => undefined,
    on: (_event: string, callback: (content: unknown) => void) => listeners.add(callback),
    off: (_event: string, callback: (content: unknown) => void) => listeners.delete(callback),
  } as unknown as ViewerModel;
  const fire = (content: unknown) => {
    for (const listener of [...listeners]) listener(content);
  };
  return { model, fire, listeners };
}

const offer = (key: string, extra: object = {}) => ({ type: 'direct', port: 4000, key, view: 'v1', ...extra });

test('offers are read strictly; anything else is not an offer', () => {
  assert.deepEqual(readOffer(offer('k')), { offer: { port: 4000, key: 'k', view: 'v1' }, asker: undefined });
  assert.deepEqual(readOffer({ type: 'direct', port: null, asker: 'a' }), { offer: null, asker: 'a' });
  for (const content of [
    null,
    'direct',
    { type: 'frame', port: 1, key: 'k', view: 'v' },
    { type: 'direct' },
    { type: 'direct', port: 0, key: 'k', view: 'v1' },
    { type: 'direct', port: 4000, key: '', view: 'v1' },
    { type: 'direct', port: 4000.5, key: 'k', view: 'v1' },
  ]) {
    assert.equal(readOffer(content), undefined, JSON.stringify(content));
  }
});

test('an offer that came before any view renders is kept for the first view, once', () => {
  const { model, fire } = fakeModel();
  initialize({ model });
  fire(offer('early'));
  fire({ type: 'frame', seq: 1 });
  const offers = offersOf(model, new AbortController().signal);
  assert.deepEqual(offers.take(), { port: 4000, key: 'early', view: 'v1' });
  assert.equal(offers.take(), undefined, 'the ticket is handed out once');
});

test('a view that renders later finds the same offers through another proxy of the model', () => {
  const layout = {};
  const forInitialize = fakeModel(layout);
  const forRender = fakeModel(layout);
  initialize({ model: forInitialize.model });
  forInitialize.fire(offer('kept'));
  const offers = offersOf(forRender.model, new AbortController().signal);
  assert.equal(forRender.listeners.size, 0, 'the view does not listen itself');
  assert.equal(offers.take()?.key, 'kept');
});

test('without initialize() the view listens itself, until it is removed', () => {
  const { model, fire, listeners } = fakeModel(undefined);
  const removed = new AbortController();
  const offers = offersOf(model, removed.signal);
  assert.equal(offers.take(), undefined);
  fire(offer('late'));
  assert.equal(offers.take()?.key, 'late');
  removed.abort();
  assert.equal(listeners.size, 0);
});

test('each ticket goes to one view; the others hear that they must ask; "comm only" reaches all', () => {
  const offers = new DirectOffers();
  const heard: Record<string, unknown[]> = { a: [], b: [] };
  const gone = new AbortController();
  offers.listen('a', (o) => heard.a!.push(o), new AbortController().signal);
  offers.listen('b', (o) => heard.b!.push(o), gone.signal);
  offers.receive(offer('one'));
  assert.deepEqual(heard, { a: [{ port: 4000, key: 'one', view: 'v1' }], b: [undefined] });
  offers.receive({ type: 'direct', port: null });
  assert.deepEqual(heard.a!.at(-1), null);
  assert.deepEqual(heard.b!.at(-1), null);
  offers.receive(offer('for-b', { asker: 'b' }));
  assert.equal(heard.a!.length, 2, 'an answer to b is not offered to a');
  assert.deepEqual(heard.b!.at(-1), { port: 4000, key: 'for-b', view: 'v1' });
  gone.abort();
  offers.receive(offer('two'));
  assert.equal(heard.b!.length, 3, 'a removed view hears nothing more');
  assert.equal(offers.take(), undefined, 'the remaining view took it');
});
