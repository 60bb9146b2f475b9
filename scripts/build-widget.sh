#!/usr/bin/env bash
# Bundle the widget's front end (packages/widget) into python-shim/glstream/static: widget.js, one ES module that
# anywidget loads from the Viewer's `_esm` (no labextension, no CDN), and widget.css, its `_css`.
# Reads the compiled @glstream/protocol (packages/protocol/dist): run `tsc -b packages/protocol` first.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=$root/python-shim/glstream/static
mkdir -p "$out"
"$root/node_modules/.bin/esbuild" "$root/packages/widget/src/index.ts" --bundle --format=esm --target=es2020 \
  --minify --legal-comments=none --log-level=warning --outfile="$out/widget.js"
"$root/node_modules/.bin/esbuild" "$root/packages/widget/style/index.css" --bundle --minify --log-level=warning \
  --outfile="$out/widget.css"
