// Obtain a display for GL: the inherited one when it works (unless headless is forced), else a new Xvfb.
import { displayAnswers } from './existing.js';
import { startXvfb, type XvfbOptions } from './xvfb.js';

// The display GL renders on, and how it was obtained.
export interface Display {
  name: string;
  source: 'existing' | 'xvfb';
  pid: number | null;
  stop(): Promise<void>;
}

export interface DisplayOptions extends XvfbOptions {
  forceHeadless?: boolean;
}

// Find or start a display and point this process' DISPLAY at it.
export async function obtainDisplay(options: DisplayOptions = {}): Promise<Display> {
  const inherited = process.env['DISPLAY'];
  if (!options.forceHeadless && inherited !== undefined && inherited !== '' && (await displayAnswers(inherited))) {
    return { name: inherited, source: 'existing', pid: null, stop: async () => {} };
  }
  const server = await startXvfb(options);
  process.env['DISPLAY'] = server.name;
  return { name: server.name, source: 'xvfb', pid: server.pid, stop: server.stop };
}

export { serverFiles } from './server-files.js';
