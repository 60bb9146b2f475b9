// How the chain looks at the machine: an environment (PATH finds stand-ins in tests), paths, timeouts.
import { execa } from 'execa';
import { which } from './which.js';

// What every probe of the chain reads; tests replace any part of it.
export interface Probe {
  env: NodeJS.ProcessEnv;
  driDir: string;
  eglVendorDir: string;
  readyTimeoutMs: number;
  probeTimeoutMs: number;
}

// A finished probe command: whether it exited 0, and its stdout and stderr interleaved.
export interface Ran {
  ok: boolean;
  stdout: string;
  output: string;
}

// The probe settings, defaulting to this process' environment and the real device paths.
export function probeOf(options: Partial<Probe> = {}): Probe {
  return {
    env: process.env,
    driDir: '/dev/dri',
    eglVendorDir: '/usr/share/glvnd/egl_vendor.d',
    readyTimeoutMs: 20_000,
    probeTimeoutMs: 10_000,
    ...options,
  };
}

// Resolve `command` on the probe's PATH (and `extra` directories after it).
export function find(probe: Probe, command: string, extra = ''): Promise<string | undefined> {
  return which(command, [probe.env['PATH'] ?? '', extra].filter((part) => part !== '').join(':'));
}

// Run `file` with the probe's environment plus `overlay`; never rejects.
export async function run(
  probe: Probe,
  file: string,
  args: string[],
  overlay: Record<string, string> = {},
): Promise<Ran> {
  const result = await execa(file, args, {
    env: { ...probe.env, ...overlay },
    extendEnv: false,
    reject: false,
    timeout: probe.probeTimeoutMs,
    all: true,
    stdin: 'ignore',
  });
  const printed = result.all ?? '';
  const output = result.timedOut
    ? `${printed}\n(killed after ${probe.probeTimeoutMs} ms)`
    : result.exitCode === undefined
      ? `${printed}\n${result.shortMessage}`
      : printed;
  return { ok: result.exitCode === 0, stdout: result.stdout ?? '', output };
}
