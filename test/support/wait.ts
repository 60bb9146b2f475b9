// Wait on a condition, polling, with a timeout: the one way the tests and benchmarks synchronise.
const POLL_MS = 50;

// Resolve with the first truthy value of `probe`, or fail after `timeoutMs` naming `what`.
export async function waitFor<T>(
  probe: () => T | Promise<T>,
  timeoutMs: number,
  what: string,
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
