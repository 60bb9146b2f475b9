"""glstream: live off-screen 3D in notebook cells on machines with no screen."""

from ._errors import GlstreamError, SidecarError
from ._version import __version__
from .viewer import Mesh, Viewer

__all__ = ["GlstreamError", "Mesh", "SidecarError", "Viewer", "__version__"]


def _jupyter_labextension_paths() -> list:
    """Where Jupyter finds the widget's prebuilt labextension."""
    return [{"src": "labextension", "dest": "@glstream/widget"}]
