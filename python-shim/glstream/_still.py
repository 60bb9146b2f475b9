"""The picture a saved notebook keeps of each view.

Where no widget JavaScript runs (a notebook opened without its kernel, an nbconvert export, GitHub), a live view
cannot show. So a view's output also carries a picture of it (image/png, and text/html with one line saying why
it is not live), taken when it is displayed; and the widget's synced `_still` holds the latest still, which the
widget shows until live frames arrive and which a saved widget state carries. After each cell the renderer is
asked for the latest still only when the view changed: it keeps the still it last sent the widget, so this
costs a render only for views nobody is watching.
"""

from __future__ import annotations

import base64
import html
import logging
import weakref
from typing import Any

log = logging.getLogger("glstream")

NOT_LIVE = (
    "glstream: a picture of this view, taken when the notebook ran; the widget's JavaScript did not run here. "
    "Open the notebook in Jupyter with glstream installed and run it to make the view live."
)


class StillKeeper:
    """Keeps the `_still` of every displayed view current, after each cell of the IPython shell it hooks into."""

    def __init__(self) -> None:
        self._shown: weakref.WeakSet[Any] = weakref.WeakSet()
        self._versions: weakref.WeakKeyDictionary[Any, int] = weakref.WeakKeyDictionary()
        self._mimes: weakref.WeakKeyDictionary[Any, str] = weakref.WeakKeyDictionary()
        self._hooked: Any = None

    def bundle(self, widget: Any, bundle: Any) -> tuple[dict[str, Any], dict[str, Any]]:
        """A widget's mime bundle (data, or data and metadata) with the view's picture added: (data, metadata)."""
        data, metadata = bundle if isinstance(bundle, tuple) else (bundle, {})
        self._shown.add(widget)
        self._hook()
        picture = self.refresh(widget)
        if picture is None:
            return data, metadata
        mime = self._mimes.get(widget, "image/png")
        encoded = base64.b64encode(picture).decode("ascii")
        data[mime] = encoded
        data["text/html"] = (
            f'<img src="data:{mime};base64,{encoded}" width="{widget.width}" alt="glstream view">'
            f"<div>{html.escape(NOT_LIVE)}</div>"
        )
        # the picture has the view's device pixels; shown at its CSS width, as the live view is
        return data, {**metadata, mime: {"width": widget.width}}

    def refresh(self, widget: Any) -> bytes | None:
        """Fetch the view's latest still if it changed since the last one; the current picture, None if none."""
        try:
            result, payload = widget._live().request(
                "latest_still", {"view": widget._view_id, **_since(self._versions.get(widget))}
            )
        except Exception as error:
            # a closed view or a dead renderer keeps the picture it had; the view itself says what went wrong
            log.debug("glstream: no still for %s: %s", getattr(widget, "_view_id", "?"), error)
            return widget._still or None
        self._versions[widget] = result["version"]
        if result.get("changed"):
            self._mimes[widget] = result.get("mime", "image/png")
            widget._still = payload
        return widget._still or None

    def _after_cell(self, _result: Any = None) -> None:
        for widget in list(self._shown):
            if widget._closed:
                self._shown.discard(widget)
            else:
                self.refresh(widget)

    def _hook(self) -> None:
        if self._hooked is not None:
            return
        try:
            from IPython import get_ipython
        except ImportError:
            return
        shell = get_ipython()
        if shell is not None:
            shell.events.register("post_run_cell", self._after_cell)
            self._hooked = shell


def _since(version: int | None) -> dict[str, int]:
    return {} if version is None else {"since": version}


KEEPER = StillKeeper()
