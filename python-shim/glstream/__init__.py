"""glstream: live off-screen 3D in notebook cells on machines with no screen."""

from ._apps import App, Window, run, windows
from ._doctor import doctor
from ._errors import GlstreamError, GlstreamWarning, SidecarError, SourceGoneError
from ._headless import headless, load_ipython_extension, unload_ipython_extension
from ._pyvista import register_pyvista_backend
from ._replay import replay_usage
from ._scene import Lines, Mesh, Pick, Points, ScalarBar, Slices
from ._version import __version__
from .viewer import Viewer, link_cameras, unlink_cameras
from .window_view import WindowView, show

__all__ = [
    "App",
    "GlstreamError",
    "GlstreamWarning",
    "Lines",
    "Mesh",
    "Pick",
    "Points",
    "ScalarBar",
    "SidecarError",
    "Slices",
    "SourceGoneError",
    "Viewer",
    "Window",
    "WindowView",
    "__version__",
    "doctor",
    "headless",
    "link_cameras",
    "load_ipython_extension",
    "register_pyvista_backend",
    "replay_usage",
    "run",
    "show",
    "unlink_cameras",
    "unload_ipython_extension",
    "windows",
]
