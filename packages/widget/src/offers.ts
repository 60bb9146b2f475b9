// The kernel's offers of a way to the renderer, `{"type": "direct", "port", "key", "view"}` or `{"port": null}`,
// kept per model: anywidget's initialize() hook listens from the model's creation, so an offer sent before any view
// renders waits here. A ticket is good for one connection, so each offer's ticket goes to one view; the others
// (the same output shown twice) ask the kernel for their own, and its answer names the asker.
import { type DirectInfo, readDirect } from './endpoints.js';
import type { ViewerModel } from './model.js';

// What an offer says: the direct server and a ticket, or null for "the comm only".
export type Offer = DirectInfo | null;

// What a view hears: an offer, or `undefined` when the kernel offered anew but another view took the ticket.
export type OfferListener = (offer: Offer | undefined) => void;

// The message a view sends to ask the kernel for an offer of its own.
export interface DirectRequest {
  type: 'direct';
  asker: string;
}

// Read a custom message: undefined when it is not an offer, else what it offers and to whom.
export function readOffer(content: unknown): { offer: Offer; asker: string | undefined } | undefined {
  if (content === null || typeof content !== 'object') return undefined;
  const { type, port, asker } = content as Record<string, unknown>;
  if (type !== 'direct') return undefined;
  const to = typeof asker === 'string' ? asker : undefined;
  if (port === null) return { offer: null, asker: to };
  const info = readDirect(content);
  return info === null ? undefined : { offer: info, asker: to };
}

// One model's offers and the views listening to them.
export class DirectOffers {
  #unused: Offer | undefined;
  readonly #views = new Map<string, OfferListener>();

  // A custom message from the kernel; anything but an offer is ignored.
  receive(content: unknown): void {
    const read = readOffer(content);
    if (read === undefined) return;
    if (read.asker !== undefined) {
      this.#views.get(read.asker)?.(read.offer);
      return;
    }
    this.#unused = read.offer;
    for (const listener of this.#views.values()) listener(this.take());
  }

  // The latest offer no view has taken (its ticket is then used up); undefined when there is none.
  take(): Offer | undefined {
    const offer = this.#unused;
    if (offer !== null) this.#unused = undefined;
    return offer;
  }

  // Hand view `asker` the offers made to all and those answering its own requests, until `signal` aborts.
  listen(asker: string, listener: OfferListener, signal: AbortSignal): void {
    this.#views.set(asker, listener);
    signal.addEventListener('abort', () => this.#views.delete(asker), { once: true });
  }
}

// The offers of models anywidget initialized, keyed by the model's Layout model: render() is given a different
// proxy of the model than initialize(), and the Layout (a child model every ipywidgets DOM widget has) is an object
// both proxies return.
const BY_MODEL = new WeakMap<object, DirectOffers>();

const keyOf = (model: ViewerModel): object | undefined => {
  const layout = model.get('layout');
  return typeof layout === 'object' && layout !== null ? layout : undefined;
};

// anywidget's initialize() hook: keep this model's offers from now on.
export function initialize({ model }: { model: ViewerModel }): void {
  const key = keyOf(model);
  if (key === undefined || BY_MODEL.has(key)) return;
  const offers = new DirectOffers();
  BY_MODEL.set(key, offers);
  model.on('msg:custom', (content) => offers.receive(content));
}

// The offers of the model a view shows: those initialize() kept, else (a front end that never called it) ones
// the view listens for itself until `signal` aborts.
export function offersOf(model: ViewerModel, signal: AbortSignal): DirectOffers {
  const key = keyOf(model);
  const kept = key === undefined ? undefined : BY_MODEL.get(key);
  if (kept !== undefined) return kept;
  const offers = new DirectOffers();
  const receive = (content: unknown): void => offers.receive(content);
  model.on('msg:custom', receive);
  signal.addEventListener('abort', () => model.off('msg:custom', receive), { once: true });
  return offers;
}
