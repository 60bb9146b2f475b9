// The sidecar must not outlive its kernel: notice when the parent process goes away.

// Call `onOrphaned` once when this process is re-parented (its parent died).
export function watchParent(onOrphaned: () => void, intervalMs = 1_000): void {
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid !== parent) {
      clearInterval(timer);
      onOrphaned();
    }
  }, intervalMs);
  timer.unref();
}
