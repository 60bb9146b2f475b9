// The wire protocol's version; independent of package versions and checked at the handshake.
export const PROTOCOL_VERSION = 2;
