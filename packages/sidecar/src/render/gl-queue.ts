// The one GL context serves one job at a time: a frame is drawn and read back (into a buffer the encoder then
// owns) before the next job draws; encoding runs off the queue, beside the next frame's draw.

// A queue of jobs that never overlap; a failed job does not stop the ones after it.
export class GlQueue {
  #tail: Promise<unknown> = Promise.resolve();
  readonly #onJob: () => void;

  // `onJob` is told of each job as it starts (the session's idle clock).
  constructor(onJob: () => void = () => {}) {
    this.#onJob = onJob;
  }

  // Run `job` after every job queued before it. When `signal` is aborted before the job's turn comes, the job
  // never runs and the promise rejects with the signal's reason: a closed view's queued frame draws nothing.
  run<T>(job: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    const result = this.#tail.then(() => {
      signal?.throwIfAborted();
      this.#onJob();
      return job();
    });
    this.#tail = result.catch(() => undefined);
    return result;
  }

  // Resolves once every job queued so far has settled.
  idle(): Promise<void> {
    return this.#tail.then(() => undefined);
  }
}
