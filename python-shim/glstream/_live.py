"""The live view widget that every glstream view is: frames streamed from the sidecar into the cell, input sent back.

Viewer (a glstream scene) and WindowView (a window of an existing program) differ only in what they open.
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import os
import pathlib
from typing import Any

import anywidget
import traitlets

from . import _input_route, _limits, _sidecar, _supervisor, _validate
from ._channel import Listener
from ._errors import GlstreamError
from ._limits import FRAME_RATE_DEFAULT, SIDE_MAX, SIDE_MIN
from ._still import KEEPER

log = logging.getLogger("glstream")

TRANSPORTS = ("auto", *_limits.TRANSPORTS)
_view_ids = itertools.count(1)


# The widget's front end (packages/widget, bundled by scripts/build-widget.sh): anywidget sends the module with the
# model and its own front end runs it, so no labextension of ours is needed (JupyterLab, Notebook 7, VS Code, Colab).
STATIC = pathlib.Path(__file__).parent / "static"
if not (STATIC / "widget.js").is_file():
    raise ImportError(
        f"glstream's widget front end {STATIC / 'widget.js'} is missing: this is a source tree whose widget was not "
        "built; run `make setup` (or scripts/build-widget.sh) in the repository, or install glstream from a wheel"
    )


class _Side(traitlets.Int):
    """A width or height in CSS pixels. Any bad value raises the ValueError of every other bad argument, not
    traitlets' TraitError, at construction and on assignment alike, so that a size the renderer would refuse never
    reaches it."""

    def validate(self, obj: Any, value: Any) -> int:
        return _validate.side(value, self.name)


class LiveWidget(anywidget.AnyWidget):
    """A live view streamed from the sidecar; subclasses open what it shows (see `_open`).

    transport: how frames travel ("auto", "loopback", "proxy", "comm"; see the `transport` trait).
    target_fps: the frame rate interactive frames aim at; size and JPEG quality adapt to reach it.
    still: the frame shown once input stops: "lossless" (PNG) or "near-lossless" (JPEG q95, full colour
    resolution, several times smaller; for slow links).
    """

    _esm = STATIC / "widget.js"
    _css = STATIC / "widget.css"

    width = _Side(800, help=f"Width in CSS pixels, {SIDE_MIN} to {SIDE_MAX} (at most the cell's width is used).").tag(
        sync=True
    )
    height = _Side(500, help=f"Height in CSS pixels, {SIDE_MIN} to {SIDE_MAX}.").tag(sync=True)
    status = traitlets.Unicode("", help="Shown while connecting; empty once frames flow.").tag(sync=True)
    error = traitlets.Unicode("", help="Shown when the renderer failed.").tag(sync=True)
    show_stats = traitlets.Bool(False, help="Show fps, latency and timings over the canvas.").tag(sync=True)
    transport = traitlets.Enum(
        TRANSPORTS,
        "auto",
        help=(
            "How frames and input travel: 'auto' (a websocket straight to the renderer when the page is served from "
            "this machine, else through the Jupyter server's /proxy/ if jupyter-server-proxy is installed, else "
            "the kernel's comm), 'loopback', 'proxy' or 'comm'. Default: $GLSTREAM_TRANSPORT, else 'auto'."
        ),
    ).tag(sync=True)
    _still = traitlets.Bytes(
        b"", help="The view's last still (PNG, or JPEG for near-lossless stills), shown until live frames arrive."
    ).tag(sync=True)

    def __init__(
        self,
        width: int | None = 800,
        height: int | None = 500,
        transport: str | None = None,
        target_fps: float = FRAME_RATE_DEFAULT,
        still: str = "lossless",
        **kwargs: Any,
    ) -> None:
        self._sidecar: _sidecar.Sidecar | None = None
        self._closed = False
        self._opened = False
        self._stats: dict[str, Any] = {}
        # the view's camera as the renderer last reported it at rest: {"camera": {...}, "follows": bool}
        self._camera_notice: dict[str, Any] | None = None
        size = (
            None if width is None else _validate.side(width, "width"),
            None if height is None else _validate.side(height, "height"),
        )
        view_options = {"target_fps": _validate.frame_rate(target_fps), "still": _validate.still_kind(still)}
        transport = _transport_choice(transport)
        # the sizes known now go out with the widget's first state; a window's own size follows from _open()
        known = {name: value for name, value in zip(("width", "height"), size) if value is not None}
        super().__init__(transport=transport, **known, **kwargs)
        self._view_id = f"v{next(_view_ids)}"
        # what the view was opened with, to open it again in a restarted renderer
        self._requested_size = size
        self._view_options = view_options
        try:
            self._sidecar = _sidecar.get(on_start=self._starting)
            self._sidecar.attach(self._view_id, self._listener())
            self.width, self.height = self._open(self._sidecar, size, view_options)
            self._opened = True
            _supervisor.register(self)
        except BaseException:
            self.close()
            raise
        self.status = ""
        self.on_msg(self._forward_input)
        if self.comm is not None:
            # acks and input go straight to the renderer, on a thread of their own where ipykernel allows
            _input_route.install(self.comm, self._send_event)
        self.observe(self._offer_direct, names="transport")
        self._offer_direct()

    def _open(
        self, sidecar: _sidecar.Sidecar, size: tuple[int | None, int | None], options: dict[str, Any]
    ) -> tuple[int, int]:
        """Create this view in the sidecar; return its (width, height) in CSS pixels."""
        raise NotImplementedError

    def _listener(self) -> Listener:
        return Listener(self._send_frame, self._show_notice, self._stopped, self._capture_message)

    def _restore(self, sidecar: _sidecar.Sidecar, added: set[str]) -> None:
        """Open this view again in `sidecar`, a restarted renderer (on the restart thread). `added`: the ids of the
        objects already added to it by the views restored before this one."""
        self._sidecar = sidecar
        sidecar.attach(self._view_id, self._listener())
        self._reopen(sidecar, added)

    def _reopen(self, sidecar: _sidecar.Sidecar, added: set[str]) -> None:
        """Re-create what this view shows in a restarted renderer."""
        self._open(sidecar, (self.width, self.height), self._view_options)

    def _restore_links(self, sidecar: _sidecar.Sidecar) -> None:
        """Once every view is restored: put back what ties views together (linked cameras)."""

    def _restore_failed(self, message: str) -> None:
        self.status = ""
        self.error = message

    @property
    def sidecar(self) -> _sidecar.Sidecar | None:
        """The renderer process this Viewer talks to (pid, display, xserver_pid), for introspection."""
        return self._sidecar

    def stats(self) -> dict[str, Any]:
        """The streaming figures the widget last reported; {} before its first report.

        Keys: transport, fps, latency_ms_p50, latency_ms_p95, bytes_per_s, frames, render_ms, readback_ms, encode_ms.
        """
        return dict(self._stats)

    def snapshot(
        self, path: str | os.PathLike | None = None, size: tuple[int, int] | None = None
    ) -> bytes | pathlib.Path:
        """A lossless PNG of the view (a scene is drawn at `size`=(width, height) if given): its bytes, or the `path`
        it was written to."""
        params: dict[str, Any] = {"view": self._view_id}
        if size is not None:
            params["width"], params["height"] = _validate.size(size, "size")
        _, png = self._live().request("snapshot", params)
        if path is None:
            return png
        target = pathlib.Path(path)
        target.write_bytes(png)
        return target

    def _repr_mimebundle_(self, **kwargs: Any) -> tuple[dict[str, Any], dict[str, Any]]:
        # besides the live view, a picture of it for wherever no widget JavaScript runs (see _still.py)
        return KEEPER.bundle(self, super()._repr_mimebundle_(**kwargs))

    def close(self) -> None:
        """Remove the view from the renderer and close the widget; safe to call more than once."""
        if getattr(self, "_opened", False) and not self._closed:
            _supervisor.unregister(self)
            # a restart in progress opens the view again: close it in the renderer that comes back
            with contextlib.suppress(GlstreamError):
                _supervisor.settled(self._sidecar)
        sidecar = getattr(self, "_sidecar", None)
        if sidecar is not None and not self._closed:
            self._release()
            self._closed = True
            sidecar.detach(self._view_id)
            if sidecar.alive and self._opened:
                try:
                    sidecar.request("close_view", {"view": self._view_id})
                except Exception as error:
                    log.warning("glstream: closing view %s failed: %s", self._view_id, error)
        self._closed = True
        super().close()

    def _live(self) -> _sidecar.Sidecar:
        if self._closed or self._sidecar is None:
            raise GlstreamError(f"this {type(self).__name__} is closed; create a new one")
        # while the renderer restarts, wait for it; then this view's renderer is the new one
        _supervisor.settled(self._sidecar)
        return self._sidecar

    def _starting(self) -> None:
        self.status = "starting the renderer…"

    def _offer_direct(self, _change: Any = None, *, asker: str | None = None) -> None:
        """Tell the front end how to reach the renderer directly: its port and a fresh single-use ticket for this
        view, or "port": None for the comm only. The ticket goes in a custom message, never in synced state, so it
        is not saved with the notebook (nbconvert's HTML, JupyterLab's widget state). `asker` names the one view
        of the widget that asked (the others keep their connections); None offers to all."""
        sidecar = self._sidecar
        # a view being re-created would show its scene half-built (the camera not yet back) to a link opened now
        if sidecar is None or self._closed or self.comm is None or _supervisor.restoring():
            return
        addressed = {} if asker is None else {"asker": asker}
        offer: dict[str, Any] = {"type": "direct", "port": None, **addressed}
        try:
            if self.transport == "comm" and _change is not None and sidecar.alive:
                # tickets and connections handed out before no longer reach the view
                sidecar.request("revoke_direct", {"view": self._view_id})
            elif self.transport != "comm" and sidecar.alive:
                result, _ = sidecar.request("direct", {"view": self._view_id})
                port, key = result.get("port"), result.get("key")
                if not isinstance(port, int) or not isinstance(key, str):
                    raise GlstreamError(
                        f"the glstream renderer answered 'direct' without a port and key: {sorted(result)}"
                    )
                offer = {"type": "direct", "port": port, "key": key, "view": self._view_id, **addressed}
        except (GlstreamError, OSError, ValueError) as error:
            log.warning("glstream: no direct websocket (%s); frames go through the kernel", error)
        self.send(offer)

    def _forward_input(self, _widget: Any, content: Any, _buffers: Any) -> None:
        if isinstance(content, dict) and content.get("type") == "direct":
            # a view has no usable way to the renderer (first render, or its ticket was refused)
            asker = content.get("asker")
            self._offer_direct(asker=asker if isinstance(asker, str) and 0 < len(asker) <= 64 else None)
            return
        if isinstance(content, dict) and content.get("type") == "stats":
            self._stats = {key: value for key, value in content.items() if key != "type"}
            return
        if isinstance(content, dict) and content.get("type") == "click":
            # runs the user's callbacks: whatever they raise is theirs to see in the log, and must not end the comm
            try:
                self._clicked(content.get("x"), content.get("y"))
            except Exception:
                log.exception("glstream: handling a click at (%r, %r) failed", content.get("x"), content.get("y"))
            return
        for event in _input_route.fast_events(content) or []:
            self._send_event(event)

    def _send_event(self, content: dict) -> None:
        """Forward one input event (an ack too) to the renderer; on any thread (see _input_route)."""
        sidecar = self._sidecar
        if sidecar is None or self._closed or not sidecar.alive:
            return
        event = {key: value for key, value in content.items() if key != "view"}
        try:
            sidecar.send_event({"view": self._view_id, **event})
        except (GlstreamError, ValueError) as error:
            log.debug("glstream: dropped a %s event: %s", content["type"], error)

    def _clicked(self, x: Any, y: Any) -> None:
        """The user clicked at (x, y) CSS pixels (a press and release without a drag), as the widget reported."""

    def _release(self) -> None:
        """Free what this view holds in the kernel, before the sidecar closes it."""

    def _capture_message(self, meta: dict) -> None:
        """A CAPTURE message from the sidecar, for views of windows the kernel renders."""

    def _send_frame(self, meta: dict, payload: bytes) -> None:
        if self.comm is not None:
            self.send({"type": "frame", **{k: v for k, v in meta.items() if k != "view"}}, buffers=[payload])

    def _show_notice(self, meta: dict) -> None:
        if meta.get("level") == "camera":
            # where the camera came to rest, put back if the renderer restarts; no news for people
            self._camera_notice = {"camera": meta.get("camera"), "follows": bool(meta.get("follows"))}
        elif meta.get("level") == "error":
            self.error = str(meta.get("message", "the renderer reported an error"))
        else:
            log.log(
                logging.WARNING if meta.get("level") == "warning" else logging.INFO,
                "glstream renderer: %s",
                meta.get("message"),
            )

    def _stopped(self, message: str) -> None:
        self.status = ""
        self.error = message


def _transport_choice(transport: str | None) -> str:
    value = transport if transport is not None else os.environ.get("GLSTREAM_TRANSPORT") or "auto"
    if value not in TRANSPORTS:
        source = "transport" if transport is not None else "GLSTREAM_TRANSPORT"
        raise ValueError(f"{source} must be one of {', '.join(TRANSPORTS)}; got {value!r}")
    return value
