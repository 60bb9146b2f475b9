#!/bin/bash
# `make wheel`: dist/glstream-<version>-py3-none-manylinux_2_<n>_<arch>.whl, the Python package with its renderer.
# Copies the package to a staging folder and bundles the sidecar and the native modules it loads into its
# glstream/sidecar/, builds the wheel once to ask auditwheel which manylinux tag its native files allow, then builds it
# under that tag and checks auditwheel agrees. The clone's python-shim never holds the bundle: the repository's own
# install (`make setup`) would carry it and run it instead of the clone's current sidecar.
# Expects `make setup` done (the TypeScript built, the widget bundled, .venv with hatchling and auditwheel).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/.venv/bin:$PWD/node_modules/.bin:$PATH"

# a bundle left in the clone by an older make wheel
rm -rf python-shim/glstream/sidecar
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
stage=$work/python-shim probe=$work/probe
mkdir -p "$stage" "$probe"
cp -a python-shim/pyproject.toml python-shim/hatch_build.py python-shim/README.md python-shim/glstream "$stage"/
find "$stage" -name __pycache__ -prune -exec rm -rf {} +
cp packages/protocol/src/limits.json "$stage"/glstream/limits.json
sidecar=$stage/glstream/sidecar
scripts/wheel/bundle-sidecar.sh "$sidecar"
node scripts/wheel/runtime-modules.mjs "$sidecar"

# GLSTREAM_WHEEL_PLATFORM makes python-shim/hatch_build.py add the renderer and tag the wheel for that platform.
build() {
  GLSTREAM_WHEEL_PLATFORM=$1 python -m pip wheel -q --disable-pip-version-check --no-deps --no-build-isolation \
    -w "$2" "$stage"
}
build "linux_$(uname -m)" "$probe"
platform=$(scripts/wheel/manylinux-tag.sh "$probe"/glstream-*.whl)
rm -f dist/glstream-*.whl
build "$platform" dist
wheel=$(echo dist/glstream-*-py3-none-"$platform".whl)
claimed=$(scripts/wheel/manylinux-tag.sh "$wheel")
[ "$claimed" = "$platform" ] || { echo "auditwheel says $claimed for $wheel" >&2; exit 1; }
echo "$wheel: $(du -k "$wheel" | cut -f1) kB compressed, $(du -sk "$sidecar" | cut -f1) kB of renderer on disk"
