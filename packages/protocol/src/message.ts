// Whole messages: header + compact JSON metadata + raw payload.
import { decodeHeader, encodeHeader, HEADER_SIZE, ProtocolError, type Kind } from './header.js';

export type Meta = Record<string, unknown>;

// One message on the stdio channel.
export interface Message {
  kind: Kind;
  meta: Meta;
  payload: Uint8Array;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

// Encode a message; the JSON is compact (no spaces), keys in insertion order.
export function encodeMessage(kind: Kind, meta: object, payload: Uint8Array = new Uint8Array(0)): Uint8Array {
  const head = encodeHead(kind, meta, payload.byteLength);
  const out = new Uint8Array(head.byteLength + payload.byteLength);
  out.set(head, 0);
  out.set(payload, head.byteLength);
  return out;
}

// Encode a message's header and metadata only: writing the payload right after them, as it is,
// makes the same bytes as encodeMessage without copying the payload.
export function encodeHead(kind: Kind, meta: object, payloadLength: number): Uint8Array {
  const metaBytes = encoder.encode(JSON.stringify(meta));
  const out = new Uint8Array(HEADER_SIZE + metaBytes.byteLength);
  out.set(encodeHeader(kind, metaBytes.byteLength, payloadLength), 0);
  out.set(metaBytes, HEADER_SIZE);
  return out;
}

// Decode exactly one message from `bytes`.
export function decodeMessage(bytes: Uint8Array): Message {
  const header = decodeHeader(bytes);
  const total = HEADER_SIZE + header.metaLength + header.payloadLength;
  if (bytes.byteLength !== total) throw new ProtocolError(`Message should be ${total} bytes, got ${bytes.byteLength}`);
  const metaEnd = HEADER_SIZE + header.metaLength;
  let meta: unknown;
  try {
    meta = JSON.parse(decoder.decode(bytes.subarray(HEADER_SIZE, metaEnd)));
  } catch (error) {
    throw new ProtocolError('Message metadata is not valid UTF-8 JSON', { cause: error });
  }
  if (meta === null || typeof meta !== 'object' || Array.isArray(meta))
    throw new ProtocolError('Message metadata must be a JSON object');
  return { kind: header.kind, meta: meta as Meta, payload: bytes.subarray(metaEnd, total) };
}
