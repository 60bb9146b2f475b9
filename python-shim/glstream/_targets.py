"""What glstream.show() can show of VTK: the render window behind a target.

Duck-typed, so that neither PyVista, Mayavi nor FURY is imported (each may be absent, and each is slow to import).
"""

from __future__ import annotations

from typing import Any

ACCEPTED_KINDS = (
    "a vtkRenderWindow, an object that owns one (a PyVista Plotter, a Mayavi figure or scene, a FURY ShowManager), "
    "an X window id (int), or an app from glstream.run()"
)

# Where owners keep their window, in the order tried: a PyVista Plotter (`render_window`, `ren_win` before 0.38)
# and a TVTK scene (`render_window`), a Mayavi figure (`scene`, a TVTK scene), a FURY ShowManager (`window`).
_OWNER_ATTRIBUTES = ("render_window", "ren_win", "scene", "window")
# A Mayavi figure is two steps from its window (figure.scene.render_window); no owner is further away.
_MAX_DEPTH = 2
_MISSING = object()


def render_window_of(target: Any) -> Any:
    """The vtkRenderWindow that `target` is or owns, or None if it is neither.

    Raises ValueError for a PyVista Plotter (or TVTK scene) that no longer has a window: it was closed.
    """
    window = _find(target, _MAX_DEPTH)
    if window is None and not _is_vtk(target) and getattr(target, "render_window", _MISSING) is None:
        raise ValueError(
            f"this {type(target).__name__} has no render window any more: it was closed. Show it before closing "
            "it, or make a new one"
        )
    return window


def _find(obj: Any, depth: int) -> Any:
    window = _as_render_window(obj)
    # VTK's own objects are windows or not: since 9.4 a renderer or an interactor has a render_window property,
    # but it is not what show() was asked to show
    if window is not None or depth == 0 or _is_vtk(obj):
        return window
    for name in _OWNER_ATTRIBUTES:
        owned = getattr(obj, name, None)
        if owned is not None and owned is not obj:
            window = _find(owned, depth - 1)
            if window is not None:
                return window
    return None


def _as_render_window(obj: Any) -> Any:
    # TVTK (Mayavi's layer over VTK) wraps each VTK object and keeps the real one as _vtk_obj.
    if type(obj).__module__.startswith("tvtk"):
        obj = getattr(obj, "_vtk_obj", None)
    # matching the class name along the MRO recognises every vtkRenderWindow subclass (X, EGL, OSMesa, Cocoa,
    # Win32) without importing VTK
    if _is_vtk(obj) and any(base.__name__ == "vtkRenderWindow" for base in type(obj).__mro__):
        return obj
    return None


def _is_vtk(obj: Any) -> bool:
    # VTK's classes live in vtkmodules.* (VTK 9) or in vtk* modules (older releases)
    return type(obj).__module__.startswith("vtk")
