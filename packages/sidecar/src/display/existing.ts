// Check whether the DISPLAY we inherited answers, so a desktop session is used rather than replaced.
import { execa } from 'execa';
import { which } from './which.js';

// True when `xdpyinfo` can talk to `name` and it advertises GLX.
export async function displayAnswers(name: string, timeoutMs = 5_000): Promise<boolean> {
  const xdpyinfo = await which('xdpyinfo');
  if (xdpyinfo === undefined) return false;
  const result = await execa(xdpyinfo, ['-display', name], { reject: false, timeout: timeoutMs });
  return result.exitCode === 0 && /\bGLX\b/.test(result.stdout);
}
