// Whether this machine has an ffmpeg that can encode H.264 (libx264), and which one.
import { execa } from 'execa';

// The ffmpeg found, its version line, and whether it has libx264; `error` says why not when it is unusable.
export interface FfmpegInfo {
  path: string;
  version: string | null;
  h264: boolean;
  error: string | null;
}

let probed: Promise<FfmpegInfo> | undefined;

// The ffmpeg named by $GLSTREAM_FFMPEG, else the one on PATH. Asked once per process: it does not change.
export function probeFfmpeg(): Promise<FfmpegInfo> {
  probed ??= ask(process.env.GLSTREAM_FFMPEG || 'ffmpeg');
  return probed;
}

// Ask `path` for its version and encoders.
export async function ask(path: string): Promise<FfmpegInfo> {
  const run = (args: string[]) => execa(path, ['-hide_banner', ...args], { reject: false, timeout: 10_000 });
  const [version, encoders] = await Promise.all([run(['-version']), run(['-encoders'])]);
  if (version.exitCode !== 0) {
    // Not found or not runnable: execa's short message names the errno (ENOENT); else ffmpeg's own words.
    const why = (version.exitCode === undefined ? version.shortMessage : version.stderr) ?? '';
    return { path, version: null, h264: false, error: why.split('\n')[0] || `exit code ${version.exitCode}` };
  }
  const h264 = /^\s*V\S*\s+libx264\s/m.test(encoders.stdout);
  return {
    path,
    // "ffmpeg version 5.1.9-0+deb12u1 Copyright (c) …": the version without the notice.
    version: /^\S+ version \S+/.exec(version.stdout)?.[0] ?? null,
    h264,
    error: h264 ? null : 'this ffmpeg has no libx264 encoder',
  };
}
