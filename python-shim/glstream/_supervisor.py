"""The process' renderer, kept running: started on first need, restarted with every live view's scene when it dies.

One sidecar at a time (see _sidecar.Sidecar for the process itself). Its X display belongs to this kernel, not to
the sidecar: a "lifeline" pipe, whose write end only this process holds, tells the display's reaper when to stop it
(at EOF: this process ended, or stop_current() closed it), so a restarted sidecar comes back on the same display and
the kernel's own X clients (VTK under %load_ext, glstream.run programs) keep it.
"""

from __future__ import annotations

import collections
import logging
import os
import threading
import time
from typing import TYPE_CHECKING, Any, Callable

from . import _locate
from ._errors import SidecarError
from ._sidecar import Sidecar, seconds_from_env, start_params

if TYPE_CHECKING:
    from ._live import LiveWidget

log = logging.getLogger("glstream")

RESTARTING = "renderer restarting…"
CRASH_LOOP_DEATHS = 3
CRASH_LOOP_WINDOW_S = 60.0


class _Lifeline:
    """The pipe that keeps one display generation alive: its read end goes to each sidecar that may start an X
    server; its write end stays here, not inherited by any child (os.pipe's ends are not inheritable)."""

    def __init__(self) -> None:
        self.read_fd, self.write_fd = os.pipe()

    def close(self) -> None:
        # once only: a closed descriptor's number may already name another file
        fds, (self.write_fd, self.read_fd) = (self.write_fd, self.read_fd), (-1, -1)
        for fd in fds:
            if fd >= 0:
                os.close(fd)


class _State:
    def __init__(self) -> None:
        self.changed = threading.Condition(threading.RLock())
        self.current: Sidecar | None = None
        # the first sidecar of the display generation: the display the kernel was given, kept across restarts
        self.first: Sidecar | None = None
        self.lifeline: _Lifeline | None = None
        self.restarting = False
        self.deaths: collections.deque[float] = collections.deque()
        self.widgets: dict[str, LiveWidget] = {}
        self.display_in_use = False


_state = _State()


def current() -> Sidecar | None:
    """The running sidecar of this process, or None (also while it restarts)."""
    sidecar = _state.current
    return sidecar if sidecar is not None and sidecar.alive and not _state.restarting else None


def restoring() -> bool:
    """Whether a restart is under way: its views are offered the new renderer once all of them are back."""
    return _state.restarting


def get(on_start: Callable[[], None] | None = None, force_headless: bool = False) -> Sidecar:
    """The running sidecar; while one restarts, the restarted one; if there is none, start one (calling `on_start`
    first). Raises SidecarError."""
    state = _state
    with state.changed:
        _wait_restart(state)
        sidecar = current()
        if sidecar is None:
            params = start_params(force_headless)
            if on_start is not None:
                on_start()
            state.current = None
            state.deaths.clear()
            sidecar = state.current = _launch(state, params)
        return sidecar


def _launch(state: _State, params: dict[str, Any]) -> Sidecar:
    """A sidecar on the kept display, or the first of a new display generation."""
    kept = state.first if state.first is not None and state.lifeline is not None else None
    if state.lifeline is None:
        state.lifeline = _Lifeline()
    if kept is not None:
        params = {key: value for key, value in params.items() if key != "force_headless"}
    try:
        sidecar = Sidecar.launch(
            _locate.sidecar_command(),
            seconds_from_env("GLSTREAM_START_TIMEOUT", 60.0),
            {**params, "lifeline_fd": state.lifeline.read_fd},
            kept=kept,
            pass_fds=(state.lifeline.read_fd,),
            on_death=_died,
        )
    except BaseException:
        if kept is None:
            # an X server it may have started goes with the lifeline; the next start begins a new generation
            state.lifeline.close()
            state.lifeline = None
        raise
    if kept is None or sidecar.info.get("display") != kept.info.get("display"):
        # a new display (the kept one was gone): from now on the kernel's display is this one
        state.first = sidecar
        sidecar.kept = None
    return sidecar


def register(widget: LiveWidget) -> None:
    """Restore `widget`'s view whenever the renderer restarts, until unregister()."""
    with _state.changed:
        _state.widgets[widget._view_id] = widget


def unregister(widget: LiveWidget) -> None:
    with _state.changed:
        _state.widgets.pop(widget._view_id, None)


def settled(sidecar: Sidecar | None) -> None:
    """Wait while `sidecar` is restarting (bounded by GLSTREAM_START_TIMEOUT); raise SidecarError if it will not
    come back. Returns at once for a healthy sidecar, and for one this process stopped."""
    state = _state
    if sidecar is None or (sidecar.alive and not state.restarting):
        return
    timeout = seconds_from_env("GLSTREAM_START_TIMEOUT", 60.0)
    with state.changed:
        if not state.changed.wait_for(lambda: not _pending(state, sidecar), timeout):
            raise SidecarError(
                f"the glstream renderer did not come back within {timeout:g} s after it stopped. Raise "
                "GLSTREAM_START_TIMEOUT if this machine is slow; run `glstream doctor` in a terminal"
            )
        if sidecar.epitaph is not None:
            raise SidecarError(sidecar.epitaph)


def _pending(state: _State, sidecar: Sidecar) -> bool:
    # a restart runs, or the sidecar died and its reader has not told us yet
    return state.restarting or (state.current is sidecar and not sidecar.alive and not sidecar.closing)


def _wait_restart(state: _State) -> None:
    timeout = seconds_from_env("GLSTREAM_START_TIMEOUT", 60.0)
    if not state.changed.wait_for(lambda: not state.restarting, timeout):
        raise SidecarError(f"the glstream renderer did not come back within {timeout:g} s after it stopped")


def _died(sidecar: Sidecar, cause: str, log_text: str) -> None:
    """The sidecar ended without being asked to (on its reader thread): restart it, unless it keeps dying."""
    state = _state
    with state.changed:
        if state.current is not sidecar:
            return
        now = time.monotonic()
        state.deaths.append(now)
        while state.deaths and now - state.deaths[0] > CRASH_LOOP_WINDOW_S:
            state.deaths.popleft()
        widgets = list(state.widgets.values())
        if len(state.deaths) >= CRASH_LOOP_DEATHS:
            message = (
                f"The glstream renderer died {len(state.deaths)} times within a minute, so it is not restarted "
                f"again. Last time: {cause}.{log_text}\nRun `glstream doctor` in a terminal to check the display "
                "and OpenGL setup, then restart the kernel (a new Viewer tries a fresh renderer)."
            )
            _give_up(state, sidecar, message, widgets)
            return
        state.restarting = True
        state.changed.notify_all()
    # the views say so; a warning would land in the output of whichever cell ran last
    log.info("glstream: %s; restarting it with its %d view(s)", cause, len(widgets))
    for widget in widgets:
        widget.error = ""
        widget.status = RESTARTING
    threading.Thread(target=_restart, args=(sidecar, cause), name="glstream-restart", daemon=True).start()


def _give_up(state: _State, sidecar: Sidecar, message: str, widgets: list[LiveWidget]) -> None:
    # its views stay as they are, saying why; a later Viewer may start a fresh renderer, which does not restore them
    sidecar.epitaph = message
    log.error("glstream: %s", message.split("\n", 1)[0])
    state.current = None
    for widget in widgets:
        state.widgets.pop(widget._view_id, None)
    state.restarting = False
    state.changed.notify_all()
    for widget in widgets:
        widget.status = ""
        widget.error = message


def _restart(dead: Sidecar, cause: str) -> None:
    state = _state
    with state.changed:
        if state.current is not dead:
            state.restarting = False
            state.changed.notify_all()
            return
        try:
            sidecar = state.current = _launch(state, start_params())
        except Exception as error:
            message = (
                f"The glstream renderer stopped ({cause}) and could not be restarted: {error}\nRun `glstream doctor` "
                "in a terminal to check the display and OpenGL setup, then restart the kernel."
            )
            _give_up(state, dead, message, list(state.widgets.values()))
            return
        widgets = sorted(state.widgets.values(), key=lambda widget: int(widget._view_id[1:]))
    added: set[str] = set()
    for widget in widgets:
        try:
            widget._restore(sidecar, added)
        except Exception as error:
            log.exception("glstream: view %s could not be restored", widget._view_id)
            widget._restore_failed(f"the renderer restarted, but this view could not be re-created: {error}")
    for widget in widgets:
        try:
            widget._restore_links(sidecar)
        except Exception:
            log.exception("glstream: the camera link of view %s could not be restored", widget._view_id)
    with state.changed:
        if state.current is not sidecar or not sidecar.alive:
            return  # it died again while its views were restored: that death's restart takes over
        state.restarting = False
        state.changed.notify_all()
    for widget in widgets:
        if widget.status == RESTARTING:
            widget.status = ""
        if widget.comm is not None:
            # the new renderer numbers the view's frames from 1 again: the front end must not wait for the old seq
            widget.send({"type": "restarted"})
        widget._offer_direct()


def note_display_in_use() -> None:
    _state.display_in_use = True


def stop_current(grace: float = 5.0) -> None:
    """Stop this process' sidecar, if any, and the display it started (closing the lifeline)."""
    state = _state
    with state.changed:
        _wait_restart_quietly(state)
        sidecar, state.current = state.current, None
        lifeline, state.lifeline = state.lifeline, None
        state.first = None
        state.deaths.clear()
        state.changed.notify_all()
    if sidecar is not None:
        sidecar.close(grace)
    if lifeline is not None:
        lifeline.close()


def _wait_restart_quietly(state: _State) -> None:
    state.changed.wait_for(lambda: not state.restarting, seconds_from_env("GLSTREAM_START_TIMEOUT", 60.0))


def stop_at_exit() -> None:
    # the X connections this process holds (headless()) close only as it ends; a display stopped before that
    # breaks them and Xlib ends the process with status 1: then the sidecar and display end after it
    if not _state.display_in_use:
        stop_current()


def forget_in_child() -> None:
    """After fork: the child holds no sidecar, and its copy of the lifeline must not keep the display alive."""
    global _state
    lifeline = _state.lifeline
    _state = _State()
    if lifeline is not None:
        lifeline.close()
