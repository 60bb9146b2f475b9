// What the frame encoder (sharp over libvips) can do here.
import sharp from 'sharp';

const WANTED = ['jpeg', 'png', 'webp'] as const;

// sharp's and libvips' versions and which of the streamed formats it can write to a buffer.
export interface EncoderInfo {
  sharp: string;
  libvips: string;
  formats: string[];
}

// Ask sharp about itself.
export function describeEncoder(): EncoderInfo {
  const formats = WANTED.filter(
    (name) =>
      (sharp.format as unknown as Record<string, { output?: { buffer?: boolean } } | undefined>)[name]?.output
        ?.buffer === true,
  );
  return { sharp: sharp.versions.sharp ?? 'unknown', libvips: sharp.versions.vips, formats };
}

// The formats glstream streams that this sharp cannot write.
export function missingFormats(info: EncoderInfo): string[] {
  return WANTED.filter((name) => !info.formats.includes(name));
}
