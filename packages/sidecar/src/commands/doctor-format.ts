// The doctor's report as lines for a person.
import { formatSteps } from '../display/steps.js';
import type { Report } from './doctor.js';
import { formatVideo } from './doctor-video.js';

// Steps, GL, loaded libraries, encoders, notes and problems with their fixes.
export function formatReport(report: Report): string {
  const { gl, display, encoder } = report;
  const lines = [
    `glstream ${report.glstream} (node ${report.node})`,
    'steps:',
    formatSteps(report.steps),
    `display:  ${display === null ? 'none' : `${display.name} (${display.source})`}`,
    `gl:       ${gl === null ? 'none' : `${gl.renderer}, ${gl.version} (${gl.vendor}); ${gl.webgl.version}`}`,
  ];
  if (Object.keys(report.gl_env).length > 0)
    lines.push(
      `gl env:   ${Object.entries(report.gl_env)
        .map(([key, value]) => `${key}=${value}`)
        .join(' ')}`,
    );
  if (report.gl_preload.length > 0) lines.push(`preload:  ${report.gl_preload.join(' ')}`);
  for (const library of report.gl_libraries) lines.push(`loaded:   ${library.path} (${library.vendor})`);
  lines.push(
    `encoder:  sharp ${encoder.sharp}, libvips ${encoder.libvips}, formats ${encoder.formats.join(' ') || 'none'}`,
    formatVideo(report.video),
  );
  for (const note of report.notes) lines.push(`note:     ${note}`);
  if (report.problems.length === 0) lines.push('no problems found');
  // A chain failure's message repeats the steps listed above: its first line is enough here.
  for (const { problem, fix } of report.problems) lines.push(`problem:  ${problem.split('\n')[0]}`, `  fix:    ${fix}`);
  return lines.join('\n');
}
