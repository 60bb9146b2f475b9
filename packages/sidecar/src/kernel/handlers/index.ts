// The table of request handlers, by method name. A new request is one handler in the module of its family, plus
// its test; the session looks the method up here.
import type { Session } from '../session.js';
import type { Params } from '../params.js';
import { cameraHandlers } from './camera.js';
import { captureHandlers } from './capture.js';
import { directHandlers } from './direct.js';
import { objectHandlers } from './objects.js';
import { snapshotHandlers } from './snapshot.js';
import { startHandlers } from './start.js';
import { viewHandlers } from './views.js';

// A request's answer: a JSON result and, for some, raw bytes.
export interface Outcome {
  result: Record<string, unknown>;
  payload?: Uint8Array;
}

// Answers one request; throws a GlstreamError (usually an InputError) naming what is wrong.
export type Handler = (session: Session, params: Params, buffers: Uint8Array[]) => Promise<Outcome>;

// Every method the kernel may call, but "shutdown", which the serve loop answers by ending the process.
export const HANDLERS: ReadonlyMap<string, Handler> = new Map(
  Object.entries({
    ...startHandlers,
    ...directHandlers,
    ...viewHandlers,
    ...objectHandlers,
    ...cameraHandlers,
    ...snapshotHandlers,
    ...captureHandlers,
  }),
);
