// The sidecar's package version, reported at the handshake and by `glstream doctor`.
import { createRequire } from 'node:module';

export const VERSION: string = (createRequire(import.meta.url)('../package.json') as { version: string }).version;
