"""A VTK render window shown live: frames rendered and read back in the kernel, input injected into its interactor.

VTK windows that never run their event loop read no X events, and off-screen ones are never mapped, so nothing
outside the kernel can take their picture or drive them. A stream's worker thread does both, on the sidecar's
requests, while the user's cells may render the same window on the main thread.

Threading. VTK is not thread-safe, and one GL context must not be used by two threads at once. So every render of
a streamed window runs under RENDER_LOCK: vtkRenderWindow::Render() invokes StartEvent before Start() makes the
context current, and EndEvent after Frame() swapped buffers; an observer on StartEvent takes the lock and one on
EndEvent gives it back. The worker renders, reads back, injects input and resizes under the lock too. Whether a
thread then gives the context back depends on the GL implementation (_vtk_context). Where it must, VTK's GL work
outside Render() (a screenshot, vtkWindowToImageFilter) is not observable and leaves the context current in that
thread: release_context() there gives it back; till then the worker answers that the context is busy.
"""

from __future__ import annotations

import contextlib
import logging
import queue
import threading
import time
from collections.abc import Iterator
from typing import Any, Callable

from ._vtk_context import is_current, shares_context
from ._vtk_input import InputInjector
from ._vtk_slot import Slot

log = logging.getLogger("glstream")

# Held by whichever thread renders, injects input into, or resizes a streamed window; reentrant, so that the
# worker's own Render() passes its StartEvent observer.
RENDER_LOCK = threading.RLock()
# .active: this thread is a worker doing a piece of work; it decides itself whether to give the context back.
_working = threading.local()
# Observer priorities: the lock is taken before every other StartEvent observer runs and given back after every
# other EndEvent observer, so observers that touch VTK objects run under it too.
_FIRST, _LAST = 1.0e6, -1.0e6
DEFAULT_SIZE = (640, 480)
# While another thread keeps rendering the window (a cell animating it), the worker lets that thread's next render
# show the input rather than render itself, concurrently with the cell's changes to the scene: VTK is not
# thread-safe. "Keeps rendering": it rendered in the last ACTIVE_S; the worker waits up to 4 of its intervals.
ACTIVE_S = 1.0
# How long the worker waits for a render another thread began (it waits for the lock the worker held) to end.
BEGUN_RENDER_S = 10.0


class WindowGone(Exception):
    """The render window was deleted or closed: the stream makes no more frames."""


class ContextBusy(Exception):
    """Another thread holds the window's GL context, and the GL implementation does not share it."""


class VtkStream:
    """Serves one view's frame requests, input and resizes for one VTK render window, on a daemon worker thread.

    request(method, params) sends a request to the sidecar and waits for its reply; it is only ever called from
    the worker thread.
    """

    def __init__(
        self,
        render_window: Any,
        view: str,
        request: Callable[[str, dict], Any],
        width: int | None,
        height: int | None,
    ) -> None:
        from vtkmodules.vtkCommonCore import vtkWeakReference

        self.view = view
        self._request = request
        # Weak, so that the stream does not keep a window the user dropped alive: its DeleteEvent tells us.
        self._window_ref = vtkWeakReference()
        self._window_ref.Set(render_window)
        self._own_interactor = vtkWeakReference()
        self._queue: queue.SimpleQueue = queue.SimpleQueue()
        self._slot = Slot(view)
        self._input = InputInjector()
        self._held = threading.local()  # .depth: StartEvents of this window that took the lock in this thread
        self._dirty = True  # input or a resize arrived since the window last rendered
        self._rendering = False  # the worker's Render() got past VTK's check that no other render runs
        self._gone: str | None = None
        self._gone_told = False
        self._changed_pending = False
        self._closed = False
        self._last_size = (0, 0)
        self._others = threading.Condition()  # notified after a render of another thread's
        self._other_render: tuple[float, float] | None = None  # (when it ended, the interval before it), monotonic
        with RENDER_LOCK:
            self._size_window(render_window, width, height)
            self._interactor(render_window)
            self._observers = [
                render_window.AddObserver("StartEvent", self._on_start, _FIRST),
                render_window.AddObserver("EndEvent", self._on_end, _LAST),
                render_window.AddObserver("DeleteEvent", self._on_delete),
            ]
        self._worker = threading.Thread(target=self._run, name=f"glstream-vtk-{view}", daemon=True)
        self._worker.start()

    @property
    def size(self) -> tuple[int, int]:
        """The window's size in pixels (the last known one once it is gone)."""
        window = self._window_ref.Get()
        if window is not None:
            self._last_size = tuple(window.GetSize())
        return self._last_size

    def handle(self, message: dict) -> None:
        """Take one message from the sidecar (on the channel's reader thread): queue it for the worker."""
        if self._closed:
            return
        op = message.get("op")
        if op == "frame":
            self._queue.put(("frame", message.get("seq")))
        elif op == "input":
            self._queue.put(("input", message.get("event") or {}, message.get("canvas") or {}))
        elif op == "resize":
            self._queue.put(("resize", message.get("width"), message.get("height")))
        else:
            log.warning("glstream: VTK view %s got a capture message it does not know: %r", self.view, op)

    def release_context(self) -> None:
        """Give back the window's GL context if this thread holds it and the GL implementation wants it back.

        VTK leaves it current in a thread that used it outside Render() (read pixels, took a screenshot); call
        this on the main thread after each cell (IPython's post_run_cell event). A no-op with Mesa's GLX.
        """
        window = self._window_ref.Get()
        if window is not None:
            with RENDER_LOCK:
                if not shares_context(window):
                    window.ReleaseCurrent()

    def close(self) -> None:
        """Stop the worker, remove the observers and the interactor the stream added, free the shared memory.

        Idempotent; never raises.
        """
        if self._closed:
            return
        self._closed = True
        try:
            self._detach()
        except Exception:
            log.exception("glstream: could not detach VTK view %s from its window", self.view)
        self._queue.put(("stop",))
        with self._others:
            self._others.notify_all()  # a worker waiting for another thread's render stops waiting
        if threading.current_thread() is not self._worker:
            self._worker.join(timeout=10)
            if self._worker.is_alive():
                log.warning("glstream: VTK view %s: the worker is still waiting for the renderer", self.view)

    # -- observers: run on whichever thread renders or deletes the window --

    def _on_start(self, window: Any, event: str) -> None:
        RENDER_LOCK.acquire()
        self._held.depth = getattr(self._held, "depth", 0) + 1
        if threading.current_thread() is self._worker:
            self._rendering = True

    def _on_end(self, window: Any, event: str) -> None:
        if not getattr(self._held, "depth", 0):
            return  # the render began before the stream observed the window: the lock was not taken for it
        try:
            self._dirty = False
            if threading.current_thread() is not self._worker:
                self._note_changed()
                with self._others:
                    now = time.monotonic()
                    last = self._other_render
                    self._other_render = (now, now - last[0] if last else ACTIVE_S)
                    self._others.notify_all()
            if not getattr(_working, "active", False) and not shares_context(window):
                window.ReleaseCurrent()
        finally:
            self._held.depth -= 1
            RENDER_LOCK.release()

    def _on_delete(self, window: Any, event: str) -> None:
        with RENDER_LOCK:
            self._gone = self._gone or "the render window was deleted"
        self._queue.put(("gone",))

    def _note_changed(self) -> None:
        # Coalesced: one note waits in the queue at most; the worker clears the flag before it tells the sidecar.
        if not self._changed_pending and not self._closed:
            self._changed_pending = True
            self._queue.put(("changed",))

    # -- the worker --

    def _run(self) -> None:
        handlers = {
            "frame": self._frame,
            "input": self._inject,
            "resize": self._resize,
            "changed": self._changed,
            "gone": self._tell_gone,
        }
        while True:
            kind, *args = self._queue.get()
            if kind == "stop":
                break
            if self._closed:
                continue  # the view is closed: the sidecar no longer wants its frames or news
            try:
                handlers[kind](*args)
            except Exception:
                log.exception("glstream: VTK view %s failed to handle %s", self.view, kind)
        self._slot.close()

    def _frame(self, seq: Any) -> None:
        try:
            params = self._capture()
        except WindowGone as gone:
            params = {"error": f"{gone}: close this view, or show another window"}
        except ContextBusy as busy:
            params = {"error": str(busy)}
        except Exception as error:
            log.exception("glstream: VTK view %s could not capture a frame", self.view)
            params = {"error": f"glstream could not capture the VTK window: {type(error).__name__}: {error}"}
        # The slot is not written again before this returns: the sidecar has read it by then.
        self._call("capture_frame", {"view": self.view, "seq": seq, **params})
        self._tell_gone()

    def _capture(self) -> dict:
        self._await_other_render()
        for _ in range(3):
            with RENDER_LOCK:
                window = self._live_window()
                with self._context(window):
                    render_ms = 0.0
                    if self._dirty:
                        self._rendering = False
                        start = time.perf_counter()
                        window.Render()
                        render_ms = (time.perf_counter() - start) * 1000
                    # VTK's Render() returns at once while another thread is inside it: one that passed that check
                    # and now waits in StartEvent for this lock. Its render shows what is new: let it.
                    if not self._dirty or self._rendering:
                        return self._read(window, render_ms)
            with self._others:
                self._others.wait_for(lambda: not self._dirty or self._closed, timeout=BEGUN_RENDER_S)
        raise RuntimeError("VTK did not render the window: another thread stayed inside its Render()")

    def _read(self, window: Any, render_ms: float) -> dict:
        width, height = window.GetActualSize()
        if width < 1 or height < 1:
            raise ValueError(f"the render window is {width}x{height} pixels: give it a size (SetSize)")
        pixels = self._slot.array(width, height)
        start = time.perf_counter()
        # VTK's front buffer holds the frame Render() just finished, unless the window does not swap buffers: then
        # only the back buffer has it.
        front = 1 if window.GetSwapBuffers() else 0
        if not window.GetRGBACharPixelData(0, 0, width - 1, height - 1, front, pixels):
            raise RuntimeError("VTK could not read the window's pixels (GetRGBACharPixelData failed)")
        return {
            "shm": self._slot.name,
            "width": width,
            "height": height,
            "rows": "bottom-up",
            "render_ms": render_ms,
            "readback_ms": (time.perf_counter() - start) * 1000,
        }

    def _await_other_render(self) -> None:
        with self._others:
            if self._dirty and self._other_render is not None:
                ended, interval = self._other_render
                if time.monotonic() - ended < ACTIVE_S:
                    wait = min(4 * interval, ACTIVE_S)
                    self._others.wait_for(lambda: not self._dirty or self._closed, timeout=wait)

    def _inject(self, event: dict, canvas: dict) -> None:
        def inject(window: Any) -> None:
            interactor = self._interactor(window)
            # The style would render after each event; the next frame request renders once instead.
            enabled = interactor.GetEnableRender()
            interactor.SetEnableRender(False)
            try:
                if self._input.inject(interactor, event, canvas, tuple(window.GetActualSize())):
                    self._dirty = True
            finally:
                interactor.SetEnableRender(enabled)

        self._with_window("input", inject)

    def _resize(self, width: Any, height: Any) -> None:
        if not (isinstance(width, int) and isinstance(height, int) and width > 0 and height > 0):
            log.warning("glstream: VTK view %s: ignored a resize to %r x %r", self.view, width, height)
            return
        self._with_window("a resize", lambda window: self._size_window(window, width, height))

    def _with_window(self, what: str, work: Callable[[Any], None]) -> None:
        """work(window) under the lock, with the context current (observers of input events may render or pick, as
        PyVista's do); what cannot be done now is dropped, and the next frame request reports why."""
        try:
            with RENDER_LOCK:
                window = self._live_window()
                with self._context(window):
                    work(window)
        except WindowGone:
            self._tell_gone()
        except ContextBusy:
            log.warning("glstream: VTK view %s dropped %s: the window's GL context is busy", self.view, what)

    def _changed(self) -> None:
        self._changed_pending = False
        self._call("capture_changed", {"view": self.view})

    def _tell_gone(self) -> None:
        if self._gone and not self._gone_told:
            self._gone_told = True
            self._call("capture_gone", {"view": self.view, "reason": self._gone})

    def _call(self, method: str, params: dict) -> None:
        if self._closed:
            return  # the sidecar no longer wants this view's frames or news
        try:
            self._request(method, params)
        except Exception as error:
            log.warning("glstream: VTK view %s: %s failed: %s", self.view, method, error)

    # -- the window (under RENDER_LOCK) --

    @contextlib.contextmanager
    def _context(self, window: Any) -> Iterator[None]:
        """The window's GL context current in the worker for one piece of work (see the module's notes)."""
        if window.GetInitialized():  # else the work's Render() creates the context, current in this thread
            window.MakeCurrent()
            if not is_current(window):
                raise ContextBusy(
                    "the window's OpenGL context is in use by another thread (VTK leaves it current in a thread that "
                    "read pixels or took a screenshot outside Render()): render the window once more in that "
                    "thread, or call its ReleaseCurrent() there"
                )
        _working.active = True
        try:
            yield
        finally:
            _working.active = False
            if not shares_context(window):
                window.ReleaseCurrent()

    def _live_window(self) -> Any:
        if self._gone is None:
            window = self._window_ref.Get()
            if window is None:
                self._gone = "the render window was deleted"
            # Finalize() (PyVista's Plotter.close()) frees the context; rendering again would open a new window
            elif not window.GetInitialized() and not window.GetNeverRendered():
                self._gone = "the render window was closed"
            else:
                return window
        raise WindowGone(self._gone)

    def _size_window(self, window: Any, width: int | None, height: int | None) -> None:
        current = tuple(window.GetSize())
        wanted = (width or current[0] or DEFAULT_SIZE[0], height or current[1] or DEFAULT_SIZE[1])
        if wanted != current:
            window.SetSize(*wanted)
            self._dirty = True
        self._last_size = wanted

    def _interactor(self, window: Any) -> Any:
        """The window's interactor; one the stream makes (never started: no event loop) if it has none."""
        interactor = window.GetInteractor()
        if interactor is None:
            from vtkmodules.vtkInteractionStyle import vtkInteractorStyleTrackballCamera
            from vtkmodules.vtkRenderingUI import vtkGenericRenderWindowInteractor

            interactor = vtkGenericRenderWindowInteractor()
            interactor.SetInteractorStyle(vtkInteractorStyleTrackballCamera())
            interactor.SetRenderWindow(window)
            interactor.SetEnableRender(False)  # Initialize() renders, and a render now would be wasted
            interactor.Initialize()
            interactor.SetEnableRender(True)
            self._own_interactor.Set(interactor)
        return interactor

    def _detach(self) -> None:
        with RENDER_LOCK:
            window = self._window_ref.Get()
            if window is not None:
                for tag in self._observers:
                    window.RemoveObserver(tag)
                own = self._own_interactor.Get()
                if own is not None and window.GetInteractor() is own:
                    window.SetInteractor(None)  # the window as the user gave it
            # A render that began in this thread before the observers went (close() from an observer of the
            # window) will never invoke our EndEvent observer: give its hold of the lock back now.
            for _ in range(getattr(self._held, "depth", 0)):
                RENDER_LOCK.release()
            self._held.depth = 0
