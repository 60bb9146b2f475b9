// Binary framing of the stdio channel between the Python shim and the sidecar.
// Mirrored byte for byte by python-shim/glstream/_protocol.py (same names, same layout).
//
//   offset size  field
//   0      4     MAGIC           ASCII "GLST"
//   4      1     kind            one of Kind
//   5      1     flags           reserved, 0
//   6      2     reserved        0
//   8      4     meta length     bytes of UTF-8 JSON that follow the header
//   12     4     payload length  raw bytes that follow the JSON
//   All integers little-endian.

export const MAGIC = 0x5453_4c47;
export const HEADER_SIZE = 16;
export const MAX_META_BYTES = 1 << 20;
export const MAX_PAYLOAD_BYTES = 1 << 30;

// Message kinds on the stdio channel.
export const Kind = {
  HELLO: 1,
  REQUEST: 2,
  REPLY: 3,
  EVENT: 4,
  FRAME: 5,
  NOTICE: 6,
  // The sidecar asks the kernel for a frame of a window rendered there (VTK), or hands it that window's input.
  CAPTURE: 7,
} as const;
export type Kind = (typeof Kind)[keyof typeof Kind];

const KINDS = new Set<number>(Object.values(Kind));

// A decoded frame header.
export interface Header {
  kind: Kind;
  metaLength: number;
  payloadLength: number;
}

// Thrown when bytes on the channel are not a glstream frame.
export class ProtocolError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ProtocolError';
  }
}

// Write a header for the given kind and lengths.
export function encodeHeader(kind: Kind, metaLength: number, payloadLength: number): Uint8Array {
  if (!KINDS.has(kind)) throw new TypeError(`Unknown message kind: ${String(kind)}`);
  if (metaLength > MAX_META_BYTES)
    throw new RangeError(`Message metadata is ${metaLength} bytes; the limit is ${MAX_META_BYTES}`);
  if (payloadLength > MAX_PAYLOAD_BYTES)
    throw new RangeError(`Message payload is ${payloadLength} bytes; the limit is ${MAX_PAYLOAD_BYTES}`);
  const bytes = new Uint8Array(HEADER_SIZE);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint8(4, kind);
  view.setUint32(8, metaLength, true);
  view.setUint32(12, payloadLength, true);
  return bytes;
}

// Read and check a header from the first HEADER_SIZE bytes of `bytes`.
export function decodeHeader(bytes: Uint8Array): Header {
  if (bytes.byteLength < HEADER_SIZE)
    throw new ProtocolError(`A header needs ${HEADER_SIZE} bytes, got ${bytes.byteLength}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, HEADER_SIZE);
  const magic = view.getUint32(0, true);
  if (magic !== MAGIC)
    throw new ProtocolError(
      `Bad magic 0x${magic.toString(16).padStart(8, '0')}: the peer is not speaking the glstream protocol ` +
        '(is something else writing to stdout?)',
    );
  const kind = view.getUint8(4);
  if (!KINDS.has(kind)) throw new ProtocolError(`Unknown message kind ${kind}`);
  // reserved bytes that are not 0 are a header read from the wrong offset as often as one from a newer peer
  const flags = view.getUint8(5);
  const reserved = view.getUint16(6, true);
  if (flags !== 0 || reserved !== 0)
    throw new ProtocolError(`Header flags ${flags} and reserved ${reserved} must both be 0`);
  const metaLength = view.getUint32(8, true);
  const payloadLength = view.getUint32(12, true);
  if (metaLength > MAX_META_BYTES)
    throw new ProtocolError(`Metadata of ${metaLength} bytes exceeds the limit of ${MAX_META_BYTES}`);
  if (payloadLength > MAX_PAYLOAD_BYTES)
    throw new ProtocolError(`Payload of ${payloadLength} bytes exceeds the limit of ${MAX_PAYLOAD_BYTES}`);
  return { kind: kind as Kind, metaLength, payloadLength };
}
