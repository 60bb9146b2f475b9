"""glstream.show(): a live, interactive view of an existing program's window in the cell.

Two frame sources behind one widget: a VTK render window is rendered and read back in this kernel (it never
reads X events, and an off-screen one is never mapped), any other X window is captured by the sidecar.
"""

from __future__ import annotations

import numbers
import os
from typing import Any

from . import _sidecar, _targets
from ._apps import App, Window
from ._errors import GlstreamError
from ._live import LiveWidget

WINDOW_TIMEOUT_S = 10.0


class WindowView(LiveWidget):
    """A live view of a VTK render window (or an object that owns one), an X window id, or an App's window.

    width, height: the size to give the window, in CSS pixels (None: keep its own); a resized cell resizes it.
    Other arguments as for Viewer (transport, target_fps, still).
    """

    def __init__(self, target: Any, width: int | None = None, height: int | None = None, **kwargs: Any) -> None:
        self._stream: Any = None
        self._target = _classify(target)
        super().__init__(width=width, height=height, **kwargs)

    @property
    def target(self) -> Any:
        """What this view shows: the vtkRenderWindow, or the X window id."""
        return self._target[1]

    def _open(
        self, sidecar: _sidecar.Sidecar, size: tuple[int | None, int | None], options: dict[str, Any]
    ) -> tuple[int, int]:
        kind, target = self._target
        if kind == "vtk":
            # imported here: importing glstream must load no VTK (nor its GL libraries) before %load_ext glstream
            from ._vtk_stream import VtkStream

            owner, target = target
            self._target = ("vtk", target)
            _first_render(owner, target)
            self._stream = VtkStream(target, self._view_id, self._request, *size)
            return self._capture_kernel(sidecar, options)
        if kind == "app":
            window = target.main_window(_sidecar.seconds_from_env("GLSTREAM_WINDOW_TIMEOUT", WINDOW_TIMEOUT_S)).id
            self._target = ("x", window)
        else:
            window = target
        params: dict[str, Any] = {"view": self._view_id, "window": window, **options}
        params.update({key: value for key, value in zip(("width", "height"), size) if value is not None})
        result, _ = sidecar.request("capture_x", params)
        return int(result["width"]), int(result["height"])

    def _capture_kernel(self, sidecar: _sidecar.Sidecar, options: dict[str, Any]) -> tuple[int, int]:
        width, height = self._stream.size
        sidecar.request("capture_kernel", {"view": self._view_id, "width": width, "height": height, **options})
        return width, height

    def _request(self, method: str, params: dict) -> dict:
        # the stream's worker asks whichever renderer this view has now (a restart replaces it)
        result, _ = self._sidecar.request(method, params)
        return result

    def _reopen(self, sidecar: _sidecar.Sidecar, added: set[str]) -> None:
        # the window lives on in this kernel or on the kept display: only the renderer's side of the view is new
        if self._target[0] == "vtk":
            self._capture_kernel(sidecar, self._view_options)
        else:
            self._open(sidecar, self._requested_size, self._view_options)

    def _release(self) -> None:
        if self._stream is not None:
            self._stream.close()

    def _capture_message(self, meta: dict) -> None:
        if self._stream is not None:
            self._stream.handle(meta)


def _classify(target: Any) -> tuple[str, Any]:
    if isinstance(target, App):
        return "app", target
    if isinstance(target, Window):
        return "x", target.id
    if isinstance(target, numbers.Integral) and not isinstance(target, bool):
        if target <= 0:
            raise ValueError(f"an X window id is a positive integer; got {target}")
        return "x", int(target)
    render_window = _targets.render_window_of(target)
    if render_window is not None:
        return "vtk", (target, render_window)
    raise TypeError(f"glstream.show() takes {_targets.ACCEPTED_KINDS}; got {type(target).__qualname__}")


def _first_render(target: Any, render_window: Any) -> None:
    # A PyVista Plotter places its camera on its first render request, which show() and screenshot() make; a view
    # of one that was never shown would otherwise start with VTK's default camera, far too close. The render itself
    # is the stream's first frame, in its worker thread: a first render here, before the stream's observers hold
    # the window's renders to one thread at a time, was seen to hang or kill the kernel at the next drag.
    prepare = getattr(target, "_on_first_render_request", None)
    if getattr(target, "_first_time", False) is True and callable(prepare):
        prepare()
    if (
        render_window.GetNeverRendered()
        and render_window.GetClassName() == "vtkXOpenGLRenderWindow"
        and not os.environ.get("DISPLAY")
    ):
        # VTK's X window on no display ends the process (the kernel) at its first render
        raise GlstreamError(
            "this VTK window needs an X display, and this kernel has none: run `%load_ext glstream` (or "
            "glstream.headless()) first, in a fresh kernel, before importing VTK or PyVista"
        )


def show(target: Any, width: int | None = None, height: int | None = None, **kwargs: Any) -> WindowView:
    """A live view of `target` in the cell: drag, wheel and keys reach the program.

    target: a vtkRenderWindow; an object that owns one (a PyVista Plotter, a Mayavi figure or scene, a FURY
    ShowManager); an X window id; or an app from glstream.run(), whose first window is shown.
    """
    return WindowView(target, width=width, height=height, **kwargs)
