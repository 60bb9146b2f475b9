// One view's H.264 decoder (WebCodecs). Video frames depend on the ones before them, so every frame is decoded, in
// the order it arrived; the decoder is configured at each key frame whose codec differs, and after an error it
// waits for the next key frame (the sidecar sends one on each resize, new connection and restart).
import type { Frame } from './frame.js';

// A decode that has not come out yet, by its frame's sequence number (the chunk's timestamp).
interface Waiting {
  resolve(frame: VideoFrame): void;
  reject(error: Error): void;
}

export class H264Decoder {
  #decoder: VideoDecoder | null = null;
  #codec = '';
  readonly #waiting = new Map<number, Waiting>();

  // Decode one video frame; resolves with its picture (the caller closes it), rejects when it cannot be decoded.
  decode(frame: Frame): Promise<VideoFrame> {
    const { seq, key, codec } = frame.meta;
    if (key === true && codec !== undefined && (this.#decoder === null || codec !== this.#codec)) this.#open(codec);
    const decoder = this.#decoder;
    if (decoder === null) return Promise.reject(new Error(`frame ${seq} needs an earlier key frame`));
    return new Promise((resolve, reject) => {
      this.#waiting.get(seq)?.reject(new Error(`frame ${seq} was sent again`));
      this.#waiting.set(seq, { resolve, reject });
      decoder.decode(
        new EncodedVideoChunk({ type: key === true ? 'key' : 'delta', timestamp: seq, data: frame.bytes }),
      );
    });
  }

  // Stop decoding; frames still in the decoder are rejected.
  close(): void {
    this.#fail(new Error('the view was closed'));
  }

  #open(codec: string): void {
    this.#fail(new Error('the stream restarted at a key frame'));
    const decoder = new VideoDecoder({
      output: (picture) => {
        const waiting = this.#waiting.get(picture.timestamp);
        this.#waiting.delete(picture.timestamp);
        if (waiting === undefined) picture.close();
        else waiting.resolve(picture);
      },
      error: (error) => {
        if (this.#decoder === decoder) this.#fail(new Error('the video decoder failed', { cause: error }));
      },
    });
    // Without optimizeForLatency a decoder may hold frames back until more arrive.
    decoder.configure({ codec, optimizeForLatency: true });
    this.#decoder = decoder;
    this.#codec = codec;
  }

  #fail(error: Error): void {
    const decoder = this.#decoder;
    this.#decoder = null;
    if (decoder !== null && decoder.state !== 'closed') decoder.close();
    for (const waiting of this.#waiting.values()) waiting.reject(error);
    this.#waiting.clear();
  }
}
