"""glstream.run(): start an existing X program on the kernel's display, ending with the kernel."""

from __future__ import annotations

import atexit
import collections
import ctypes
import dataclasses
import os
import signal
import subprocess
import sys
import threading
import time
import weakref
from collections.abc import Mapping, Sequence
from typing import Any

from . import _sidecar
from ._errors import GlstreamError

OUTPUT_LINES = 200
WINDOW_POLL_S = 0.05
_PR_SET_PDEATHSIG = 1
# loaded before any fork: the child may only call it, not load it
_libc = ctypes.CDLL(None, use_errno=True) if sys.platform.startswith("linux") else None
_running: weakref.WeakSet[App] = weakref.WeakSet()


@dataclasses.dataclass(frozen=True)
class Window:
    """A top-level X window on the kernel's display."""

    id: int
    name: str
    width: int
    height: int
    pid: int | None


def windows(pid: int | None = None) -> list[Window]:
    """The top-level windows on the kernel's display that are mapped, of process `pid` if given."""
    params = {} if pid is None else {"pid": pid}
    result, _ = _sidecar.get().request("x_windows", params)
    return [
        Window(int(item["id"]), str(item.get("name", "")), int(item["width"]), int(item["height"]), item.get("pid"))
        for item in result.get("windows", [])
        if item.get("mapped")
    ]


def _die_with_kernel(parent: int) -> None:
    # runs in the child between fork and exec: the kernel's death (even by SIGKILL) then ends the program too
    if _libc is not None:
        _libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
    if os.getppid() != parent:
        os._exit(1)


class App:
    """An X program started by glstream.run(): `.pid`, `.windows()`, `.output()`, `.terminate()`."""

    def __init__(self, argv: Sequence[str], env: Mapping[str, str] | None = None) -> None:
        if isinstance(argv, (str, bytes)) or not isinstance(argv, Sequence) or not argv:
            raise TypeError(f"glstream.run() takes a non-empty list of strings, like ['glxgears']; got {argv!r}")
        if not all(isinstance(arg, str) for arg in argv):
            raise TypeError(f"glstream.run() takes a list of strings; got {argv!r}")
        self.argv = list(argv)
        sidecar = _sidecar.get()
        display = {**sidecar.display_env, **sidecar.gl_env}
        parent = os.getpid()
        try:
            self._process = subprocess.Popen(
                self.argv,
                env={**os.environ, **display, **dict(env or {})},
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                preexec_fn=lambda: _die_with_kernel(parent),
            )
        except OSError as error:
            raise type(error)(
                error.errno, f"glstream.run() could not start {self.argv[0]!r}: {error.strerror}", self.argv[0]
            ) from error
        self.pid: int = self._process.pid
        self.display = display["DISPLAY"]
        self._output: collections.deque[str] = collections.deque(maxlen=OUTPUT_LINES)
        self._reader = threading.Thread(target=self._read_output, name=f"glstream-app-{self.pid}", daemon=True)
        self._reader.start()
        _running.add(self)

    @property
    def returncode(self) -> int | None:
        """The exit status once the program has ended, else None."""
        return self._process.poll()

    @property
    def running(self) -> bool:
        return self._process.poll() is None

    def windows(self) -> list[Window]:
        """The program's mapped top-level windows."""
        return windows(self.pid)

    def main_window(self, timeout: float = 10.0) -> Window:
        """The program's first mapped window, waiting up to `timeout` seconds for it to appear."""
        deadline = time.monotonic() + timeout
        while True:
            found = self.windows()
            if found:
                return found[0]
            if not self.running:
                raise GlstreamError(
                    f"{self.argv[0]} ended ({_sidecar.describe_exit(self.returncode)}) before it opened a window"
                    + self._output_text()
                )
            if time.monotonic() > deadline:
                raise GlstreamError(
                    f"{self.argv[0]} (pid {self.pid}) opened no window on display {self.display} within {timeout:g} s"
                    + self._output_text()
                )
            threading.Event().wait(WINDOW_POLL_S)

    def output(self, lines: int = 50) -> list[str]:
        """The last `lines` lines the program wrote to stdout and stderr."""
        return list(self._output)[-lines:]

    def terminate(self, grace: float = 3.0) -> int:
        """End the program (SIGTERM, then SIGKILL after `grace` seconds); return its exit status."""
        if self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=grace)
            except subprocess.TimeoutExpired:
                self._process.kill()
        code = self._process.wait()
        _running.discard(self)
        return code

    def __repr__(self) -> str:
        state = "running" if self.running else f"ended, {_sidecar.describe_exit(self.returncode)}"
        return f"<glstream App {' '.join(self.argv)!r} pid {self.pid} on {self.display}, {state}>"

    def _read_output(self) -> None:
        for line in self._process.stdout:
            self._output.append(line.decode("utf-8", "replace").rstrip())
        self._process.stdout.close()

    def _output_text(self) -> str:
        tail = self.output(20)
        return ("; its output ends with:\n    " + "\n    ".join(tail)) if tail else "; it wrote nothing"


def run(argv: Sequence[str], env: Mapping[str, Any] | None = None) -> App:
    """Start `argv` on the kernel's display (with the GL setup glstream chose); it ends with the kernel.

    env: variables to add to the kernel's environment for the program. Show its window with glstream.show(app).
    """
    return App(argv, env)


def _terminate_all() -> None:
    for app in list(_running):
        app.terminate(grace=1.0)


atexit.register(_terminate_all)
