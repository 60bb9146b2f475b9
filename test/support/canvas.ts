// What a glstream canvas shows: its pixels, and the data attributes the painter and the connection set.
import type { Locator, Page } from 'playwright-core';
import { decodeRgb, type Rgb } from './images.js';
import { waitFor } from './wait.js';

// What a canvas showed at one moment.
export interface Painted {
  image: Rgb;
  seq: number;
  still: boolean;
  mime: string;
  transport: string;
}

// A canvas' current pixels, the sequence number, kind and mime of its last frame, and its transport.
export async function painted(canvas: Locator): Promise<Painted> {
  const { url, seq, still, mime, transport } = await canvas.evaluate((element: HTMLCanvasElement) => ({
    url: element.toDataURL('image/png'),
    seq: Number(element.dataset['seq']),
    still: element.dataset['still'] === 'true',
    mime: element.dataset['mime'] ?? '',
    transport: element.dataset['transport'] ?? '',
  }));
  return { image: await decodeRgb(Buffer.from(url.split(',')[1]!, 'base64')), seq, still, mime, transport };
}

// Drag from the middle of `canvas` with the primary button (20 moves right and a little down), then wait for the
// still painted after `before`: the picture the drag left.
export async function dragToNewStill(page: Page, canvas: Locator, before: Painted, what: string): Promise<Painted> {
  await canvas.scrollIntoViewIfNeeded();
  const box = (await canvas.boundingBox())!;
  const [x, y] = [box.x + box.width / 2, box.y + box.height / 2];
  await page.mouse.move(x, y);
  await page.mouse.down();
  for (let step = 1; step <= 20; step += 1) await page.mouse.move(x + step * 8, y + step * 2);
  await page.mouse.up();
  return await waitFor(
    async () => {
      const now = await painted(canvas);
      return now.still && now.seq > before.seq ? now : null;
    },
    30_000,
    what,
  );
}
