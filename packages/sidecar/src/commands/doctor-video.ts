// The doctor's word on interactive video: which ffmpeg encodes H.264 here, or how to get one. Without it nothing
// breaks (interactive frames stay JPEG), so it is a problem with a fix, not a failure.
import type { FfmpegInfo } from '../stream/video/ffmpeg.js';
import type { Problem } from './doctor.js';

// Where ffmpeg with libx264 comes from (Fedora's own ffmpeg-free leaves libx264 out; RPM Fusion's has it).
export const FFMPEG_FIX =
  'Debian/Ubuntu: apt-get install ffmpeg; Fedora: dnf install ffmpeg (from RPM Fusion); ' +
  'conda-forge: conda install -c conda-forge ffmpeg; or set GLSTREAM_FFMPEG to an ffmpeg with libx264';

// The problem a missing or unfit ffmpeg is, if any.
export function videoProblems(info: FfmpegInfo): Problem[] {
  if (info.error === null) return [];
  return [{ problem: `no H.264 encoder, interactive frames stay JPEG: ${info.path}: ${info.error}`, fix: FFMPEG_FIX }];
}

// The report's line for a person.
export function formatVideo(info: FfmpegInfo): string {
  if (info.error === null) return `video:    H.264 (libx264) by ${info.path}, ${info.version ?? 'version unknown'}`;
  return `video:    none (${info.error}): interactive frames stay JPEG`;
}
