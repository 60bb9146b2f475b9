// Print the glstream.show() figures as a table, then the VTK loop they are compared with and the targets.
import type { PeerResult } from './peer-ipyvtklink.js';
import { table } from './table.js';

// One measured view: an X program's window or a VTK render window, watched or dragged.
export interface ShowRow {
  name: string;
  input: 'none' | 'drag';
  moves: number;
  seconds: number | null;
  delivered_fps: number | null;
  frames_received: number;
  frame_size: string | null;
  bytes_per_s: number;
  capture_ms_median: number | null;
  // The two parts of the capture: X, the SHM grab and the swizzle; VTK, the kernel's reply and the slot's read.
  render_ms_median: number | null;
  readback_ms_median: number | null;
  capture_core_percent: number | null;
  encode_ms_median: number | null;
  latency_ms_p50: number | null;
  latency_ms_p95: number | null;
  photon_ms_p50: number | null;
  photon_ms_p95: number | null;
  photon_samples: number;
  cpu_percent: Record<'sidecar' | 'sidecar_main' | 'kernel' | 'xserver' | 'program', number | null>;
  program_fps: number | null;
}

interface Target {
  measured: number | null;
  met: boolean;
  min?: number | null;
  max?: number | null;
}

export function printShow(result: {
  load_1min: number[];
  rows: ShowRow[];
  vtk_loop: Record<string, unknown>;
  ipyvtklink: PeerResult;
  targets: Record<string, Target>;
}): void {
  const rows: Record<string, unknown>[] = result.rows.map((row) => ({
    ...row,
    ...row.cpu_percent,
    kbps: kilo(row.bytes_per_s),
  }));
  const peer = result.ipyvtklink;
  const name = 'peer: ipyvtklink';
  if ('error' in peer) rows.push({ name, input: 'not measured (why: below)' });
  else rows.push({ name, input: 'drag', ...peer, kernel: peer.kernel_cpu_percent, kbps: kilo(peer.bytes_per_s) });
  table(
    'glstream.show() in Chromium through JupyterLab (1280x720, loopback websocket; glxgears watched 10 s, the ' +
      'others dragged 10 s at 120 Hz; CPU in % of one core)',
    [
      ['name', 'view'],
      ['input', 'input'],
      ['delivered_fps', 'fps delivered'],
      ['frame_size', 'frame'],
      ['latency_ms_p50', 'latency p50 ms'],
      ['latency_ms_p95', 'p95 ms'],
      ['photon_ms_p50', 'marker p50 ms'],
      ['photon_ms_p95', 'p95 ms'],
      ['kbps', 'kB/s'],
      ['capture_ms_median', 'capture ms'],
      ['capture_core_percent', 'capture %'],
      ['encode_ms_median', 'jpeg ms'],
      ['sidecar', 'sidecar %'],
      ['sidecar_main', 'its main thread %'],
      ['kernel', 'kernel %'],
      ['xserver', 'X server %'],
      ['program', 'program %'],
      ['program_fps', 'program fps'],
    ],
    rows,
  );
  if ('error' in peer) console.log(`ipyvtklink was not measured: ${peer.error}`);
  else console.log(`ipyvtklink painted ${peer.frames_after_release} more frames in the 3 s after the release`);
  const loop = result.vtk_loop;
  console.log(
    `VTK's own loop in the kernel, same window (turn -> Render -> grab -> JPEG q80): render ${loop['render_ms']} ms ` +
      `+ grab ${loop['grab_ms']} ms = ${loop['render_grab_fps']} fps (with the JPEG: ${loop['fps']} fps)`,
  );
  const t = result.targets;
  const line = (what: string, target: Target | undefined) => {
    if (target === undefined) return;
    const bound = target.min !== undefined ? `>= ${target.min}` : `<= ${target.max}`;
    console.log(`target ${what} ${bound}: ${target.measured} ${target.met ? 'met' : 'NOT met'}`);
  };
  line('x: fps delivered', t['x_fps']);
  line('x: capture % of one core', t['x_capture_percent']);
  line('vtk: fps delivered (0.9 x the loop)', t['vtk_fps']);
  line('vtk: latency p50 ms (render + 30)', t['vtk_latency_p50_ms']);
  console.log(`1-min load ${result.load_1min.join(', ')} (start, end)`);
}

function kilo(bytes: number): number {
  return Math.round(bytes / 1000);
}
