"""Finding the sidecar program and the command line that runs it."""

from __future__ import annotations

import os
import shutil
import sys

from ._errors import SidecarError

_INSTALL_HINT = (
    "Install the renderer into this environment with `npm install --global --prefix {prefix} @glstream/sidecar` "
    "(Node.js 20 or newer), or set GLSTREAM_SIDECAR to the path of its dist/cli.js"
)


def _candidates() -> list[tuple[str, str | None]]:
    """(description, path or None) for each place searched, in order."""
    prefix_bin = os.path.join(sys.prefix, "bin", "glstream")
    return [
        ("$GLSTREAM_SIDECAR", os.environ.get("GLSTREAM_SIDECAR") or None),
        (prefix_bin, prefix_bin if os.path.exists(prefix_bin) else None),
        ("`glstream` on PATH", shutil.which("glstream")),
    ]


def sidecar_command() -> list[str]:
    """The argv prefix that runs the sidecar: [node, cli.js] or [executable]."""
    searched = []
    for description, path in _candidates():
        if path is None:
            searched.append(f"{description} (not set)" if description.startswith("$") else f"{description} (not found)")
            continue
        resolved = os.path.realpath(path)
        if not os.path.isfile(resolved):
            raise SidecarError(
                f"{description} is {path!r}, which is not a file. "
                "Point it at the sidecar's dist/cli.js or at the `glstream` executable"
            )
        return [_node(), resolved] if resolved.endswith(".js") else [resolved]
    raise SidecarError(
        "glstream could not find its renderer (the Node sidecar). Searched: "
        + ", ".join(searched)
        + ". "
        + _INSTALL_HINT.format(prefix=sys.prefix)
    )


def _node() -> str:
    node = os.environ.get("GLSTREAM_NODE") or shutil.which("node")
    if node is None:
        raise SidecarError(
            "glstream's renderer is a Node.js program, but `node` is not on PATH and GLSTREAM_NODE "
            "is not set. Install Node.js 20 or newer, or set GLSTREAM_NODE to the node executable"
        )
    return node
