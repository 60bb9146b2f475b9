// Encode RGBA pixels with sharp, flipping bottom-up rows (GL's and VTK's order) during the encode.
import sharp from 'sharp';
import type { Pixels } from '../render/renderer.js';

export type Mime = 'image/jpeg' | 'image/png';

// Every frame is a new image, so sharp's operation cache only costs: about 30% of a JPEG encode here.
sharp.cache(false);

// JPEG quality from which colour keeps full resolution (the near-lossless still); below it, 4:2:0.
const FULL_CHROMA_QUALITY = 90;

// JPEG for frames during interaction (and a near-lossless still), PNG for the lossless still.
export async function encode(
  pixels: Pixels,
  mime: Mime,
  quality = 80,
  rows: 'bottom-up' | 'top-down' = 'bottom-up',
): Promise<Buffer> {
  const raw = sharp(pixels.data, { raw: { width: pixels.width, height: pixels.height, channels: 4 } });
  const image = (rows === 'bottom-up' ? raw.flip() : raw).removeAlpha();
  if (mime === 'image/jpeg') {
    return image
      .jpeg({ quality, optimiseCoding: false, chromaSubsampling: quality >= FULL_CHROMA_QUALITY ? '4:4:4' : '4:2:0' })
      .toBuffer();
  }
  return image.png({ compressionLevel: 3, adaptiveFiltering: false }).toBuffer();
}
