// The VTK side as a long-lived Python process on the current DISPLAY, driven one JSON line at a time.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const PYTHON = fileURLToPath(new URL('../.venv/bin/python', import.meta.url));
const SCRIPT = fileURLToPath(new URL('vtk_pipeline.py', import.meta.url));

// Start vtk_pipeline.py with `multisamples`; ask() sends a command and resolves with its answer.
export function startVtk(multisamples: number): {
  ask: (command: object) => Promise<Record<string, unknown>>;
  close: () => Promise<void>;
} {
  const child = spawn(PYTHON, [SCRIPT, String(multisamples)], { stdio: ['pipe', 'pipe', 'inherit'], env: process.env });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    async ask(command) {
      child.stdin.write(`${JSON.stringify(command)}\n`);
      const { value, done } = await lines.next();
      if (done === true) throw new Error(`vtk_pipeline.py exited (${child.exitCode ?? child.signalCode})`);
      return JSON.parse(value) as Record<string, unknown>;
    },
    async close() {
      child.stdin.end();
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
