// Run async jobs one after another: the GL context and its pixel buffer serve one frame at a time.

// A queue of jobs that never overlap; a failed job does not stop the ones after it.
export class Serial {
  #tail: Promise<unknown> = Promise.resolve();

  // Run `job` after every job queued before it.
  run<T>(job: () => Promise<T>): Promise<T> {
    const result = this.#tail.then(job);
    this.#tail = result.catch(() => undefined);
    return result;
  }
}
