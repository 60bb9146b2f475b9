#!/bin/bash
# Print the platform tag auditwheel finds the wheel $1 consistent with (manylinux_2_<n>_<arch>), from its native files.
set -euo pipefail
report=$(auditwheel show "$1" | tr '\n' ' ')
tag=$(sed -nE 's/.*following platform tag: *"([^"]+)".*/\1/p' <<< "$report")
[ -n "$tag" ] || { echo "auditwheel named no platform tag for $1: $report" >&2; exit 1; }
echo "$tag"
