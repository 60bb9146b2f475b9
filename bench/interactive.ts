// The interactive loop of a real sidecar, as a drag drives it: pointer moves every 4 ms (faster than any
// frame), every frame acked as soon as it arrives (a browser next door), adaptive size and JPEG quality and the
// big meshes' coarse stand-ins all as in use; then the time from the release to the lossless still.
import type { Message, PointerInput } from '@glstream/protocol';
import { pointerInput } from '../test/support/input-events.js';
import { waitFor } from '../test/support/wait.js';
import type { SceneArrays } from './meshes.js';
import { show, startSidecar } from './sidecar.js';

const WARMUP_MS = 1000;
const MEASURE_MS = 4000;
const MOVE_MS = 4;
// The biggest scene's first still is slow on a loaded machine.
const STILL_TIMEOUT_MS = 120_000;

export interface InteractiveResult {
  size: string;
  triangles: number;
  fps: number;
  frame_width_median: number;
  render_ms_median: number;
  encode_ms_median: number;
  stand_in: boolean;
  still_after_release_ms: number;
}

// Drag `arrays` in a width x height view of a fresh sidecar.
export async function measureInteractive(
  arrays: SceneArrays,
  width: number,
  height: number,
): Promise<InteractiveResult> {
  const sidecar = await startSidecar();
  try {
    const view = 'drag';
    await show(sidecar, view, arrays, width, height);
    let latest: Message | undefined;
    const frames: Array<{ at: number; frame: Message }> = [];
    sidecar.onFrame((frame) => {
      latest = frame;
      frames.push({ at: performance.now(), frame });
      sidecar.event({ view, type: 'ack', seq: frame.meta['seq'] });
    });
    sidecar.event({ view, type: 'resize', width, height, dpr: 1 });
    await waitFor(() => latest?.meta['still'] === true, STILL_TIMEOUT_MS, 'the first still');
    const pointer = (phase: PointerInput['phase'], x: number, seq: number, buttons: number) => ({
      view,
      ...pointerInput(phase, x, height / 2 + 40 * Math.sin(seq / 30), seq, buttons),
    });
    let seq = 1;
    sidecar.event(pointer('down', width / 2, seq, 1));
    const began = performance.now();
    const mover = setInterval(() => {
      seq += 1;
      sidecar.event(pointer('move', width / 2 + 300 * Math.sin(seq / 50), seq, 1));
    }, MOVE_MS);
    await new Promise((resolve) => setTimeout(resolve, WARMUP_MS + MEASURE_MS));
    clearInterval(mover);
    const from = began + WARMUP_MS;
    const measured = frames
      .filter(({ at, frame }) => at >= from && at < from + MEASURE_MS && frame.meta['still'] === false)
      .map(({ frame }) => frame);
    seq += 1;
    const releasedAt = performance.now();
    const releaseSeq = seq;
    sidecar.event(pointer('up', width / 2, seq, 0));
    await waitFor(
      () => latest?.meta['still'] === true && latest.meta['input_seq'] === releaseSeq,
      STILL_TIMEOUT_MS,
      'the still after the release',
    );
    const stillAt = frames.at(-1)!.at;
    const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
    const timing = (frame: Message, key: string) => Number((frame.meta['timings'] as Record<string, number>)[key]);
    return {
      size: `${width}x${height}`,
      triangles: arrays.triangles,
      fps: Math.round((measured.length / (MEASURE_MS / 1000)) * 10) / 10,
      frame_width_median: median(measured.map((frame) => Number(frame.meta['width']))),
      render_ms_median: median(measured.map((frame) => timing(frame, 'render_ms'))),
      encode_ms_median: median(measured.map((frame) => timing(frame, 'encode_ms'))),
      stand_in: measured.some((frame) => frame.meta['stand_in'] === true),
      still_after_release_ms: Math.round(stillAt - releasedAt),
    };
  } finally {
    sidecar.onFrame(undefined);
    await sidecar.stop();
  }
}
