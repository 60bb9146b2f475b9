"""glstream: live off-screen 3D in notebook cells on machines with no screen."""

from ._apps import App, Window, run, windows
from ._doctor import doctor
from ._errors import GlstreamError, GlstreamWarning, SidecarError, SourceGoneError
from ._headless import headless, load_ipython_extension, unload_ipython_extension
from ._pyvista import register_pyvista_backend
from ._version import __version__
from .viewer import Mesh, Viewer
from .window_view import WindowView, show

__all__ = [
    "App",
    "GlstreamError",
    "GlstreamWarning",
    "Mesh",
    "SidecarError",
    "SourceGoneError",
    "Viewer",
    "Window",
    "WindowView",
    "__version__",
    "doctor",
    "headless",
    "load_ipython_extension",
    "register_pyvista_backend",
    "run",
    "show",
    "unload_ipython_extension",
    "windows",
]


def _jupyter_labextension_paths() -> list:
    """Where Jupyter finds the widget's prebuilt labextension."""
    return [{"src": "labextension", "dest": "@glstream/widget"}]
