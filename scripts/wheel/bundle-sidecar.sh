#!/bin/bash
# Bundle the sidecar CLI for the wheel into $1: sidecar.mjs (the CLI with every pure JavaScript dependency; gl and
# sharp stay outside, as they load native files from beside their own), and cli.mjs, the entry that checks the Node.js
# ABI before it loads sidecar.mjs. Expects the TypeScript built (packages/*/dist).
set -euo pipefail
cd "$(dirname "$0")/../.."
out=$1

# headless-gl was built by `npm ci` for the Node.js running it; this Node.js must load it, as its ABI is the one the
# entry will ask for.
node -e "require('gl')" || { echo "gl does not load under $(node --version): run npm rebuild gl" >&2; exit 1; }
abi=$(node -p process.versions.modules)
major=$(node -p "process.versions.node.split('.')[0]")
version=$(node -p "require('./packages/sidecar/package.json').version")

mkdir -p "$out"
# Bundled CommonJS modules (ws, x11) require Node's own modules: the banner gives the ES module a `require`.
banner="import { createRequire as bannerRequire } from 'module'; const require = bannerRequire(import.meta.url);"
esbuild packages/sidecar/dist/cli.js --bundle --platform=node --format=esm --target=node20 \
  --external:gl --external:sharp --log-level=warning \
  --banner:js="$banner" \
  --define:GLSTREAM_SIDECAR_VERSION="\"$version\"" --outfile="$out/sidecar.mjs"
esbuild scripts/wheel/abi-guard.mjs --platform=node --format=esm --target=node20 --log-level=warning \
  --define:GLSTREAM_NODE_ABI="\"$abi\"" --define:GLSTREAM_NODE_MAJOR="\"$major\"" --outfile="$out/cli.mjs"
echo "bundled the sidecar $version for Node.js $major (ABI $abi) into $out"
