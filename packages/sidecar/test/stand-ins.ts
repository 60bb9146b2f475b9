// Stand-in executables for the display chain's unit tests: small sh scripts first on an otherwise empty PATH.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Probe } from '../src/display/probe.js';

// A scratch machine: bin/ holds the stand-ins; `probe` points the chain at it.
export class StandIns {
  readonly root = mkdtempSync(join(tmpdir(), 'glstream-stand-ins-'));
  readonly bin = join(this.root, 'bin');
  readonly env: NodeJS.ProcessEnv = { PATH: this.bin };

  constructor() {
    mkdirSync(this.bin);
    process.once('exit', () => rmSync(this.root, { recursive: true, force: true }));
    // An empty ldconfig cache, so the real /sbin/ldconfig never answers.
    this.script('ldconfig', 'exit 0');
  }

  // Write bin/<name> running `body` under /bin/sh.
  script(name: string, body: string): string {
    const path = join(this.bin, name);
    writeFileSync(path, `#!/bin/sh\n${body}\n`, { mode: 0o755 });
    return path;
  }

  // Create an (empty) file under the root, with its directories.
  file(relative: string, text = ''): string {
    const path = join(this.root, relative);
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, text);
    return path;
  }

  // Probe settings for the chain: this PATH, no devices, short timeouts.
  probe(extra: Partial<Probe> = {}): Partial<Probe> {
    return {
      env: this.env,
      driDir: join(this.root, 'dri'),
      eglVendorDir: join(this.root, 'egl_vendor.d'),
      readyTimeoutMs: 5_000,
      probeTimeoutMs: 5_000,
      ...extra,
    };
  }

  // An Xvfb that reports display `number` on fd 3 and records its pid in xvfb.pid.
  xvfb(number = 9377): void {
    this.script('Xvfb', `echo $$ > ${this.root}/xvfb.pid\necho ${number} >&3\nexec /bin/sleep 600`);
  }

  // An Xvfb that starts, a display that lists no GLX, and a glxinfo with no renderer but VirtualGL's or Mesa's.
  xvfbWithoutGlx(): void {
    this.xvfb();
    this.xdpyinfo(false);
    this.glxinfo(null);
  }

  // An xdpyinfo that answers for every display, listing GLX when `glx`.
  xdpyinfo(glx: boolean): void {
    this.script(
      'xdpyinfo',
      [
        'echo "name of display: $2"',
        'echo "number of extensions:    2"',
        'echo "    BIG-REQUESTS"',
        glx ? 'echo "    GLX"' : '',
      ].join('\n'),
    );
  }

  // A glxinfo whose renderer depends on the environment it runs in, like the real one's.
  glxinfo(plain: string | null): void {
    this.script(
      'glxinfo',
      [
        'case "$LD_PRELOAD" in *libvglfaker.so*) r="VirtualGL on GPU";; esac',
        '[ "$LIBGL_ALWAYS_SOFTWARE" = 1 ] && [ -n "$FAKE_MESA" ] && r="llvmpipe (LLVM 15.0.6, 256 bits)"',
        plain === null ? '' : `[ -z "$r" ] && r="${plain}"`,
        '[ -z "$r" ] && { echo "Error: couldn\'t find RGB GLX visual or fbconfig" >&2; exit 1; }',
        'echo "OpenGL vendor string: Stand-in"; echo "OpenGL renderer string: $r"; echo "OpenGL version string: 4.5"',
      ].join('\n'),
    );
  }
}
