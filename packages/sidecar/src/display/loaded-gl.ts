// Which GL libraries a running process has loaded, read from /proc/<pid>/maps, and whose they are.
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';

// A loaded GL library and the vendor it belongs to.
export interface GlLibrary {
  path: string;
  vendor: 'Mesa' | 'NVIDIA' | 'VirtualGL' | 'glvnd' | 'other';
}

const GL = new RegExp(
  '^(libGL|libGLX|libEGL|libGLES|libOpenGL|libGLdispatch|libglapi|libgallium|libvglfaker|libdlfaker' +
    '|libnvidia-(gl|egl|glcore|glsi|eglcore))|_dri\\.so$',
);
const GLVND = /^(libGL\.so|libGLX\.so|libEGL\.so|libGLdispatch|libOpenGL|libGLESv[12])/;

// The GL libraries mapped into process `pid` (default: this one), each once.
export async function loadedGlLibraries(pid: number | 'self' = 'self'): Promise<GlLibrary[]> {
  const maps = await readFile(`/proc/${pid}/maps`, 'utf8');
  const paths = new Set(
    maps
      .split('\n')
      .map((line) => line.split(/\s+/).slice(5).join(' '))
      .filter((path) => path.startsWith('/') && GL.test(basename(path))),
  );
  return [...paths].map((path) => ({ path, vendor: vendorOf(path) }));
}

// The vendor a GL library's path points to.
export function vendorOf(path: string): GlLibrary['vendor'] {
  const name = basename(path);
  if (/^lib(vgl|dl)faker/.test(name)) return 'VirtualGL';
  if (/nvidia/i.test(name)) return 'NVIDIA';
  if (/_mesa|_dri\.so$|^libglapi|^libgallium/.test(name) || path.includes('/mesa/')) return 'Mesa';
  if (GLVND.test(name)) return 'glvnd';
  return 'other';
}
