// Debian's Chromium driven by playwright-core: never a downloaded browser.
import { chromium, type Browser } from 'playwright-core';

// Launch headless Chromium with the flags this sandboxed, offline machine needs.
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
}
