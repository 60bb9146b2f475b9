// Pixel comparisons between what the browser painted and what the sidecar rendered.
import sharp from 'sharp';

// An RGB image as raw bytes.
export interface Rgb {
  data: Buffer;
  width: number;
  height: number;
}

// Decode any image sharp reads (PNG or JPEG bytes, a file path) to raw RGB.
export async function decodeRgb(input: Uint8Array | string): Promise<Rgb> {
  const { data, info } = await sharp(input).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

// Mean absolute difference per channel, 0..255; the images must be the same size.
export function meanAbsDiff(a: Rgb, b: Rgb): number {
  if (a.width !== b.width || a.height !== b.height)
    throw new Error(`sizes differ: ${a.width}x${a.height} vs ${b.width}x${b.height}`);
  let sum = 0;
  for (let i = 0; i < a.data.length; i += 1) sum += Math.abs(a.data[i]! - b.data[i]!);
  return sum / a.data.length;
}

// The image upside down.
export function flipRows(image: Rgb): Rgb {
  const row = image.width * 3;
  const data = Buffer.alloc(image.data.length);
  for (let y = 0; y < image.height; y += 1) image.data.copy(data, (image.height - 1 - y) * row, y * row, (y + 1) * row);
  return { ...image, data };
}

// Mean and standard deviation of all channels: a blank or black frame has a tiny deviation or mean.
export function stats(image: Rgb): { mean: number; deviation: number } {
  let sum = 0;
  let squares = 0;
  for (const value of image.data) {
    sum += value;
    squares += value * value;
  }
  const mean = sum / image.data.length;
  return { mean, deviation: Math.sqrt(squares / image.data.length - mean * mean) };
}

// The share of pixels whose red is over 60 and over their green: how much of a view a red object covers.
export function redShare(image: Rgb): number {
  let red = 0;
  for (let i = 0; i < image.data.length; i += 3)
    if (image.data[i]! > 60 && image.data[i + 1]! < image.data[i]!) red += 1;
  return red / (image.width * image.height);
}
