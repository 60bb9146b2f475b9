"""A renderer killed under live Viewers comes back with their scenes (real sidecar, real SIGKILL): the same pictures,
the restarting state on the way, a crash loop that gives up saying why, and the replay budget's missing objects."""

import json
import os
import signal
import subprocess
import sys

import numpy as np
import pytest
from _helpers import process_exists, wait_for_trait, wait_until
from _png import decode_png

import glstream
from glstream import SidecarError, Viewer, _sidecar, link_cameras, replay_usage

BACKGROUND = (0x1E, 0x1E, 0x1E)
OCTAHEDRON = np.array([[1, 0, 0], [-1, 0, 0], [0, 2.2, 0], [0, -0.7, 0], [0, 0, 1], [0, 0, -1]], dtype=np.float32)
OCTAHEDRON_FACES = np.array([[0, 2, 4], [2, 1, 4], [1, 3, 4], [3, 0, 4], [2, 0, 5], [1, 2, 5], [3, 1, 5], [0, 3, 5]])
RESTARTING = "renderer restarting…"


def pixels(png):
    return decode_png(png)[..., :3].astype(int)


def recorded(widget, name):
    """The values trait `name` of `widget` takes from now on, in order."""
    values = []
    widget.observe(lambda change: values.append(change["new"]), names=name)
    return values


def drag(viewer, start, end, steps=8):
    """A left-button drag as the widget sends it: press, moves, release, with sequence numbers and times."""
    (x0, y0), (x1, y1) = start, end
    keys = {"ctrl": False, "shift": False, "alt": False, "meta": False}
    path = [(x0 + (x1 - x0) * i / steps, y0 + (y1 - y0) * i / steps) for i in range(steps + 1)]
    phases = ["down"] + ["move"] * (steps - 1) + ["up"]
    for seq, (phase, (x, y)) in enumerate(zip(phases, path), start=1):
        buttons = 0 if phase == "up" else 1
        event = {"type": "pointer", "phase": phase, "x": x, "y": y, "button": 0, "buttons": buttons, **keys}
        viewer._handle_custom_msg({**event, "seq": seq, "t": 16.0 * seq}, [])


def killed(viewer):
    """SIGKILL the viewer's renderer; return (the old sidecar, the statuses the viewer goes through)."""
    old = viewer.sidecar
    statuses = recorded(viewer, "status")
    os.kill(old.pid, signal.SIGKILL)
    # a call already waiting for the renderer when it dies fails ("run this call again"); later ones wait
    wait_until(lambda: not old.alive, what="the renderer to die")
    return old, statuses


def restarted(viewer, old, statuses):
    wait_until(lambda: viewer.sidecar is not old and statuses[-1:] == [""], 60, "the restart to end")


@pytest.fixture
def two_viewers(real_sidecar):
    first = Viewer(width=240, height=180)
    second = Viewer(width=200, height=160, background="#203040")
    yield first, second
    for viewer in (first, second):
        viewer.close()


def test_a_killed_renderer_comes_back_with_the_same_pictures(two_viewers, monkeypatch):
    first, second = two_viewers
    heights = OCTAHEDRON[:, 1].astype(np.float64)
    shared = first.add_mesh(OCTAHEDRON, OCTAHEDRON_FACES, scalars=heights, cmap="plasma", name="octa")
    first.add_scalar_bar(shared, title="height")
    first.camera = {"position": (3, 2, 5), "target": (0, 0.5, 0), "fov": 35}
    second.add_points(OCTAHEDRON * 1.3, size=6, color="#ffcc33")
    second.add(shared, name="shared")
    shared.update(opacity=0.8)
    before_drag = second.camera
    drag(second, (100, 80), (150, 100))
    moved = wait_until(lambda: second.camera != before_drag and second.camera, what="the drag to move the camera")
    # the renderer reports where the camera came to rest once the drag settled
    wait_until(
        lambda: (second._camera_notice or {}).get("camera", {}).get("position") == list(moved["position"]),
        what="the camera notice of the drag",
    )
    before = [pixels(viewer.snapshot()) for viewer in (first, second)]
    assert all((np.abs(image - BACKGROUND).sum(axis=2) > 30).mean() > 0.02 for image in before[:1])
    second_statuses = recorded(second, "status")
    requests = []
    request = _sidecar.Sidecar.request

    def recording(sidecar, method, params, *args, **kwargs):
        requests.append((method, params.get("view")))
        return request(sidecar, method, params, *args, **kwargs)

    monkeypatch.setattr(_sidecar.Sidecar, "request", recording)
    old, statuses = killed(first)
    after = [pixels(viewer.snapshot()) for viewer in (first, second)]
    assert RESTARTING in statuses and RESTARTING in second_statuses
    restarted(first, old, statuses)
    assert first.sidecar is second.sidecar is _sidecar.current() and not process_exists(old.pid)
    assert (first.error, second.error) == ("", "")
    # the dragged camera is back before the objects: no frame shows them from the default framing first
    second_restored = [method for method, view in requests if view == second._view_id]
    assert second_restored[:3] == ["create_view", "set_camera", "add_object"], second_restored
    for name, was, now in zip(("first", "second"), before, after):
        assert was.shape == now.shape, name
        difference = np.abs(was - now)
        assert difference.max() == 0, f"{name}: {(difference > 0).sum()} pixels differ, by up to {difference.max()}"
    # the same camera, to the rounding of its placement from position, target and up
    assert {key: pytest.approx(value, abs=1e-9) for key, value in moved.items()} == second.camera
    assert shared._sidecar is first.sidecar
    # the scene goes on: the shared mesh changes in both views
    shared.update(color="#ff0000", scalars=-heights)
    assert not np.array_equal(pixels(second.snapshot()), after[1])


def test_linked_cameras_stay_linked_after_a_restart(two_viewers):
    first, second = two_viewers
    for viewer in two_viewers:
        viewer.add_mesh(OCTAHEDRON, OCTAHEDRON_FACES)
    link_cameras(first, second)
    old, statuses = killed(first)
    restarted(first, old, statuses)
    first.camera = {"position": (0, 6, 1)}
    assert second.camera["position"] == pytest.approx((0, 6, 1))


def test_a_crash_loop_gives_up_with_the_cause_and_the_log_and_the_kernel_goes_on(real_sidecar):
    viewer = Viewer(width=96, height=64)
    try:
        viewer.add_mesh(OCTAHEDRON, OCTAHEDRON_FACES)
        for _ in range(2):
            old, statuses = killed(viewer)
            restarted(viewer, old, statuses)
        # something in the renderer's log, for the message to show
        last = viewer.sidecar
        last.send_event({"view": viewer._view_id, "type": "pointer", "phase": "sideways"})
        wait_until(lambda: any("sideways" in line for line in last.stderr_tail()), what="the renderer's log line")
        os.kill(last.pid, signal.SIGKILL)
        message = wait_for_trait(viewer, "error", bool, timeout=30)
        assert message.startswith("The glstream renderer died 3 times within a minute")
        assert "Last time: the glstream renderer stopped (exit code -9, SIGKILL)" in message
        assert "The renderer's log ends with:" in message and "sideways" in message and "glstream doctor" in message
        assert viewer.status == "" and _sidecar.current() is None
        with pytest.raises(SidecarError, match="died 3 times within a minute"):
            viewer.snapshot()
    finally:
        viewer.close()
    fresh = Viewer(width=96, height=64)
    try:
        fresh.add_mesh(OCTAHEDRON, OCTAHEDRON_FACES)
        assert (np.abs(pixels(fresh.snapshot()) - BACKGROUND).sum(axis=2) > 30).mean() > 0.02
    finally:
        fresh.close()


def test_an_object_over_the_replay_budget_is_named_missing_after_a_restart(real_sidecar, monkeypatch):
    monkeypatch.setenv("GLSTREAM_REPLAY_MB", "1")
    viewer = Viewer(width=96, height=64)
    try:
        small = viewer.add_mesh(OCTAHEDRON, OCTAHEDRON_FACES, name="small")
        cloud = np.random.default_rng(1).normal(size=(200_000, 3)).astype(np.float32)  # 2.4 MB
        viewer.add_points(cloud, name="cloud")
        usage = replay_usage()
        assert usage == {
            "bytes": OCTAHEDRON.nbytes + OCTAHEDRON_FACES.astype(np.uint32).nbytes,
            "limit_bytes": 1 << 20,
            "objects_kept": 1,
            "objects_dropped": 1,
        }
        old, statuses = killed(viewer)
        restarted(viewer, old, statuses)
        assert "came back without points 'cloud'" in viewer.error and "GLSTREAM_REPLAY_MB" in viewer.error
        assert list(viewer._objects) == ["small"] and small._sidecar is viewer.sidecar
        # the name is free again for the data added anew
        viewer.add_points(cloud[:1000], name="cloud")
    finally:
        viewer.close()
    assert replay_usage()["bytes"] == 0, "a closed Viewer's objects are not kept"


def test_the_display_outlives_a_killed_renderer(real_sidecar):
    viewer = Viewer(width=96, height=64)
    try:
        first = viewer.sidecar
        assert first.display_source == "xvfb" and process_exists(first.xserver_pid)
        old, statuses = killed(viewer)
        restarted(viewer, old, statuses)
        new = viewer.sidecar
        assert process_exists(first.xserver_pid), "the X server went with the renderer"
        assert new.info["display_source"] == "existing" and new.info["display"] == first.display
        assert new.display_env == first.display_env and new.xserver_pid == first.xserver_pid
    finally:
        viewer.close()
    _sidecar.stop_current()
    wait_until(lambda: not process_exists(first.xserver_pid), what="the X server to stop with the lifeline")


def test_a_window_view_captures_the_same_window_again_on_the_kept_display(real_sidecar):
    gears = glstream.run(["glxgears", "-geometry", "300x200"])
    view = glstream.show(gears)
    try:
        old, statuses = killed(view)
        restarted(view, old, statuses)
        assert gears.running, "the program lost its display with the renderer"
        assert view.error == "" and view.target == gears.main_window().id
        image = pixels(view.snapshot())
        assert image.shape == (200, 300, 3) and image.std() > 10, "the window is captured again"
    finally:
        view.close()
        gears.terminate()


# In a process of its own, as a kernel with %load_ext glstream: VTK renders on the kernel's display, show()s it.
VTK_PROGRAM = """
import json, os, signal
import glstream
glstream.headless()
from vtkmodules.vtkFiltersSources import vtkConeSource
from vtkmodules.vtkRenderingCore import vtkActor, vtkPolyDataMapper, vtkRenderer
from vtkmodules.vtkRenderingOpenGL2 import vtkXOpenGLRenderWindow
window = vtkXOpenGLRenderWindow()
window.SetSize(160, 120)
window.SetMultiSamples(0)
renderer = vtkRenderer()
renderer.SetBackground(0.1, 0.2, 0.6)
window.AddRenderer(renderer)
cone = vtkConeSource()
mapper = vtkPolyDataMapper()
mapper.SetInputConnection(cone.GetOutputPort())
actor = vtkActor()
actor.SetMapper(mapper)
renderer.AddActor(actor)
view = glstream.show(window)
before = view.snapshot()
old = view.sidecar
os.kill(old.pid, signal.SIGKILL)
old._process.wait(timeout=20)
after = view.snapshot()
print(json.dumps({"same": before == after, "restarted": view.sidecar.pid != old.pid, "error": view.error,
                  "display": os.environ["DISPLAY"] == view.sidecar.display, "size": len(after)}))
view.close()
"""


def test_a_vtk_window_of_the_kernel_is_captured_again_after_a_restart(real_sidecar):
    ran = subprocess.run([sys.executable, "-c", VTK_PROGRAM], capture_output=True, text=True, timeout=120)
    assert ran.returncode == 0, ran.stderr
    result = json.loads(ran.stdout.splitlines()[-1])
    assert result["size"] > 100 and result == {**result, "same": True, "restarted": True, "error": ""}
    assert result["display"], "the kernel's DISPLAY is the restarted renderer's"
