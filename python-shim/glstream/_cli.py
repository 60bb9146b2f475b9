"""The `glstream` command: the renderer's own command line (`glstream doctor`, `glstream snapshot --demo`)."""

from __future__ import annotations

import os
import sys

from ._errors import SidecarError
from ._locate import sidecar_command


def main() -> None:
    """Replace this process with the located sidecar CLI, so that its signals and exit status are the command's."""
    try:
        command = sidecar_command()
    except SidecarError as error:
        sys.stderr.write(f"glstream: {error}\n")
        sys.exit(1)
    os.execv(command[0], [*command, *sys.argv[1:]])
