// H.264 as WebCodecs takes it without a description: Annex B (start codes), the parameter sets in each key frame.

const START_CODE = Buffer.from([0, 0, 0, 1]);

// What the decoder configuration record (avcC) holds: the codec string and the parameter sets.
export interface AvcConfig {
  // WebCodecs' codec string, e.g. avc1.42c01f (profile, constraints, level).
  codec: string;
  lengthSize: number;
  parameterSets: Buffer[];
}

// Read an AVCDecoderConfigurationRecord (ISO/IEC 14496-15, 5.3.3.1).
export function readAvcConfig(record: Buffer): AvcConfig {
  if (record.length < 7 || record.readUInt8(0) !== 1) throw new TypeError('not an AVC decoder configuration record');
  const hex = (byte: number): string => byte.toString(16).padStart(2, '0');
  const parameterSets: Buffer[] = [];
  let at = 5;
  for (const mask of [0x1f, 0xff]) {
    const count = record.readUInt8(at) & mask;
    at += 1;
    for (let i = 0; i < count; i += 1) {
      const length = record.readUInt16BE(at);
      parameterSets.push(record.subarray(at + 2, at + 2 + length));
      at += 2 + length;
    }
  }
  return {
    codec: `avc1.${hex(record.readUInt8(1))}${hex(record.readUInt8(2))}${hex(record.readUInt8(3))}`,
    lengthSize: (record.readUInt8(4) & 0x03) + 1,
    parameterSets,
  };
}

// One frame's length-prefixed NAL units as Annex B; a key frame starts with the parameter sets, so a decoder
// can start from any key frame.
export function toAnnexB(frame: Buffer, config: AvcConfig, key: boolean): Buffer {
  const parts: Buffer[] = [];
  if (key) for (const set of config.parameterSets) parts.push(START_CODE, set);
  let at = 0;
  while (at + config.lengthSize <= frame.length) {
    const length = frame.readUIntBE(at, config.lengthSize);
    at += config.lengthSize;
    if (at + length > frame.length) throw new TypeError('a NAL unit runs past the end of its frame');
    parts.push(START_CODE, frame.subarray(at, at + length));
    at += length;
  }
  return Buffer.concat(parts);
}
