"""The sidecar supervisor: one renderer process per kernel, started on first need.

Launch follows jupyter-server-proxy's ensure_process: a lock, a readiness probe with a timeout
(HELLO, then the "start" request), and on any failure the process is stopped and no state is kept.
"""

from __future__ import annotations

import atexit
import collections
import concurrent.futures
import logging
import os
import select
import signal
import subprocess
import threading
import time
from collections.abc import Sequence
from typing import Any, Callable

from . import _environ
from ._channel import Channel, Listener
from ._errors import SidecarError, SourceGoneError
from ._limits import BACKENDS
from ._protocol import PROTOCOL_VERSION, Kind
from ._version import __version__

log = logging.getLogger("glstream")

STDERR_LINES = 200
ERROR_TAIL_LINES = 60
STDERR_SETTLE_S = 1.0
# A caller's mistake raises the built-in class Python code would raise for it; anything else is the renderer's
# failure (SidecarError, with its log). Codes, never JavaScript class names: those change with the code that throws.
_ERROR_CLASSES: dict[str, type[Exception]] = {
    "invalid_argument": ValueError,
    "invalid_type": TypeError,
    "out_of_range": IndexError,
    "not_found": ValueError,
    "display_unavailable": SidecarError,
    "source_gone": SourceGoneError,
    "protocol": SidecarError,
    "internal": SidecarError,
}


# glibc raises its mmap threshold each time a big block is freed, so after a few big arrays come and go, the next
# ones land in heaps it never hands back: a scene's removed meshes would keep their memory for the renderer's
# life. A fixed threshold keeps blocks of 1 MiB and more mapped on their own, and returned when freed.
RENDERER_MALLOC = {"MALLOC_MMAP_THRESHOLD_": str(1 << 16)}


def seconds_from_env(name: str, default: float) -> float:
    """A positive number of seconds from environment variable `name`, else `default`."""
    text = os.environ.get(name)
    if not text:
        return default
    try:
        value = float(text)
    except ValueError as error:
        raise ValueError(f"{name} must be a number of seconds; got {text!r}") from error
    if not value > 0:
        raise ValueError(f"{name} must be a positive number of seconds; got {text!r}")
    return value


def describe_exit(code: int | None) -> str:
    try:
        return (
            f"exit code {code}, {signal.Signals(-code).name}" if code is not None and code < 0 else f"exit code {code}"
        )
    except ValueError:
        return f"exit code {code}"


def _readable(fd: int, timeout_ms: int | None) -> bool:
    poller = select.poll()
    poller.register(fd, select.POLLIN)
    return bool(poller.poll(timeout_ms))


def _error_text(reply: dict) -> str:
    error = reply.get("error") or {}
    text = str(error.get("message", "the renderer gave no reason"))
    return f"{text} ({error['hint']})" if error.get("hint") else text


class Sidecar:
    """A running sidecar process: its channel, its stderr tail, and what its "start" reply said."""

    def __init__(
        self,
        argv: Sequence[str],
        start_params: dict[str, Any] | None = None,
        kept: Sidecar | None = None,
        pass_fds: Sequence[int] = (),
        on_death: Callable[[Sidecar, str, str], None] | None = None,
    ) -> None:
        """kept: an earlier sidecar whose display this one starts on (and reports as its own); pass_fds: file
        descriptors the process inherits; on_death(sidecar, cause, log text): called on the reader thread when the
        process ends after it was ready without close() (its views are then not told it stopped)."""
        self.argv = list(argv)
        self.start_params = dict(start_params or {})
        self.kept = kept
        # set when no renderer will replace this one: why, for the calls its views still make
        self.epitaph: str | None = None
        self._on_death = on_death
        try:
            self._process = subprocess.Popen(
                [*self.argv, "serve", "--stdio"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                close_fds=True,
                pass_fds=tuple(pass_fds),
                # plain log lines, even under ipykernel; without the DISPLAY etc. that glstream.headless() set from
                # an earlier sidecar, whose display may be gone; with the kept display of the sidecar it replaces
                env={
                    **_environ.original(),
                    **(kept.display_env if kept is not None else {}),
                    "FORCE_COLOR": "0",
                    "NO_COLOR": "1",
                    **RENDERER_MALLOC,
                },
            )
        except OSError as error:
            raise SidecarError(f"could not run the glstream renderer {self.argv}: {error}") from error
        self.pid: int = self._process.pid
        self.hello: dict = {}
        self.info: dict = {}
        self._stderr: collections.deque[str] = collections.deque(maxlen=STDERR_LINES)
        self._stderr_read = threading.Condition()
        self._stderr_ended = False
        self._closing = False
        self._torn = False
        self._channel = Channel(self._process.stdin, self._tear_down)
        self._stderr_thread = threading.Thread(
            target=self._read_stderr, name=f"glstream-{self.pid}-stderr", daemon=True
        )
        self._reader_thread = threading.Thread(
            target=self._read_stdout, name=f"glstream-{self.pid}-reader", daemon=True
        )
        self._stderr_thread.start()
        self._reader_thread.start()

    @classmethod
    def launch(
        cls, argv: Sequence[str], timeout: float, start_params: dict[str, Any] | None = None, **kwargs: Any
    ) -> Sidecar:
        """Start a sidecar (kwargs as for the constructor) and complete the handshake within `timeout` seconds, or
        stop it and raise."""
        sidecar = cls(argv, start_params, **kwargs)
        try:
            sidecar._handshake(time.monotonic() + timeout, timeout)
        except BaseException:
            sidecar.close(grace=0)
            raise
        return sidecar

    @property
    def alive(self) -> bool:
        """True until the process exits or the channel breaks."""
        return self._channel.closed is None and self._process.poll() is None

    @property
    def closing(self) -> bool:
        """True once close() was called: its end is no death."""
        return self._closing

    @property
    def returncode(self) -> int | None:
        """The process' exit status once it has exited."""
        return self._process.poll()

    @property
    def _display_info(self) -> dict:
        # a restarted sidecar runs on the display of the first one, which is "existing" to it but not to the kernel
        return self.kept._display_info if self.kept is not None else self.info

    @property
    def display(self) -> str | None:
        """The X display the renderer uses, e.g. ':99'."""
        return self._display_info.get("display")

    @property
    def xserver_pid(self) -> int | None:
        """The pid of the X server glstream started for the display, or None if it uses an existing display."""
        return self._display_info.get("xserver_pid")

    @property
    def xauthority(self) -> str | None:
        """The Xauthority file with the cookie the display asks for; None for an existing display (its clients have
        what they need)."""
        return self._display_info.get("xauthority")

    @property
    def display_env(self) -> dict[str, str]:
        """DISPLAY, and XAUTHORITY when the sidecar started the display: what an X client needs to connect to it."""
        return {"DISPLAY": self.display or "", **({"XAUTHORITY": self.xauthority} if self.xauthority else {})}

    @property
    def display_source(self) -> str | None:
        """Where the display came from: "existing", "xvfb" or "xpra"."""
        return self._display_info.get("display_source")

    @property
    def gl_env(self) -> dict[str, str]:
        """Environment variables of the GL setup the sidecar chose ({} when plain GLX works)."""
        return {str(name): str(value) for name, value in (self.info.get("gl_env") or {}).items()}

    @property
    def gl_preload(self) -> list[str]:
        """Libraries to load globally before any GL library (VirtualGL's faker, a non-default Mesa); usually []."""
        return [str(path) for path in self.info.get("gl_preload") or []]

    @property
    def steps(self) -> list[dict]:
        """The display and GL steps the sidecar tried: [{step, status, reason, output?}]."""
        return list(self.info.get("steps") or [])

    def stderr_tail(self, lines: int = ERROR_TAIL_LINES) -> list[str]:
        """The last `lines` lines the sidecar wrote to stderr."""
        return list(self._stderr)[-lines:]

    def _log_text(self) -> str:
        # the sidecar logs a failure (a stack trace) before it reports it: let the reader take in what was logged
        with self._stderr_read:
            self._stderr_read.wait_for(self._stderr_caught_up, STDERR_SETTLE_S)
        tail = self.stderr_tail()
        return (
            ("\nThe renderer's log ends with:\n    " + "\n    ".join(tail))
            if tail
            else "\nThe renderer's log is empty."
        )

    def _handshake(self, deadline: float, timeout: float) -> None:
        slow = ", so it was stopped. Raise GLSTREAM_START_TIMEOUT if this machine is slow."
        try:
            hello = self._channel.hello.result(timeout=max(0.0, deadline - time.monotonic()))
        except concurrent.futures.TimeoutError as error:
            raise SidecarError(
                f"the glstream renderer ({' '.join(self.argv)}) did not say HELLO within {timeout:g} s"
                + slow
                + self._log_text()
            ) from error
        if hello.get("protocol") != PROTOCOL_VERSION:
            raise SidecarError(
                f"the glstream renderer at {self.argv[-1]} (version {hello.get('version')}) speaks protocol version "
                f"{hello.get('protocol')!r}, but this glstream Python package (version {__version__}) speaks protocol "
                f"version {PROTOCOL_VERSION}. Reinstall so that the Python package and the Node sidecar come from the "
                "same release (pip install -U glstream and npm install @glstream/sidecar of the same version)"
            )
        self.hello = hello
        self._channel.send(
            Kind.HELLO, {"protocol": PROTOCOL_VERSION, "name": "glstream-python", "version": __version__}
        )
        try:
            reply, _ = self._channel.call("start", self.start_params, (), max(0.0, deadline - time.monotonic()))
        except concurrent.futures.TimeoutError as error:
            raise SidecarError(
                f"the glstream renderer did not become ready within {timeout:g} s" + slow + self._log_text()
            ) from error
        if not reply.get("ok"):
            raise SidecarError(
                f"the glstream renderer could not start: {_error_text(reply)}. Run "
                f"`{' '.join(self.argv)} doctor` in a terminal to check the display and OpenGL setup."
                + self._log_text()
            )
        self.info = reply.get("result") or {}

    def request(
        self, method: str, params: dict[str, Any], buffers: Sequence[Any] = (), timeout: float | None = None
    ) -> tuple[dict, bytes]:
        """Send a request and wait for its reply: (result, payload). An error reply raises the class of its code."""
        if timeout is None:
            timeout = seconds_from_env("GLSTREAM_REQUEST_TIMEOUT", 60.0)
        try:
            reply, payload = self._channel.call(method, params, buffers, timeout)
        except concurrent.futures.TimeoutError as error:
            raise SidecarError(
                f"the glstream renderer did not answer {method!r} within {timeout:g} s. Raise "
                "GLSTREAM_REQUEST_TIMEOUT for very large scenes." + self._log_text()
            ) from error
        if reply.get("ok"):
            return reply.get("result") or {}, payload
        error_class = _ERROR_CLASSES.get((reply.get("error") or {}).get("code"), SidecarError)
        text = f"{method}: {_error_text(reply)}"
        raise error_class(text + self._log_text() if error_class is SidecarError else text)

    def send_event(self, meta: dict[str, Any]) -> None:
        """Send an EVENT (input for a view) without waiting."""
        self._channel.send(Kind.EVENT, meta)

    def attach(self, view: str, listener: Listener) -> None:
        """Deliver frames and notices for `view`, and the news that the sidecar stopped, to `listener`."""
        self._channel.attach(view, listener)

    def detach(self, view: str) -> None:
        """Stop delivering messages for `view`."""
        self._channel.detach(view)

    def _tear_down(self) -> None:
        self._torn = True
        self._process.kill()

    def _read_stderr(self) -> None:
        fd = self._process.stderr.fileno()
        partial = b""
        while not self._stderr_ended:
            _readable(fd, None)
            # read and split under the condition, so that _stderr_caught_up never finds the pipe empty while whole
            # lines read from it are not in the tail yet
            with self._stderr_read:
                chunk = os.read(fd, 1 << 16)
                lines = (partial + chunk).split(b"\n")
                partial = lines.pop()
                if not chunk and partial:
                    lines.append(partial)
                self._stderr.extend(line.decode("utf-8", "replace").rstrip() for line in lines)
                self._stderr_ended = not chunk
                self._stderr_read.notify_all()

    def _stderr_caught_up(self) -> bool:
        return self._stderr_ended or not _readable(self._process.stderr.fileno(), 0)

    def _read_stdout(self) -> None:
        cause = self._channel.run(self._process.stdout)
        if cause is not None:
            self._process.kill()
        self._reap(grace=5)
        self._stderr_thread.join(timeout=2)
        self._process.stdout.close()
        if not self._stderr_thread.is_alive():
            self._process.stderr.close()
        exit_text = describe_exit(self._process.returncode)
        if self._torn:
            summary = (
                "the glstream renderer was stopped because sending it a message was interrupted half-way, "
                f"which breaks the channel ({exit_text})"
            )
        elif cause is not None:
            summary = f"the glstream renderer broke the protocol ({cause}) and was stopped ({exit_text})"
        elif self._closing:
            summary = f"the glstream renderer was shut down ({exit_text})"
        elif not self.info:
            summary = f"the glstream renderer exited before it was ready ({exit_text})"
        else:
            summary = f"the glstream renderer stopped ({exit_text})"
        supervised = self._on_death is not None and bool(self.info) and not self._closing
        if supervised:
            fix = ". glstream restarts it with its views; run this call again."
        elif self.info:
            fix = ". Create a new Viewer to start a fresh one."
        else:
            fix = f". Run `{' '.join(self.argv)} doctor` in a terminal to check the display and OpenGL setup."
        log_text = self._log_text()
        views = self._channel.close(summary + fix + log_text)
        if supervised:
            self._on_death(self, summary, log_text)
            return
        last = self.stderr_tail(1)
        for listener in views:
            try:
                listener.stopped(summary + (f": {last[0]}" if last else "") + fix)
            except Exception:
                log.exception("glstream: a view failed to handle the renderer stopping")

    def _reap(self, grace: float) -> None:
        for step in (self._process.terminate, self._process.kill):
            try:
                self._process.wait(timeout=grace)
                return
            except subprocess.TimeoutExpired:
                step()
                grace = 3
        self._process.wait()

    def close(self, grace: float = 5.0) -> None:
        """Close stdin (the sidecar exits on EOF), wait up to `grace` seconds, then terminate, then kill."""
        self._closing = True
        self._channel.close_input(timeout=grace)
        self._reap(grace)
        if threading.current_thread() is not self._reader_thread:
            self._reader_thread.join(timeout=5)


def start_params(force_headless: bool = False) -> dict[str, Any]:
    """The "start" request's params: from GLSTREAM_BACKEND (see _limits.BACKENDS) and GLSTREAM_FORCE_HEADLESS=1."""
    params: dict[str, Any] = {}
    backend = os.environ.get("GLSTREAM_BACKEND")
    if backend:
        if backend not in BACKENDS:
            raise ValueError(f"GLSTREAM_BACKEND must be {' or '.join(BACKENDS)}; got {backend!r}")
        params["backend"] = backend
    if force_headless or os.environ.get("GLSTREAM_FORCE_HEADLESS") == "1":
        params["force_headless"] = True
    return params


# The process-wide renderer lives in _supervisor (which restarts it); these are its entry points for the rest of
# glstream and for tools that drive it.


def current() -> Sidecar | None:
    """The running sidecar of this process, or None."""
    from . import _supervisor

    return _supervisor.current()


def get(on_start: Callable[[], None] | None = None, force_headless: bool = False) -> Sidecar:
    """The running sidecar; if there is none, start one (calling `on_start` first). Raises SidecarError.

    force_headless: start one on a virtual display even if DISPLAY names a working one (no effect on a running one).
    """
    from . import _supervisor

    return _supervisor.get(on_start, force_headless)


def display_in_use() -> None:
    """This process draws on the sidecar's display itself (headless()): at exit, leave the sidecar to end after it.

    Its X connections (VTK's, Qt's) close only as the process ends; a display stopped before that breaks them, and
    Xlib then ends the process with an error and exit status 1. The sidecar and the display end when the pipes to
    them close, which the exit of this process does.
    """
    from . import _supervisor

    _supervisor.note_display_in_use()


def stop_current(grace: float = 5.0) -> None:
    """Stop this process' sidecar, if any, and the display glstream started for it."""
    from . import _supervisor

    _supervisor.stop_current(grace)


def _stop_at_exit() -> None:
    from . import _supervisor

    _supervisor.stop_at_exit()


def _forget_in_child() -> None:
    from . import _supervisor

    _supervisor.forget_in_child()


atexit.register(_stop_at_exit)
if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_in_child)
