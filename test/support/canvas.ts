// What a glstream canvas shows: its pixels, and the data attributes the painter and the connection set.
import type { Locator } from 'playwright-core';
import { decodeRgb, type Rgb } from './images.js';

// A canvas' current pixels, the sequence number, kind and mime of its last frame, and its transport.
export async function painted(
  canvas: Locator,
): Promise<{ image: Rgb; seq: number; still: boolean; mime: string; transport: string }> {
  const { url, seq, still, mime, transport } = await canvas.evaluate((element: HTMLCanvasElement) => ({
    url: element.toDataURL('image/png'),
    seq: Number(element.dataset['seq']),
    still: element.dataset['still'] === 'true',
    mime: element.dataset['mime'] ?? '',
    transport: element.dataset['transport'] ?? '',
  }));
  return { image: await decodeRgb(Buffer.from(url.split(',')[1]!, 'base64')), seq, still, mime, transport };
}
