"""PyVista's Jupyter backend "glstream": `pv.set_jupyter_backend("glstream")` (or `pl.show(jupyter_backend="glstream")`)
makes Plotter.show() in a notebook show glstream's live view of the plotter. PyVista finds it through the entry point
in pyproject.toml; register_pyvista_backend() registers it by a call as well, which also makes it PyVista's default.

It uses PyVista's own plugin hook, pyvista.register_jupyter_backend (PyVista >= 0.48), and no PyVista internals.
What PyVista then does with the handler's return value, in Plotter.show() when the plotter is in a notebook:
- it displays it, and show() returns None; with show(return_viewer=True) it returns it instead, undisplayed;
- it does not close the plotter, whatever auto_close says ("Plotters are never auto-closed in Jupyter": the close
  is skipped whenever the handler returned something), so the live view keeps a working render window;
- it calls the handler before the plotter's first render, then renders it on the calling thread.
PyVista's auto-detection (no backend set, no PYVISTA_JUPYTER_BACKEND) prefers backends registered by a call like
this one over trame and the static image, so after registering, glstream is also what `pl.show()` picks by default.

pyvista is imported only when register_pyvista_backend() is called, never when glstream is imported.
"""

from __future__ import annotations

from typing import Any

BACKEND = "glstream"


def jupyter_backend(
    plotter: Any, *, screenshot: Any = None, width: int | None = None, height: int | None = None
) -> Any:
    """The handler PyVista calls as handler(plotter, screenshot=..., **jupyter_kwargs) from Plotter.show().

    `pl.show(jupyter_kwargs={"width": 800, "height": 450})` sets the size of the view. `screenshot` is accepted
    and left to Plotter.show(), which saves it itself after rendering.
    """
    from . import show

    return show(plotter, width=width, height=height)


def register_pyvista_backend() -> bool:
    """Register the "glstream" Jupyter backend with PyVista; True once it is registered.

    False, without an error, when pyvista cannot be imported or is older than 0.48 (no backend registry; there,
    `glstream.show(plotter)` still works). Calling it again, or after PyVista found the backend through an entry
    point, changes nothing.
    """
    try:
        import pyvista
    except ImportError:
        return False
    register = getattr(pyvista, "register_jupyter_backend", None)
    listed = getattr(pyvista, "registered_jupyter_backends", None)
    if register is None or listed is None:
        return False
    handlers = {entry.name: entry.handler for entry in listed()}
    if handlers.get(BACKEND) is not jupyter_backend:
        # override: replace quietly what an earlier copy of this module (importlib.reload) registered
        register(BACKEND, jupyter_backend, override=BACKEND in handlers)
    return True
