"""glstream.doctor(): the sidecar's report on this machine's display, OpenGL and image encoder, with fixes."""

from __future__ import annotations

import json as _json
import subprocess
from typing import Any

from . import _environ, _locate
from ._errors import SidecarError

TIMEOUT = 120.0


def _failure(problem: str, fix: str) -> dict[str, Any]:
    return {"glstream": None, "problems": [{"problem": problem, "fix": fix}]}


def _run(args: list[str]) -> tuple[subprocess.CompletedProcess | None, dict[str, Any] | None]:
    try:
        command = _locate.sidecar_command()
    except SidecarError as error:
        return None, _failure(str(error), "install the sidecar (see above), then run glstream.doctor() again")
    try:
        done = subprocess.run(
            [*command, "doctor", *args],
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            env={**_environ.original(), "FORCE_COLOR": "0", "NO_COLOR": "1"},
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        return None, _failure(
            f"`{' '.join(command)} doctor` could not run: {error}",
            "check that Node.js 20 or newer is installed and the sidecar is complete",
        )
    return done, None


def doctor(json: bool = False) -> dict[str, Any] | None:
    """Print what glstream finds (display, GL, encoder, problems and fixes); with json=True return it as a dict.

    Never raises for a missing or broken renderer: that is reported as a problem.
    """
    done, failure = _run(["--json"] if json else [])
    if failure is None and json:
        try:
            return _json.loads(done.stdout)
        except ValueError:
            failure = _failure(
                f"the sidecar's doctor printed no report (exit code {done.returncode}): "
                + (" / ".join(text.strip() for text in (done.stdout, done.stderr) if text.strip()) or "no output"),
                "reinstall the sidecar so that it matches this glstream package",
            )
    if failure is not None:
        if json:
            return failure
        problem = failure["problems"][0]
        print(f"glstream doctor: problem: {problem['problem']}\n  fix: {problem['fix']}")
        return None
    print(
        done.stdout.rstrip()
        or done.stderr.rstrip()
        or f"the sidecar's doctor printed nothing (exit code {done.returncode})"
    )
    return None
