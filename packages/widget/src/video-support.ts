// Which video codecs this browser decodes, as the widget announces them in its resize events. WebCodecs exists only
// in a secure context (https, or http on localhost); a browser may have it without H.264 (a build without
// proprietary codecs), which isConfigSupported tells, asynchronously: until it answered, the guess is yes.
import type { VideoCodec } from '@glstream/protocol';

// The codec string asked about: constrained baseline, level 3.1, what libx264's ultrafast preset makes here.
const PROBE_CODEC = 'avc1.42c01f';

let h264: boolean | undefined;

// Ask once per page.
function probe(): void {
  if (h264 !== undefined || !hasDecoder()) return;
  VideoDecoder.isConfigSupported({ codec: PROBE_CODEC, optimizeForLatency: true }).then(
    (support) => {
      h264 = support.supported === true;
    },
    () => {
      h264 = false;
    },
  );
}

function hasDecoder(): boolean {
  return globalThis.isSecureContext === true && typeof globalThis.VideoDecoder === 'function';
}

// The video codecs to announce now.
export function videoCodecs(): VideoCodec[] {
  probe();
  return hasDecoder() && h264 !== false ? ['h264'] : [];
}
