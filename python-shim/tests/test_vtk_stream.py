"""A VTK window streamed from the kernel (glstream._vtk_stream), with real VTK on a real Xvfb and a stand-in for
the sidecar's request path that reads each frame from /dev/shm as the sidecar does: the pixels, input injected
into the interactor, resizes, renders of the window's own, its end, the shared memory, and renders on the main
thread while the worker serves frames (in a subprocess, so that a crash fails the test rather than pytest)."""

import gc
import json
import os
import pathlib
import shutil
import signal
import subprocess
import sys
import textwrap
import threading

import numpy as np
import pytest

import glstream
from glstream import _vtk_context, _vtk_input, _vtk_slot, _vtk_stream
from glstream._targets import render_window_of
from glstream._vtk_stream import VtkStream

WAIT_S = 60  # llvmpipe on two cores: a first render with shader compiles takes about a second
CANVAS = {"width": 320, "height": 240}


def _die_with_parent():
    import ctypes

    ctypes.CDLL(None).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG: the server ends with pytest


@pytest.fixture(scope="module", autouse=True)
def display():
    """An Xvfb of our own, which lives as long as pytest: a VTK window still alive (kept by a failed test's
    traceback) would otherwise meet a closed connection when it is destroyed, and Xlib would exit the process."""
    xvfb = shutil.which("Xvfb")
    assert xvfb, "Xvfb is missing: apt-get install xvfb"
    read, write = os.pipe()
    server = subprocess.Popen(
        [xvfb, "-displayfd", str(write), "-screen", "0", "1280x1024x24", "-nolisten", "tcp"],
        pass_fds=(write,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        preexec_fn=_die_with_parent,
    )
    os.close(write)
    with os.fdopen(read) as numbers:
        number = numbers.readline().strip()
    assert number, "Xvfb did not report its display number"
    previous = os.environ.get("DISPLAY")
    os.environ["DISPLAY"] = f":{number}"
    yield os.environ["DISPLAY"]
    if previous is None:
        del os.environ["DISPLAY"]
    else:
        os.environ["DISPLAY"] = previous
    assert server.poll() is None, f"Xvfb exited with code {server.returncode}"


class FakeSidecar:
    """Records the stream's requests; reads each frame's pixels from /dev/shm/<shm> before replying, as the
    sidecar does."""

    def __init__(self):
        self.calls = []
        self._changed = threading.Condition()

    def __call__(self, method, params):
        record = dict(params)
        if method == "capture_frame" and "shm" in params:
            width, height = params["width"], params["height"]
            with open(os.path.join(_vtk_slot.SHM_DIR, params["shm"]), "rb") as slot:
                data = slot.read(width * height * 4)
            record["pixels"] = np.frombuffer(data, np.uint8).reshape(height, width, 4)
        with self._changed:
            self.calls.append((method, record))
            self._changed.notify_all()
        return {}

    def wait(self, predicate, what):
        """The first recorded (method, params) for which predicate holds, waiting for it."""
        with self._changed:
            found = self._changed.wait_for(
                lambda: next((call for call in self.calls if predicate(*call)), None), timeout=WAIT_S
            )
        assert found, f"no {what} within {WAIT_S} s; got {[method for method, _ in self.calls]}"
        return found

    def methods(self):
        with self._changed:
            return [method for method, _ in self.calls]

    def wait_a_little(self, predicate, seconds):
        """Whether a recorded (method, params) satisfies predicate, waiting at most `seconds` for news."""
        with self._changed:
            return self._changed.wait_for(lambda: any(predicate(*call) for call in self.calls), timeout=seconds)


def frame(stream, sidecar, seq):
    stream.handle({"view": stream.view, "op": "frame", "seq": seq})
    return sidecar.wait(lambda method, params: method == "capture_frame" and params["seq"] == seq, f"frame {seq}")[1]


def send(stream, *events, canvas=CANVAS):
    for event in events:
        stream.handle({"view": stream.view, "op": "input", "event": event, "canvas": canvas})


def pointer(phase, x, y, button=0, **modifiers):
    return {"type": "pointer", "phase": phase, "x": x, "y": y, "button": button, "buttons": 1, **modifiers}


def scene(size=(320, 240), kind="x"):
    """A window (VTK's X window, the default here, or an EGL one) with a lit cone on a blue background and no MSAA,
    which llvmpipe makes five times slower."""
    from vtkmodules.vtkFiltersSources import vtkConeSource
    from vtkmodules.vtkRenderingCore import vtkActor, vtkPolyDataMapper, vtkRenderer
    from vtkmodules.vtkRenderingOpenGL2 import vtkEGLRenderWindow, vtkXOpenGLRenderWindow

    window = {"x": vtkXOpenGLRenderWindow, "egl": vtkEGLRenderWindow}[kind]()
    window.SetSize(*size)
    window.SetMultiSamples(0)
    renderer = vtkRenderer()
    renderer.SetBackground(0.1, 0.2, 0.4)
    window.AddRenderer(renderer)
    cone = vtkConeSource()
    cone.SetResolution(40)
    mapper = vtkPolyDataMapper()
    mapper.SetInputConnection(cone.GetOutputPort())
    actor = vtkActor()
    actor.SetMapper(mapper)
    renderer.AddActor(actor)
    renderer.ResetCamera()
    return window


def camera(window):
    return window.GetRenderers().GetFirstRenderer().GetActiveCamera()


def screenshot(window, front=True):
    """VTK's own picture of what the window last rendered, RGBA bottom-up."""
    from vtkmodules.util.numpy_support import vtk_to_numpy
    from vtkmodules.vtkRenderingCore import vtkWindowToImageFilter

    grab = vtkWindowToImageFilter()
    grab.SetInput(window)
    grab.SetInputBufferTypeToRGBA()
    grab.ShouldRerenderOff()
    grab.SetReadFrontBuffer(front)
    grab.Update()
    width, height = window.GetSize()
    return vtk_to_numpy(grab.GetOutput().GetPointData().GetScalars()).reshape(height, width, 4)


def count_renders(window):
    renders = []
    window.AddObserver("EndEvent", lambda *_: renders.append(threading.get_ident()))
    return renders


@pytest.fixture
def streams():
    """open(window, **size) -> a VtkStream on it and the fake sidecar; closed after the test."""
    opened = []

    def open_stream(window, width=None, height=None):
        sidecar = FakeSidecar()
        stream = VtkStream(window, f"v{len(opened)}", sidecar, width, height)
        opened.append(stream)
        return stream, sidecar

    yield open_stream
    for stream in opened:
        stream.close()


def test_a_frame_is_what_vtk_itself_reads_from_the_window_and_shows_the_scene(streams):
    window = scene()
    stream, sidecar = streams(window)
    got = frame(stream, sidecar, 1)
    assert (got["view"], got["width"], got["height"], got["rows"]) == ("v0", 320, 240, "bottom-up")
    assert got["render_ms"] > 0 and got["readback_ms"] > 0
    assert np.array_equal(got["pixels"], screenshot(window))
    rgb = got["pixels"][:, :, :3].astype(int)
    cone = np.any(np.abs(rgb - rgb[0, 0]) > 24, axis=2)
    assert 0.02 < cone.mean() < 0.6, f"{cone.mean():.3f} of the frame differs from the background"
    assert tuple(rgb[0, 0]) == (26, 51, 102), "the corner is the background, bottom-up"


def test_a_window_that_does_not_swap_buffers_is_read_from_its_back_buffer(streams):
    window = scene()
    window.SwapBuffersOff()
    stream, sidecar = streams(window)
    got = frame(stream, sidecar, 1)
    assert np.array_equal(got["pixels"], screenshot(window, front=False))
    assert not np.array_equal(got["pixels"], screenshot(window, front=True)), "the front buffer was never drawn"


def test_a_second_frame_with_nothing_new_reads_back_without_rendering(streams):
    window = scene()
    stream, sidecar = streams(window)
    first = frame(stream, sidecar, 1)
    renders = count_renders(window)
    second = frame(stream, sidecar, 2)
    assert renders == [] and second["render_ms"] == 0
    assert np.array_equal(first["pixels"], second["pixels"])


def test_a_left_drag_rotates_the_camera_and_renders_once_for_the_next_frame(streams):
    window = scene()
    stream, sidecar = streams(window)
    before = frame(stream, sidecar, 1)
    position, up = camera(window).GetPosition(), camera(window).GetViewUp()
    renders = count_renders(window)
    send(stream, pointer("down", 160, 120), pointer("move", 200, 110), pointer("move", 240, 90), pointer("up", 240, 90))
    after = frame(stream, sidecar, 2)
    assert not np.allclose(camera(window).GetPosition(), position)
    assert not np.allclose(camera(window).GetViewUp(), up)
    assert len(renders) == 1, "the interactor's own renders are suppressed; the frame renders once"
    assert after["render_ms"] > 0 and not np.array_equal(after["pixels"], before["pixels"])


def test_the_wheel_zooms_one_step_per_notch_away_from_the_user_in(streams):
    window = scene()
    stream, sidecar = streams(window)
    frame(stream, sidecar, 1)
    distances = [camera(window).GetDistance()]
    for seq, dy in enumerate([-100, -30, -30, 100], start=2):
        send(stream, {"type": "wheel", "x": 160, "y": 120, "dx": 0, "dy": dy})
        frame(stream, sidecar, seq)
        distances.append(camera(window).GetDistance())
    assert distances[1] < distances[0], "dy < 0 (away from the user) zooms in"
    assert distances[2] == distances[1], "30 px is less than a notch"
    assert distances[3] == distances[2], "the remainder is dropped when the wheel turns the other way"
    assert distances[4] > distances[3], "dy > 0 zooms out"


def test_positions_are_scaled_from_the_canvas_and_counted_from_the_bottom(streams):
    window = scene((400, 200))
    stream, sidecar = streams(window)
    frame(stream, sidecar, 1)
    pressed = []
    interactor = window.GetInteractor()
    interactor.AddObserver("RightButtonPressEvent", lambda *_: pressed.append(interactor.GetEventPosition()))
    send(
        stream, pointer("down", 50, 25, button=2), pointer("up", 50, 25, button=2), canvas={"width": 200, "height": 100}
    )
    frame(stream, sidecar, 2)
    assert pressed == [(100, 149)]


def test_keys_reach_the_interactor_with_vtk_keysyms(streams):
    window = scene()
    stream, sidecar = streams(window)
    frame(stream, sidecar, 1)
    seen = []
    interactor = window.GetInteractor()
    for name in ("KeyPressEvent", "CharEvent", "KeyReleaseEvent"):
        interactor.AddObserver(
            name,
            lambda _obj, event: seen.append(
                (event, interactor.GetKeySym(), interactor.GetKeyCode(), interactor.GetControlKey())
            ),
        )
    for key in ("ArrowLeft", "a", " ", "Dead"):
        send(stream, {"type": "key", "key": key, "ctrl": key == "a", "shift": False, "alt": False, "meta": False})
    frame(stream, sidecar, 2)
    assert [event for event, *_ in seen[:3]] == ["KeyPressEvent", "CharEvent", "KeyReleaseEvent"]
    assert [(sym, code, ctrl) for event, sym, code, ctrl in seen if event == "KeyPressEvent"] == [
        ("Left", "\0", 0),
        ("a", "a", 1),
        ("space", " ", 0),
    ]


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("Enter", ("Return", "\r")),
        ("PageUp", ("Prior", "\0")),
        ("Escape", ("Escape", "\x1b")),
        ("+", ("plus", "+")),
        ("A", ("A", "A")),
        ("7", ("7", "7")),
        ("F5", ("F5", "\0")),
        ("é", ("é", "\0")),
        ("Unidentified", None),
        ("", None),
    ],
)
def test_browser_key_names_become_x_keysyms(key, expected):
    assert _vtk_input.keysym(key) == expected


def test_resize_changes_the_window_and_the_next_frame(streams):
    window = scene()
    stream, sidecar = streams(window)
    frame(stream, sidecar, 1)
    stream.handle({"view": stream.view, "op": "resize", "width": 400, "height": 300})
    got = frame(stream, sidecar, 2)
    assert tuple(window.GetSize()) == (400, 300) == stream.size
    assert (got["width"], got["height"], got["pixels"].shape) == (400, 300, (300, 400, 4))
    assert got["render_ms"] > 0


def test_a_window_is_given_the_size_asked_for_or_a_default_when_it_has_none(streams):
    window = scene()
    streams(window, 200, 100)
    assert tuple(window.GetSize()) == (200, 100)
    from vtkmodules.vtkRenderingCore import vtkRenderWindow

    bare = vtkRenderWindow()
    bare_stream, _ = streams(bare)
    assert bare_stream.size == (640, 480) == tuple(bare.GetSize())


def test_a_render_of_the_windows_own_says_the_picture_changed(streams):
    window = scene()
    stream, sidecar = streams(window)
    frame(stream, sidecar, 1)
    assert "capture_changed" not in sidecar.methods(), "the stream's own render is no news"
    camera(window).Azimuth(30)
    window.Render()
    assert sidecar.wait(lambda method, _: method == "capture_changed", "capture_changed")[1] == {"view": "v0"}
    got = frame(stream, sidecar, 2)
    assert got["render_ms"] == 0, "the window already shows the change"
    assert np.array_equal(got["pixels"], screenshot(window))


def test_with_mesas_glx_the_context_stays_current_in_the_thread_that_rendered(streams):
    # EGL windows are tested in subprocesses: glvnd refuses GLX in a thread that holds an EGL context (BadAccess)
    window = scene()
    stream, sidecar = streams(window)
    frame(stream, sidecar, 1)
    window.Render()
    assert _vtk_context.shares_context(window)
    assert window.IsCurrent(), "released here while the worker keeps it, the worker's next render would crash"
    stream.release_context()
    assert window.IsCurrent(), "nor does release_context() release it"
    assert frame(stream, sidecar, 2)["render_ms"] == 0


def test_close_frees_the_shared_memory_restores_the_window_and_is_idempotent(streams):
    window = scene()
    stream, sidecar = streams(window)
    name = frame(stream, sidecar, 1)["shm"]
    assert name.startswith(f"glstream-{os.getpid()}-v0-")
    assert os.path.exists(os.path.join(_vtk_slot.SHM_DIR, name))
    assert window.GetInteractor() is not None, "a window without an interactor is given one"
    stream.close()
    stream.close()
    assert not os.path.exists(os.path.join(_vtk_slot.SHM_DIR, name))
    assert window.GetInteractor() is None, "the interactor the stream added is gone"
    assert not window.HasObserver("StartEvent") and not window.HasObserver("EndEvent")
    window.Render()  # renders as before, with no lock taken and none left held
    stream.handle({"view": "v0", "op": "frame", "seq": 2})
    assert [method for method in sidecar.methods() if method == "capture_frame"] == ["capture_frame"]


def test_a_deleted_window_is_reported_gone_and_frames_then_fail(streams):
    window = scene()
    stream, sidecar = streams(window)
    frame(stream, sidecar, 1)
    del window
    gc.collect()
    gone = sidecar.wait(lambda method, _: method == "capture_gone", "capture_gone")[1]
    assert gone == {"view": "v0", "reason": "the render window was deleted"}
    assert "deleted" in frame(stream, sidecar, 2)["error"]
    assert sidecar.methods().count("capture_gone") == 1


def test_while_this_thread_keeps_rendering_the_worker_lets_those_renders_show_the_input(streams):
    window = scene()
    stream, sidecar = streams(window)
    frame(stream, sidecar, 1)
    worker_renders = []
    window.AddObserver(
        "EndEvent", lambda *_: threading.current_thread() is not threading.main_thread() and worker_renders.append(1)
    )
    distance = camera(window).GetDistance()
    window.Render()
    for seq in range(2, 12):
        send(stream, {"type": "wheel", "x": 160, "y": 120, "dx": 0, "dy": -100})
        stream.handle({"view": stream.view, "op": "frame", "seq": seq})

    def last_frame(method, params):
        return method == "capture_frame" and params["seq"] == 11

    while not sidecar.wait_a_little(last_frame, 0.01):
        window.Render()  # an animation in a cell; each render also shows the wheel turns injected before it
    assert camera(window).GetDistance() < distance
    assert len(worker_renders) <= 2, f"the worker rendered {len(worker_renders)} of 10 frames itself"


def test_a_frame_waits_for_a_render_another_thread_began_rather_than_read_a_stale_picture(streams):
    window = scene()
    stream, sidecar = streams(window)
    before = frame(stream, sidecar, 1)
    send(stream, {"type": "wheel", "x": 160, "y": 120, "dx": 0, "dy": -300})
    entered = threading.Event()
    window.AddObserver("StartEvent", lambda *_: entered.set(), 2.0e6)  # before the stream's lock is taken
    with _vtk_stream.RENDER_LOCK:
        # a render of another thread's: past VTK's check that no other render runs, then waiting for the lock
        other = threading.Thread(target=window.Render)
        other.start()
        assert entered.wait(WAIT_S)
        stream.handle({"view": stream.view, "op": "frame", "seq": 2})
    # whichever gets the lock first, the frame shows the wheel turn, not the picture from before it
    got = sidecar.wait(lambda method, params: method == "capture_frame" and params["seq"] == 2, "frame 2")[1]
    other.join()
    assert "error" not in got, got
    assert not np.array_equal(got["pixels"], before["pixels"])
    assert np.array_equal(got["pixels"], screenshot(window))


def test_the_slot_grows_into_a_new_file_and_removes_the_old_one():
    slot = _vtk_slot.Slot("grow test/1")
    try:
        slot.array(4, 2)
        small = slot.name
        assert small.startswith(f"glstream-{os.getpid()}-grow_test_1-")
        slot.array(2, 2)
        assert slot.name == small, "a smaller frame fits the slot it has"
        slot.array(8, 8)
        assert slot.name != small and not os.path.exists(os.path.join(_vtk_slot.SHM_DIR, small))
        assert os.path.getsize(os.path.join(_vtk_slot.SHM_DIR, slot.name)) == 8 * 8 * 4
    finally:
        slot.close()
    assert slot.name is None


@pytest.mark.parametrize("off_screen", [True, False])
def test_a_pyvista_plotter_streams_through_render_window_of_and_reports_its_close(streams, off_screen):
    import pyvista

    plotter = pyvista.Plotter(off_screen=off_screen, window_size=(300, 200))
    plotter.add_mesh(pyvista.Sphere(), color="orange")
    plotter.renderer.SetBackground(0, 0, 0)
    window = render_window_of(plotter)
    assert window is plotter.render_window
    stream, sidecar = streams(window)
    first = frame(stream, sidecar, 1)
    assert (first["width"], first["height"]) == (300, 200)
    assert np.array_equal(first["pixels"], screenshot(window))
    assert np.any(first["pixels"][:, :, :3] > 64), "the sphere shows"
    position = plotter.camera.position
    send(stream, pointer("down", 150, 100), pointer("move", 200, 100), pointer("up", 200, 100))
    frame(stream, sidecar, 2)
    assert plotter.camera.position != position
    plotter.close()
    got = frame(stream, sidecar, 3)
    assert "closed" in got["error"] or "deleted" in got["error"], got
    assert sidecar.methods().count("capture_gone") == 1


RACE = textwrap.dedent(
    """
    import json, sys, threading
    import numpy as np
    from test_vtk_stream import FakeSidecar, frame, scene, screenshot
    from glstream import _vtk_stream
    from glstream._vtk_context import is_current
    from glstream._vtk_stream import RENDER_LOCK, VtkStream

    _vtk_stream.ACTIVE_S = 0  # the worker renders even while this thread does: the most contention

    window = scene((160, 120), kind=sys.argv[1])
    inside, overlaps, main_renders = [], [], []
    def start(*_):
        if inside:
            overlaps.append((inside[-1], threading.get_ident()))
        inside.append(threading.get_ident())
    def end(*_):
        inside.pop()
        if threading.current_thread() is threading.main_thread():
            main_renders.append(1)
    # default priority: inside the stream's lock, as any observer of the user's
    window.AddObserver("StartEvent", start)
    window.AddObserver("EndEvent", end)
    sidecar = FakeSidecar()
    stream = VtkStream(window, "v", sidecar, None, None)
    def serve():
        for seq in range(200):
            event = {"type": "wheel", "x": 80, "y": 60, "dx": 0, "dy": 100 if seq % 2 else -100}
            stream.handle({"view": "v", "op": "input", "canvas": {"width": 160, "height": 120}, "event": event})
            stream.handle({"view": "v", "op": "frame", "seq": seq})
    server = threading.Thread(target=serve)
    server.start()
    actor = window.GetRenderers().GetFirstRenderer().GetActors().GetLastActor()
    # at least 200 renders here, however quickly the calls that find the worker mid-render return
    while len(main_renders) < 200:
        with RENDER_LOCK:  # VTK is not thread-safe: a change to the scene must not meet the worker's render
            actor.RotateZ(2)
        window.Render()
    server.join()
    sidecar.wait(lambda method, params: method == "capture_frame" and params["seq"] == 199, "the last frame")
    replies = [params for method, params in sidecar.calls if method == "capture_frame"]
    pictures = [params for params in replies if "pixels" in params]
    # VTK's own read-back on this thread, then frames, then closing the window: the context changes threads
    window.Render()
    current_after_render = is_current(window)
    screenshot(window)
    after_screenshot = frame(stream, sidecar, 200)
    stream.release_context()
    after_release = frame(stream, sidecar, 201)
    stream.close()
    window.Finalize()
    del window
    print(json.dumps({
        "frames": len(replies),
        "errors": [params["error"] for params in replies if "error" in params],
        "blank": sum(1 for params in pictures if len(np.unique(params["pixels"].reshape(-1, 4), axis=0)) < 10),
        "overlaps": len(overlaps),
        "current_after_render": current_after_render,
        "after_screenshot": after_screenshot.get("error", "pixels"),
        "after_release": after_release.get("error", "pixels"),
    }))
    """
)


@pytest.mark.parametrize("kind", ["x", "egl"])
def test_main_thread_renders_while_the_worker_serves_frames_never_overlap_nor_crash(display, tmp_path, kind):
    script = tmp_path / "render_race.py"  # not concurrent.py: that would hide the standard library's package
    script.write_text(RACE)
    here = pathlib.Path(__file__).parent
    package = pathlib.Path(glstream.__file__).parents[1]
    env = {**os.environ, "DISPLAY": display, "PYTHONPATH": os.pathsep.join([str(package), str(here)])}
    run = subprocess.run([sys.executable, str(script), kind], env=env, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, f"exit code {run.returncode}\nstdout:\n{run.stdout}\nstderr:\n{run.stderr[-4000:]}"
    result = json.loads(run.stdout.strip().splitlines()[-1])
    assert result["frames"] == 200 and result["errors"] == [] and result["blank"] == 0, result
    assert result["overlaps"] == 0, "two threads were inside the window's render at once"
    # Mesa's GLX shares the context with the worker; EGL wants it back from the thread that read pixels
    assert result["current_after_render"] is (kind == "x"), result
    if kind == "x":
        assert result["after_screenshot"] == "pixels", result
    else:
        assert "in use by another thread" in result["after_screenshot"], result
    assert result["after_release"] == "pixels", result
