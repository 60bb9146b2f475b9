"""glstream: live off-screen 3D in notebook cells on machines with no screen."""

from ._doctor import doctor
from ._errors import GlstreamError, GlstreamWarning, SidecarError
from ._headless import headless, load_ipython_extension, unload_ipython_extension
from ._version import __version__
from .viewer import Mesh, Viewer

__all__ = [
    "GlstreamError",
    "GlstreamWarning",
    "Mesh",
    "SidecarError",
    "Viewer",
    "__version__",
    "doctor",
    "headless",
    "load_ipython_extension",
    "unload_ipython_extension",
]


def _jupyter_labextension_paths() -> list:
    """Where Jupyter finds the widget's prebuilt labextension."""
    return [{"src": "labextension", "dest": "@glstream/widget"}]
