// Copy into <out>/node_modules what the bundled sidecar loads from disk at run time: gl and sharp, the JavaScript
// they reach (found by letting esbuild resolve it from their entry points), each such package's package.json and
// licence, and the native files they load by computed paths, which no bundler can see.
import { cpSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

// gl's addon, found through `bindings`; sharp's addon, required by platform name, and the libvips it links, found
// through its RPATH ($ORIGIN/../../sharp-libvips-linux-x64/lib): the two @img packages keep their sibling layout.
const NATIVE = ['gl/build/Release/webgl.node', '@img/sharp-linux-x64', '@img/sharp-libvips-linux-x64'];
const LICENCE = /^(licen[cs]e|copying|notice)/i;

const [out] = process.argv.slice(2);
if (out === undefined) throw new TypeError('usage: runtime-modules.mjs OUT_DIR');

const { metafile } = await build({
  entryPoints: ['gl', 'sharp'],
  bundle: true,
  platform: 'node',
  write: false,
  metafile: true,
  outdir: join(out, 'unused'),
  logLevel: 'error',
});
const files = Object.keys(metafile.inputs).filter((path) => path.startsWith('node_modules/'));
// A package's folder: the path up to its name (scoped or not) after the last node_modules/.
const roots = new Set(files.map((path) => /^(.*node_modules\/(@[^/]+\/)?[^/]+)\//.exec(path)?.[1] ?? path));
for (const root of roots)
  for (const name of readdirSync(root)) if (name === 'package.json' || LICENCE.test(name)) files.push(join(root, name));
for (const path of [...files, ...NATIVE.map((native) => join('node_modules', native))])
  cpSync(path, join(out, path), { recursive: true });
console.log(`copied ${roots.size} packages and ${NATIVE.length} native files or packages into ${out}/node_modules`);
