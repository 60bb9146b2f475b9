// Print the scientific rows (scientific.ts) as tables.
import type { ScientificResult } from './scientific.js';
import { table } from './table.js';

// Delivered updates a second the scalar-update row aims at (issue 10).
const UPDATES_TARGET = 30;

export function printScientific(result: ScientificResult): void {
  const vtkFps = (scene: string) => Number(result.vtk.find((row) => row['scene'] === scene)?.['fps'] ?? Number.NaN);
  const drag = result.drag.map((row) => {
    const ratio = row.fps / vtkFps(row.scene);
    return { ...row, over_vtk: Number.isFinite(ratio) ? ratio.toFixed(2) : null };
  });
  table(
    'scientific scenes dragged in a real sidecar at 1280x720 (moves every 4 ms, acks at once; sizes in CSS px: ' +
      'points 3, lines 2)',
    [
      ['scene', 'scene'],
      ['size', 'size'],
      ['fps', 'fps'],
      ['frame_width_median', 'frame width'],
      ['render_ms_median', 'render ms'],
      ['readback_ms_median', 'readback ms'],
      ['encode_ms_median', 'jpeg ms'],
      ['other_ms_median', 'other ms'],
      ['stand_in', 'stand-in'],
      ['sidecar_cpu_percent', 'sidecar %'],
      ['sidecar_main_thread_percent', 'main thread %'],
      ['over_vtk', 'x VTK'],
    ],
    drag,
  );
  table(
    'VTK off-screen, the same points (vertex cells, point size 3) and lines (width 2), scalars through the same lut',
    [
      ['scene', 'scene'],
      ['size', 'size'],
      ['fps', 'fps'],
      ['fps_median', 'fps (median)'],
      ['render_ms', 'render ms'],
      ['grab_ms', 'grab ms'],
      ['encode_ms', 'jpeg ms'],
    ],
    result.vtk,
  );
  table(
    'lossless still at 1280x720 (drawn at 2x2, read back and averaged down, PNG) next to the interactive frame',
    [
      ['scene', 'scene'],
      ['size', 'size'],
      ['snapshot_ms_median', 'snapshot ms'],
      ['still_after_release_ms', 'still after release ms'],
      ['still_render_ms', 'still render ms'],
      ['still_readback_ms', 'read + reduce ms'],
      ['still_encode_ms', 'png ms'],
      ['png_bytes', 'png B'],
      ['render_ms_median', 'drag render ms'],
      ['frame_width_median', 'at width'],
    ],
    result.drag,
  );
  table(
    `scalar updates of a ${result.updates[0]?.vertices ?? ''}-vertex grid in a loop, one round trip each, 1280x720`,
    [
      ['client', 'client'],
      ['seconds', 's'],
      ['updates_per_s', 'updates/s sent'],
      ['period_ms_median', 'period ms'],
      ['frames_per_s', 'frames/s'],
      ['delivered_per_s', 'updates/s shown'],
      ['latency_ms_p50', 'latency p50 ms'],
      ['latency_ms_p95', 'p95 ms'],
      ['last_update_still_ms', 'last update still ms'],
      ['unreadable_frames', 'unread frames'],
      ['stills_during_loop', 'stills'],
      ['stills_ms', 'stills ms'],
      ['frame_width_median', 'frame width'],
      ['render_ms_median', 'render ms'],
      ['encode_ms_median', 'jpeg ms'],
      ['sidecar_main_thread_percent', 'main thread %'],
    ],
    result.updates,
  );
  for (const row of result.updates) {
    const met = row.delivered_per_s >= UPDATES_TARGET ? 'met' : 'not met';
    console.log(`${row.client}: ${row.delivered_per_s} updates/s shown, target >= ${UPDATES_TARGET}: ${met}`);
  }
  console.log(`scientific: 1-min load ${result.load_1min.join(', ')} (start, end); ${result.wall_s} s`);
}
