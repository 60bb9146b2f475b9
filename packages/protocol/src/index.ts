// @glstream/protocol: the one contract between the widget, the Python shim and the sidecar.
export { PROTOCOL_VERSION } from './version.js';
export {
  MAGIC,
  HEADER_SIZE,
  MAX_META_BYTES,
  MAX_PAYLOAD_BYTES,
  Kind,
  ProtocolError,
  encodeHeader,
  decodeHeader,
  type Header,
} from './header.js';
export { encodeMessage, encodeHead, decodeMessage, type Message, type Meta } from './message.js';
export { MessageReader } from './reader.js';
export type {
  Modifiers,
  PointerInput,
  WheelInput,
  KeyInput,
  ResizeInput,
  AckInput,
  InputEvent,
  WithAcks,
  FrameMeta,
  FrameMime,
  VideoCodec,
  FrameSourceKind,
  FrameTimings,
  StatsReport,
  Transport,
} from './events.js';
export { Buttons } from './events.js';
export { LIMITS, isOneOf, type Backend, type ErrorCode, type Limits, type Range, type StillKind } from './limits.js';
