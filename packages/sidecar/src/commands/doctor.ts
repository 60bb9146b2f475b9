// `glstream doctor`: what display and GL this machine gives glstream, and how to fix what is missing.
import { errorReply } from '../errors.js';
import {
  DisplayChainError,
  loadedGlLibraries,
  obtainDisplay,
  type ChainOptions,
  type DisplaySetup,
  type GlLibrary,
  type Step,
} from '../display/index.js';
import { installCommands } from '../display/install-hints.js';
import { describeEncoder, missingFormats, type EncoderInfo } from '../stream/encoder-info.js';
import { type FfmpegInfo, probeFfmpeg } from '../stream/video/ffmpeg.js';
import { videoProblems } from './doctor-video.js';
import { describeGl, type GlInfo } from '../render/gl-stack.js';
import { Renderer } from '../render/renderer.js';
import { VERSION } from '../version.js';

// A problem found, with the fix for it.
export interface Problem {
  problem: string;
  fix: string;
}

// The doctor's findings, as printed by --json.
export interface Report {
  glstream: string;
  node: string;
  steps: Step[];
  display: { name: string; source: string } | null;
  gl: GlInfo | null;
  gl_env: Record<string, string>;
  gl_preload: string[];
  gl_libraries: GlLibrary[];
  encoder: EncoderInfo;
  // The H.264 encoder of interactive video frames (ffmpeg with libx264).
  video: FfmpegInfo;
  notes: string[];
  problems: Problem[];
}

// Run the display chain, make a context, look at the encoder; never throws: failures become problems with fixes.
export async function diagnose(options: ChainOptions = {}): Promise<Report> {
  const encoder = describeEncoder();
  const video = await probeFfmpeg();
  const report: Report = {
    glstream: VERSION,
    node: process.version,
    steps: [],
    display: null,
    gl: null,
    gl_env: {},
    gl_preload: [],
    gl_libraries: [],
    encoder,
    video,
    notes: [],
    problems: [],
  };
  let setup: DisplaySetup | undefined;
  try {
    setup = await obtainDisplay(options);
    Object.assign(report, {
      steps: setup.steps,
      display: { name: setup.display.name, source: setup.display.source },
      gl_env: setup.env,
      gl_preload: setup.preload,
    });
    const renderer = new Renderer(64, 64);
    try {
      report.gl = describeGl(renderer, setup.driver);
      report.gl_libraries = await loadedGlLibraries();
    } finally {
      renderer.dispose();
    }
    if (/llvmpipe|softpipe|swrast/i.test(report.gl.renderer)) {
      report.notes.push(
        `rendering in software (${report.gl.renderer}); on a GPU node, its X server or VirtualGL renders faster`,
      );
    }
    report.problems.push(...stepProblems(setup.steps));
  } catch (error) {
    if (error instanceof DisplayChainError) report.steps = error.steps;
    const { message, hint } = errorReply(error);
    report.problems.push({ problem: message, fix: hint ?? 'run `glstream doctor --json` and report the output' });
  } finally {
    await setup?.display.stop();
  }
  for (const name of missingFormats(encoder))
    report.problems.push({
      problem: `sharp cannot write ${name}`,
      fix: 'reinstall sharp with its prebuilt libvips: npm rebuild sharp',
    });
  report.problems.push(...videoProblems(video));
  return report;
}

// Failed steps, and steps that worked around something missing: those name the packages that fix them.
function stepProblems(steps: Step[]): Problem[] {
  return steps.flatMap(({ step, status, reason, missing }) => {
    if (missing !== undefined) return [{ problem: `${step}: ${reason}`, fix: installCommands(missing) }];
    return status === 'failed' ? [{ problem: `${step}: ${reason}`, fix: 'see the steps of `glstream doctor`' }] : [];
  });
}
