"""One stdio connection to the sidecar: numbered requests and their replies, events, and per-view delivery."""

from __future__ import annotations

import concurrent.futures
import itertools
import logging
import threading
from collections.abc import Sequence
from typing import IO, Any, Callable, NamedTuple

from ._errors import SidecarError
from ._protocol import Kind, Message, MessageReader, ProtocolError, encode_header, encode_meta

log = logging.getLogger("glstream")


class Listener(NamedTuple):
    """Callbacks of one attached view; called on the reader thread."""

    frame: Callable[[dict, bytes], None]
    notice: Callable[[dict], None]
    stopped: Callable[[str], None]
    # CAPTURE messages: frame requests and input for a window the kernel renders; must not block
    capture: Callable[[dict], None] | None = None


class Channel:
    """Writes messages under a lock and routes what the sidecar sends: HELLO, REPLY, FRAME, NOTICE, CAPTURE."""

    def __init__(self, stdin: IO[bytes], on_torn_write: Callable[[], None]) -> None:
        self.hello: concurrent.futures.Future = concurrent.futures.Future()
        self.closed: str | None = None
        self._stdin = stdin
        self._on_torn_write = on_torn_write
        self._writing = threading.Lock()
        self._state = threading.Lock()
        self._ids = itertools.count(1)
        self._pending: dict[int, concurrent.futures.Future] = {}
        self._views: dict[str, Listener] = {}
        self._reader: threading.Thread | None = None
        self._closed_event = threading.Event()

    def run(self, stdout: IO[bytes]) -> Exception | None:
        """Read and route messages until the stream ends; return why it stopped (None: a clean end)."""
        self._reader = threading.current_thread()
        reader = MessageReader(stdout)
        try:
            message = reader.read()
            while message is not None:
                self._dispatch(message)
                message = reader.read()
        except (ProtocolError, OSError, ValueError) as error:
            return error
        return None

    def call(self, method: str, params: dict[str, Any], buffers: Sequence[Any], timeout: float) -> tuple[dict, bytes]:
        """Send a REQUEST and wait for its REPLY: (reply meta, payload); concurrent.futures.TimeoutError if none."""
        if threading.current_thread() is self._reader:
            raise SidecarError(f"{method!r} cannot wait for a reply on the renderer's reader thread")
        future: concurrent.futures.Future = concurrent.futures.Future()
        with self._state:
            if self.closed is not None:
                raise SidecarError(self.closed)
            request_id = next(self._ids)
            self._pending[request_id] = future
        try:
            views = [memoryview(buffer).cast("B") for buffer in buffers]
            meta = {"id": request_id, "method": method, "params": params, "buffers": [len(view) for view in views]}
            self.send(Kind.REQUEST, meta, views)
            return future.result(timeout=timeout)
        finally:
            with self._state:
                self._pending.pop(request_id, None)

    def send(self, kind: Kind, meta: dict[str, Any], buffers: Sequence[memoryview] = ()) -> None:
        """Write one message; a write interrupted half-way calls on_torn_write (the stream is then unusable)."""
        meta_bytes = encode_meta(meta)
        header = encode_header(kind, len(meta_bytes), sum(len(buffer) for buffer in buffers))
        with self._writing:
            try:
                self._stdin.write(header + meta_bytes)
                for buffer in buffers:
                    self._stdin.write(buffer)
                self._stdin.flush()
                return
            except (OSError, ValueError) as error:
                failure = error
            except BaseException:
                self._on_torn_write()
                raise
        self._closed_event.wait(timeout=5)
        raise SidecarError(self.closed or f"could not write to the glstream renderer: {failure}") from failure

    def close_input(self, timeout: float) -> None:
        """Close the sidecar's stdin (it exits on EOF), waiting up to `timeout` for a write in progress."""
        if self._writing.acquire(timeout=timeout):
            try:
                self._stdin.close()
            except OSError:
                pass
            finally:
                self._writing.release()

    def attach(self, view: str, listener: Listener) -> None:
        """Deliver FRAME and NOTICE messages for `view`, and the news that the sidecar stopped, to `listener`."""
        with self._state:
            self._views[view] = listener

    def detach(self, view: str) -> None:
        """Stop delivering messages for `view`."""
        with self._state:
            self._views.pop(view, None)

    def close(self, reason: str) -> list[Listener]:
        """Fail the HELLO wait and every pending request with SidecarError(reason); return the attached views."""
        with self._state:
            self.closed = reason
            pending, self._pending = list(self._pending.values()), {}
            views = list(self._views.values())
        error = SidecarError(reason)
        for future in [self.hello, *pending]:
            if not future.done():
                future.set_exception(error)
        self._closed_event.set()
        return views

    def _dispatch(self, message: Message) -> None:
        kind, meta, payload = message
        if not self.hello.done():
            if kind != Kind.HELLO:
                raise ProtocolError(f"the renderer sent {kind.name} before HELLO")
            self.hello.set_result(meta)
        elif kind == Kind.REPLY:
            with self._state:
                future = self._pending.pop(meta.get("id"), None)
            if future is not None:
                future.set_result((meta, payload))
        elif kind in (Kind.FRAME, Kind.NOTICE, Kind.CAPTURE):
            self._deliver(kind, meta, payload)
        else:
            log.warning("glstream: ignored an unexpected %s message from the renderer", kind.name)

    def _deliver(self, kind: Kind, meta: dict, payload: bytes) -> None:
        with self._state:
            listener = self._views.get(meta.get("view"))
        try:
            if listener is None and kind == Kind.NOTICE:
                log.log(
                    logging.ERROR if meta.get("level") == "error" else logging.INFO,
                    "glstream renderer: %s",
                    meta.get("message"),
                )
            elif listener is not None and kind == Kind.FRAME:
                listener.frame(meta, payload)
            elif listener is not None and kind == Kind.CAPTURE:
                if listener.capture is not None:
                    listener.capture(meta)
            elif listener is not None:
                listener.notice(meta)
        except Exception:
            log.exception("glstream: a view failed to handle a %s message", kind.name)
