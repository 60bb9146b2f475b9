// Debian's Chromium driven by playwright-core: never a downloaded browser.
import { chromium, type Browser, type Page } from 'playwright-core';

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

// A page of `height` CSS pixels at device pixel ratio 1 (canvas pixels are frame pixels), whose glstream
// console messages are echoed to the test's log.
export async function glstreamPage(browser: Browser, height = 1000): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height }, deviceScaleFactor: 1 });
  page.on('console', (message) => {
    if (message.text().includes('glstream')) console.log(`[browser] ${message.text()}`);
  });
  return page;
}
