// Split ffmpeg's FLV output into its video tags. FLV frames each packet with its length, so a tag is known to be
// whole the moment its last byte arrives: no waiting for the next frame's start, as raw H.264 would need.

const FILE_HEADER = 9;
const PREVIOUS_SIZE = 4;
const TAG_HEADER = 11;
const VIDEO_TAG = 9;
const AVC_CODEC = 7;
const KEY_FRAME = 1;

// One video tag: the decoder configuration (avcC) or one frame's NAL units, each prefixed by its length.
export type FlvVideo = { kind: 'config'; data: Buffer } | { kind: 'frame'; key: boolean; data: Buffer };

// Reads an FLV byte stream piece by piece and yields its H.264 video tags whole.
export class FlvReader {
  #pending: Buffer = Buffer.alloc(0);
  #headerRead = false;

  // Take the next bytes of the stream; returns the video tags they completed. Throws a TypeError on bytes that
  // are not FLV with H.264 (a different ffmpeg build, or a bug), which the encoder reports as its failure.
  push(bytes: Buffer): FlvVideo[] {
    this.#pending = this.#pending.length === 0 ? bytes : Buffer.concat([this.#pending, bytes]);
    const tags: FlvVideo[] = [];
    let at = 0;
    if (!this.#headerRead) {
      if (this.#pending.length < FILE_HEADER + PREVIOUS_SIZE) return tags;
      if (this.#pending.toString('latin1', 0, 3) !== 'FLV')
        throw new TypeError('the encoder wrote something other than FLV');
      at = this.#pending.readUInt32BE(5) + PREVIOUS_SIZE;
      this.#headerRead = true;
    }
    while (this.#pending.length - at >= TAG_HEADER) {
      const size = this.#pending.readUIntBE(at + 1, 3);
      const end = at + TAG_HEADER + size + PREVIOUS_SIZE;
      if (this.#pending.length < end) break;
      if (this.#pending.readUInt8(at) === VIDEO_TAG) {
        const tag = readVideo(this.#pending.subarray(at + TAG_HEADER, at + TAG_HEADER + size));
        if (tag !== null) tags.push(tag);
      }
      at = end;
    }
    this.#pending = this.#pending.subarray(at);
    return tags;
  }
}

function readVideo(body: Buffer): FlvVideo | null {
  const flags = body.readUInt8(0);
  if ((flags & 0x0f) !== AVC_CODEC) throw new TypeError(`the encoder wrote FLV video of codec ${flags & 0x0f}`);
  // AVCPacketType (0: configuration, 1: NAL units, 2: end of sequence) and a 3-byte composition time.
  const packetType = body.readUInt8(1);
  const data = Buffer.from(body.subarray(5));
  if (packetType === 0) return { kind: 'config', data };
  if (packetType === 1) return { kind: 'frame', key: flags >> 4 === KEY_FRAME, data };
  return null;
}
