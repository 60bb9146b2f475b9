// The system packages the display chain uses and a wheel cannot bring, by distribution: the one place that names
// them, for the doctor's fixes, the chain's error and the GL context's error.
import type { Backend } from '@glstream/protocol';
import type { Step } from './steps.js';

// What a step can find missing: programs it runs, and Mesa (libGL and its software driver, swrast/llvmpipe).
export type Piece = 'xvfb' | 'mesa' | 'glxinfo' | 'eglinfo' | 'xdpyinfo' | 'xpra';

// The packages of each piece; conda-forge packages no glxinfo, eglinfo, xdpyinfo or xpra.
const PACKAGES: Record<Piece, { debian: string[]; fedora: string[]; condaForge: string[] }> = {
  xvfb: { debian: ['xvfb'], fedora: ['xorg-x11-server-Xvfb'], condaForge: ['xorg-xvfb-server'] },
  mesa: {
    debian: ['libgl1-mesa-dri', 'libglx-mesa0'],
    fedora: ['mesa-dri-drivers', 'mesa-libGL'],
    condaForge: ['mesalib', 'libgl'],
  },
  glxinfo: { debian: ['mesa-utils'], fedora: ['glx-utils'], condaForge: [] },
  eglinfo: { debian: ['mesa-utils'], fedora: ['egl-utils'], condaForge: [] },
  xdpyinfo: { debian: ['x11-utils'], fedora: ['xdpyinfo'], condaForge: [] },
  xpra: { debian: ['xpra'], fedora: ['xpra'], condaForge: [] },
};

// `found` with the pieces whose absence it reports, which the doctor turns into a fix.
export function lacking(found: Step, ...pieces: Piece[]): Step {
  return { ...found, missing: pieces };
}

// The commands that install `pieces` on Debian/Ubuntu, Fedora and conda-forge, on one line.
export function installCommands(pieces: Piece[]): string {
  const names = (distribution: 'debian' | 'fedora' | 'condaForge') => [
    ...new Set(pieces.flatMap((piece) => PACKAGES[piece][distribution])),
  ];
  const commands = [
    `Debian/Ubuntu: apt-get install ${names('debian').join(' ')}`,
    `Fedora: dnf install ${names('fedora').join(' ')}`,
  ];
  const conda = names('condaForge');
  if (conda.length > 0) commands.push(`conda-forge: conda install -c conda-forge ${conda.join(' ')}`);
  return commands.join('; ');
}

// Every piece the display chain may use with `backend`.
export function chainPieces(backend: Backend): Piece[] {
  return ['xvfb', 'mesa', 'glxinfo', 'xdpyinfo', ...(backend === 'xpra' ? (['xpra'] as const) : [])];
}
