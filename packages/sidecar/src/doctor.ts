// `glstream doctor`: what display and GL this machine gives glstream, and how to fix what is missing.
import sharp from 'sharp';
import { describeError } from './describe-error.js';
import { obtainDisplay, type Display } from './display/index.js';
import { describeGl, type GlInfo } from './gl-info.js';
import { Renderer } from './render/renderer.js';
import { VERSION } from './version.js';

// A problem found, with the fix for it.
export interface Problem {
  problem: string;
  fix: string;
}

// The doctor's findings, as printed by --json.
export interface Report {
  glstream: string;
  node: string;
  display: { name: string; source: Display['source'] } | null;
  gl: GlInfo | null;
  encoder: { sharp: string; libvips: string };
  notes: string[];
  problems: Problem[];
}

// Probe display, GL and encoder; never throws: failures become problems with fixes.
export async function diagnose(): Promise<Report> {
  const problems: Problem[] = [];
  const report: Report = {
    glstream: VERSION,
    node: process.version,
    display: null,
    gl: null,
    encoder: { sharp: sharp.versions.sharp ?? 'unknown', libvips: sharp.versions.vips },
    notes: [],
    problems,
  };
  let display: Display | undefined;
  try {
    display = await obtainDisplay();
    report.display = { name: display.name, source: display.source };
    const renderer = new Renderer(64, 64);
    try {
      report.gl = await describeGl(renderer, display.name);
    } finally {
      renderer.dispose();
    }
    if (/llvmpipe|softpipe|swrast/i.test(report.gl.renderer)) {
      report.notes.push(`rendering in software (${report.gl.renderer}); on a GPU node, its X server or VirtualGL renders faster`);
    }
  } catch (error) {
    const { message, hint } = describeError(error);
    problems.push({ problem: message, fix: hint ?? 'run `glstream doctor --json` and report the output' });
  } finally {
    await display?.stop();
  }
  return report;
}

// The report as lines for a person.
export function formatReport(report: Report): string {
  const lines = [
    `glstream ${report.glstream} (node ${report.node})`,
    `display:  ${report.display === null ? 'none' : `${report.display.name} (${report.display.source})`}`,
    `gl:       ${report.gl === null ? 'none' : `${report.gl.renderer}, ${report.gl.version} (${report.gl.vendor}); ${report.gl.webgl.version}`}`,
    `encoder:  sharp ${report.encoder.sharp}, libvips ${report.encoder.libvips}`,
  ];
  for (const note of report.notes) lines.push(`note:     ${note}`);
  if (report.problems.length === 0) lines.push('no problems found');
  for (const { problem, fix } of report.problems) lines.push(`problem:  ${problem}`, `  fix:    ${fix}`);
  return lines.join('\n');
}
