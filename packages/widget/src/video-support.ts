// Which video codecs this browser decodes, as the widget announces them in its resize events. WebCodecs exists only
// in a secure context (https, or http on localhost); a browser may have it without H.264 (a build without
// proprietary codecs), which isConfigSupported tells, asynchronously.
import type { VideoCodec } from '@glstream/protocol';

// The codec string asked about: constrained baseline, level 3.1, what libx264's ultrafast preset makes here.
const PROBE_CODEC = 'avc1.42c01f';

let h264: boolean | undefined;
let answered: Promise<void> | undefined;

// Ask once per page; resolves once the browser answered.
export function probeVideo(): Promise<void> {
  if (answered !== undefined) return answered;
  answered = hasDecoder()
    ? VideoDecoder.isConfigSupported({ codec: PROBE_CODEC, optimizeForLatency: true }).then(
        (support) => {
          h264 = support.supported === true;
        },
        () => {
          h264 = false;
        },
      )
    : Promise.resolve();
  return answered;
}

function hasDecoder(): boolean {
  return globalThis.isSecureContext === true && typeof globalThis.VideoDecoder === 'function';
}

// The video codecs to announce now: none until the browser said it decodes them (a frame it cannot decode would
// leave the view blank until the next key frame).
export function videoCodecs(): VideoCodec[] {
  void probeVideo();
  return hasDecoder() && h264 === true ? ['h264'] : [];
}
