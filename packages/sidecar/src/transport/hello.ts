// What the sidecar says first on every channel, the kernel's and each direct websocket: the protocol it speaks,
// so that the other side can refuse a mismatch before anything else is sent.
import { PROTOCOL_VERSION } from '@glstream/protocol';
import { VERSION } from '../version.js';

// The HELLO message's metadata.
export const HELLO = { protocol: PROTOCOL_VERSION, name: 'glstream-sidecar', version: VERSION, pid: process.pid };
