// Print the benchmark report as readable tables.

type Row = object;

// Print a table; left-align the first two columns, right-align the rest.
export function table(title: string, columns: Array<[string, string]>, rows: Row[]): void {
  const cells = rows.map((row) => columns.map(([key]) => show((row as Record<string, unknown>)[key])));
  const widths = columns.map(([, label], i) => Math.max(label.length, ...cells.map((c) => c[i]!.length)));
  const line = (values: string[]) =>
    values.map((v, i) => (i < 2 ? v.padEnd(widths[i]!) : v.padStart(widths[i]!))).join('  ');
  console.log(`\n${title}`);
  console.log(line(columns.map(([, label]) => label)));
  for (const c of cells) console.log(line(c));
}

// All tables of a report.
export function printTables(report: {
  machine: Row;
  pipeline: Row[];
  vtk: Row[];
  ratios: Row[];
  interactive: Row[];
  idle_cpu_percent: number;
  idle_xserver_cpu_percent: number | null;
}): void {
  const { machine } = report;
  const m = machine as Record<string, unknown>;
  const vtk = (m['vtk'] ?? {}) as Record<string, unknown>;
  const gl = `GL ${m['gl_renderer']}, MSAA samples ${m['webgl_samples']}`;
  const load = `1-min load ${String(m['load_1min'])} (start, end)`;
  console.log(`machine: ${m['cpus']} × ${m['cpu_model']}, node ${m['node']}, ${gl}; ${load}`);
  console.log(`VTK ${vtk['version']} ${vtk['window_class']} on ${vtk['gl']}, MSAA samples ${vtk['multisamples']}`);
  table(
    'glstream server loop (orbit → render → readPixels → JPEG q80; pipelined: frame n encoded while n + 1 is ' +
      'drawn); PNG is the still frame',
    [
      ['size', 'size'],
      ['triangles', 'triangles'],
      ['fps', 'fps'],
      ['fps_median', 'fps (median)'],
      ['render_ms', 'render ms'],
      ['readback_ms', 'readback ms'],
      ['encode_jpeg_ms', 'jpeg ms'],
      ['encode_png_ms', 'png ms'],
      ['jpeg_bytes', 'jpeg B'],
      ['png_bytes', 'png B'],
      ['cpu_ms_per_frame', 'cpu ms/frame'],
      ['pipelined_fps', 'pipelined fps'],
      ['pipelined_cpu_ms_per_frame', 'pipelined cpu ms/frame'],
    ],
    report.pipeline,
  );
  table(
    'VTK off-screen (azimuth → Render → vtkWindowToImageFilter → vtkJPEGWriter q80)',
    [
      ['size', 'size'],
      ['triangles', 'triangles'],
      ['fps', 'fps'],
      ['fps_median', 'fps (median)'],
      ['render_ms', 'render ms'],
      ['grab_ms', 'grab ms'],
      ['encode_ms', 'jpeg ms'],
      ['jpeg_bytes', 'jpeg B'],
    ],
    report.vtk,
  );
  table(
    'glstream sidecar during a drag (moves every 4 ms, acks at once; adaptive size and JPEG quality, ' +
      'stand-ins over 200k triangles)',
    [
      ['size', 'size'],
      ['triangles', 'triangles'],
      ['fps', 'fps'],
      ['frame_width_median', 'frame width'],
      ['render_ms_median', 'render ms'],
      ['encode_ms_median', 'jpeg ms'],
      ['stand_in', 'stand-in'],
      ['still_after_release_ms', 'still after release ms'],
    ],
    report.interactive,
  );
  table(
    'glstream fps / VTK fps (same work: full size, full mesh, serial and pipelined; and glstream during a drag ' +
      'against the VTK pipeline)',
    [
      ['size', 'size'],
      ['triangles', 'triangles'],
      ['glstream_over_vtk', 'same work'],
      ['glstream_over_vtk_median', 'same work (median)'],
      ['glstream_pipelined_over_vtk', 'same work pipelined'],
      ['glstream_interactive_over_vtk', 'during a drag'],
    ],
    report.ratios,
  );
  const xserver = report.idle_xserver_cpu_percent ?? '-';
  console.log(`\nidle sidecar CPU over 3 s: ${report.idle_cpu_percent}% (its X server: ${xserver}%)`);
}

function show(value: unknown): string {
  return value === null || value === undefined ? '-' : String(value);
}
