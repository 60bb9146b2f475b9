// The sidecar's package version, reported at the handshake and by `glstream doctor`.
import { createRequire } from 'node:module';

// Defined by the wheel's bundler (scripts/wheel/bundle-sidecar.sh), since no package.json travels with the bundle.
declare const GLSTREAM_SIDECAR_VERSION: string | undefined;

export const VERSION: string =
  typeof GLSTREAM_SIDECAR_VERSION === 'string'
    ? GLSTREAM_SIDECAR_VERSION
    : (createRequire(import.meta.url)('../package.json') as { version: string }).version;
