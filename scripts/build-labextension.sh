#!/usr/bin/env bash
# Build the widget's prebuilt labextension into python-shim/glstream/labextension.
# Calls @jupyterlab/builder directly: `jupyter labextension build` runs jlpm (yarn) when the
# extension folder has no node_modules of its own, which npm workspaces hoist to the root.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
python=${PYTHON:-$root/.venv/bin/python}
core=$("$python" -c 'import jupyterlab, os; print(os.path.join(os.path.dirname(jupyterlab.__file__), "staging"))')
exec node "$root/node_modules/@jupyterlab/builder/lib/build-labextension.js" --core-path "$core" "$root/packages/widget"
