// Anti-aliased stills: headless-gl has no multisampling, so a still is drawn at STILL_SAMPLES times its size
// per side and each 2x2 block of pixels is averaged into one: ordered-grid supersampling with 4 samples a
// pixel, as smooth as 4x MSAA. sharp has no box reduction (each of its resize kernels reaches past the block, so
// a lone dark sample spreads into its neighbours); this loop takes about 20 ms for a 1280x720 still.
import type { Pixels } from './renderer.js';

export const STILL_SAMPLES = 2;

// The factor to draw a width x height still at: STILL_SAMPLES, or 1 when the bigger picture would pass
// `maxSide`, the GL's biggest drawing buffer side (the smaller of MAX_RENDERBUFFER_SIZE and MAX_VIEWPORT_DIMS).
export function stillFactor(width: number, height: number, maxSide: number): number {
  return Math.max(width, height) * STILL_SAMPLES <= maxSide ? STILL_SAMPLES : 1;
}

// Average each 2x2 block of RGBA `pixels` (even sides: drawn at STILL_SAMPLES) into one pixel, rounding to
// nearest, into a new buffer; rows keep their order, bottom-up or top-down.
export function reduce(pixels: Pixels): Pixels {
  const { data, width, height } = pixels;
  if (width % STILL_SAMPLES !== 0 || height % STILL_SAMPLES !== 0) {
    throw new Error(`cannot reduce ${width}x${height} pixels: the sides must be multiples of ${STILL_SAMPLES}`);
  }
  const outWidth = width / STILL_SAMPLES;
  const outHeight = height / STILL_SAMPLES;
  const out = new Uint8Array(outWidth * outHeight * 4);
  const stride = width * 4;
  let o = 0;
  for (let y = 0; y < outHeight; y++) {
    // a walks the block's first row, b its second; each steps one pixel per channel loop and one more after it.
    let a = 2 * y * stride;
    let b = a + stride;
    for (let x = 0; x < outWidth; x++, a += 4, b += 4) {
      for (let c = 0; c < 4; c++, a++, b++) out[o++] = (data[a]! + data[a + 4]! + data[b]! + data[b + 4]! + 2) >> 2;
    }
  }
  return { data: out, width: outWidth, height: outHeight };
}
