"""The supervisor and the Viewer against a fake sidecar: requests, timeouts, events, frames, and a dying sidecar."""

import concurrent.futures
import os
import signal
import threading

import numpy as np
import pytest
from _helpers import process_exists, wait_for_trait, wait_until

from glstream import GlstreamError, Mesh, SidecarError, Viewer, _sidecar
from glstream._live import STATIC

TRIANGLE = np.array([[0, 0, 0], [1, 0, 0], [0, 1, 0]], dtype=np.float32)
FACE = np.array([[0, 1, 2]], dtype=np.int32)


@pytest.fixture
def viewer(fake_sidecar):
    fake_sidecar("ok")
    viewer = Viewer(width=320, height=200, background=(0, 0, 0))
    yield viewer
    viewer.close()


def history(viewer):
    result, _ = viewer.sidecar.request("history", {})
    return result["history"]


def test_the_viewer_drives_the_scene(viewer, tmp_path):
    assert (viewer.width, viewer.height, viewer.status, viewer.error) == (320, 200, "", "")
    # anywidget's model and view, running the front end glstream ships in the package
    assert (viewer._model_name, viewer._view_name, viewer._model_module, viewer._view_module) == (
        "AnyModel",
        "AnyView",
        "anywidget",
        "anywidget",
    )
    assert viewer._esm == (STATIC / "widget.js").read_text() and "render" in viewer._esm
    assert viewer._css == (STATIC / "widget.css").read_text() and ".glstream-viewer" in viewer._css
    assert viewer._still == b""
    mesh = viewer.add_mesh(TRIANGLE, FACE, color="#f00", name="tri")
    assert isinstance(mesh, Mesh) and (mesh.name, mesh.triangles) == ("tri", 1)
    assert viewer.add_mesh(TRIANGLE.tolist(), FACE.tolist()).name == "mesh1"
    viewer.reset_camera()
    png = viewer.snapshot(size=(64, 48))
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and b"'width': 64, 'height': 48" in png
    path = viewer.snapshot(tmp_path / "shot.png")
    assert path == tmp_path / "shot.png" and path.read_bytes().startswith(b"\x89PNG")
    mesh.remove()
    viewer.remove_mesh("mesh1")
    assert history(viewer) == [
        "start",
        "create_view",
        "direct",
        "add_object",
        "add_object",
        "reset_camera",
        "snapshot",
        "snapshot",
        "remove_object",
        "remove_object",
    ]


def test_mesh_names_are_checked_on_the_python_side(viewer):
    mesh = viewer.add_mesh(TRIANGLE, FACE, name="a")
    with pytest.raises(ValueError, match="already has a mesh named 'a'"):
        viewer.add_mesh(TRIANGLE, FACE, name="a")
    mesh.remove()
    with pytest.raises(ValueError, match="mesh 'a' is in no open Viewer"):
        mesh.remove()
    with pytest.raises(ValueError, match="has no mesh 'nope'"):
        viewer.remove_mesh("nope")


def test_bad_input_never_reaches_the_sidecar(viewer):
    pid = viewer.sidecar.pid
    bad_calls = [
        lambda: viewer.add_mesh(np.full((3, 3), np.nan), FACE),
        lambda: viewer.add_mesh(TRIANGLE, FACE.astype(float)),
        lambda: viewer.add_mesh(TRIANGLE, [[0, 1, 3]]),
        lambda: viewer.add_mesh(TRIANGLE[:, :2], FACE),
        lambda: viewer.add_mesh(TRIANGLE, FACE, color="teal"),
        lambda: viewer.snapshot(size=(0, 0)),
    ]
    for call in bad_calls:
        with pytest.raises((TypeError, ValueError, IndexError)):
            call()
        assert viewer.add_mesh(TRIANGLE, FACE).triangles == 1
        assert viewer.sidecar.pid == pid
    assert history(viewer).count("add_object") == len(bad_calls)


def test_a_request_timeout_leaves_the_sidecar_usable(viewer):
    with pytest.raises(SidecarError, match=r"did not answer 'hang' within 0\.3 s"):
        viewer.sidecar.request("hang", {}, timeout=0.3)
    assert viewer.add_mesh(TRIANGLE, FACE).triangles == 1


def test_concurrent_requests_get_their_own_replies(viewer):
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        sizes = [(16 + i, 9 + i) for i in range(32)]
        pngs = list(pool.map(lambda size: viewer.snapshot(size=size), sizes))
    assert [png.endswith(f"{{'width': {w}, 'height': {h}}}".encode()) for png, (w, h) in zip(pngs, sizes)] == [
        True
    ] * 32


def test_known_widget_messages_are_forwarded_as_events(viewer):
    viewer._handle_custom_msg({"type": "pointer", "phase": "down", "x": 1, "y": 2, "view": "other"}, [])
    viewer._handle_custom_msg({"type": "bogus"}, [])
    viewer._handle_custom_msg({"type": "ack", "seq": 4}, [])
    events = [entry for entry in history(viewer) if isinstance(entry, dict)]
    view = viewer._view_id
    assert events == [
        {"view": view, "type": "pointer", "phase": "down", "x": 1, "y": 2},
        {"view": view, "type": "ack", "seq": 4},
    ]


def test_frames_are_sent_to_the_browser_as_binary_buffers(viewer, monkeypatch):
    sent = []
    arrived = threading.Event()
    monkeypatch.setattr(viewer, "send", lambda content, buffers=None: (sent.append((content, buffers)), arrived.set()))
    viewer._handle_custom_msg({"type": "resize", "width": 300, "height": 150, "dpr": 2}, [])
    assert arrived.wait(10)
    assert sent == [
        (
            {
                "type": "frame",
                "seq": 1,
                "mime": "image/jpeg",
                "width": 300,
                "height": 150,
                "still": False,
                "input_seq": 0,
            },
            [b"\xff\xd8fake"],
        )
    ]


def test_an_error_notice_shows_in_the_widget(viewer):
    viewer._handle_custom_msg({"type": "key", "key": "notice"}, [])
    assert wait_for_trait(viewer, "error", bool) == "render failed"


def recorded(widget, name):
    """The values trait `name` of `widget` takes from now on, in order."""
    values = []
    widget.observe(lambda change: values.append(change["new"]), names=name)
    return values


def test_a_sidecar_killed_later_is_restarted_with_the_view_and_its_scene(viewer, monkeypatch):
    old = viewer.sidecar
    mesh = viewer.add_mesh(TRIANGLE, FACE, color="#f00", name="tri")
    mesh.update(color="#00f")
    statuses = recorded(viewer, "status")
    sent = []
    monkeypatch.setattr(viewer, "send", lambda content, buffers=None: sent.append(content))
    os.kill(old.pid, signal.SIGKILL)
    wait_until(lambda: statuses[-1:] == [""], what="the restart to end")
    assert statuses == ["renderer restarting…", ""] and viewer.error == ""
    # the front end hears that frames are numbered anew, then how to reach the new renderer
    wait_until(lambda: len(sent) == 2, what="the messages after the restart")
    assert [message["type"] for message in sent] == ["restarted", "direct"] and sent[1]["key"] == "fake-key"
    new = viewer.sidecar
    assert new is _sidecar.current() and new.pid != old.pid and new.alive and not process_exists(old.pid)
    calls = [call for call in new.request("requests", {})[0]["requests"] if call["method"] != "requests"]
    assert [call["method"] for call in calls] == ["start", "create_view", "add_object", "direct"]
    start, create, add, _ = (call["params"] for call in calls)
    # the restarted renderer starts on the display of the first, which its lifeline keeps
    assert "force_headless" not in start and start["lifeline_fd"] == old.start_params["lifeline_fd"]
    assert new.info["inherited_display"] == ":99" and new.display == old.display
    assert create == {
        "view": viewer._view_id,
        "width": 320,
        "height": 200,
        "background": "#000000",
        "target_fps": 60.0,
        "still": "lossless",
    }
    assert (add["object"], add["name"], add["style"]["color"]) == (mesh._id, "tri", "#0000ff")
    # the scene goes on in the new renderer
    assert mesh._sidecar is new and viewer.add_mesh(TRIANGLE, FACE).triangles == 1
    mesh.update(color="#0f0")
    assert history(viewer)[-2:] == ["add_object", "update_object"]


def test_a_view_that_asks_for_a_direct_link_during_a_restart_is_offered_one_once_its_scene_is_back(viewer, monkeypatch):
    viewer.add_mesh(TRIANGLE, FACE, name="tri")
    reopen, resume = viewer._reopen, threading.Event()
    reopening = threading.Event()

    def held(*args):
        reopening.set()
        assert resume.wait(30)
        reopen(*args)

    monkeypatch.setattr(viewer, "_reopen", held)
    sent = []
    monkeypatch.setattr(viewer, "send", lambda content, buffers=None: sent.append(content))
    old = viewer.sidecar
    os.kill(old.pid, signal.SIGKILL)
    assert reopening.wait(30)
    # the view's link to the dead renderer failed, and it asks how to reach the new one
    viewer._forward_input(viewer, {"type": "direct", "asker": "view-1"}, [])
    assert sent == []
    resume.set()
    wait_until(lambda: len(sent) == 2, what="the messages after the restart")
    assert [message["type"] for message in sent] == ["restarted", "direct"] and sent[1]["key"] == "fake-key"
    calls = [call["method"] for call in viewer.sidecar.request("requests", {})[0]["requests"]]
    assert calls[-1] == "direct" and calls.index("add_object") < calls.index("direct")


def test_a_crash_loop_gives_up_with_the_cause_and_the_log_and_a_new_viewer_starts_afresh(viewer):
    for _ in range(2):
        old = viewer.sidecar
        os.kill(old.pid, signal.SIGKILL)
        wait_until(lambda old=old: viewer.sidecar is not old and viewer.status == "", what="a restart")
    with pytest.raises(SidecarError) as caught:
        viewer.sidecar.request("die", {})
    assert "stopped (exit code 7)" in str(caught.value) and "fake: dying on request" in str(caught.value)
    message = wait_for_trait(viewer, "error", bool)
    assert message.startswith("The glstream renderer died 3 times within a minute, so it is not restarted again.")
    assert "Last time: the glstream renderer stopped (exit code 7)" in message
    assert "fake: dying on request" in message and "glstream doctor" in message
    assert viewer.status == "" and _sidecar.current() is None
    with pytest.raises(SidecarError, match="died 3 times within a minute"):
        viewer.add_mesh(TRIANGLE, FACE)
    fresh = Viewer()
    try:
        assert fresh.sidecar.alive and fresh.add_mesh(TRIANGLE, FACE).triangles == 1
        assert viewer.error == message, "the given-up view stays as it is"
    finally:
        fresh.close()


def test_a_call_during_the_restart_waits_for_it_and_goes_to_the_new_renderer(viewer):
    old = viewer.sidecar
    viewer.add_mesh(TRIANGLE, FACE)
    os.kill(old.pid, signal.SIGKILL)
    wait_until(lambda: not old.alive, what="the kill")
    assert viewer.add_mesh(TRIANGLE, FACE).triangles == 1
    scene_calls = [name for name in history(viewer) if name in ("create_view", "add_object")]
    assert viewer.sidecar is not old and scene_calls == ["create_view", "add_object", "add_object"]


def test_closing_removes_the_view_and_is_idempotent(viewer):
    sidecar = viewer.sidecar
    viewer.close()
    viewer.close()
    assert viewer.comm is None
    with pytest.raises(GlstreamError, match="this Viewer is closed"):
        viewer.reset_camera()
    assert sidecar.request("history", {})[0]["history"][-1] == "close_view"


def test_the_status_says_the_renderer_is_starting_until_it_is_ready(fake_sidecar):
    fake_sidecar("ok")
    seen = []

    class Recording(Viewer):
        def _starting(self):
            super()._starting()
            seen.append(self.status)

    viewer = Recording()
    try:
        assert seen == ["starting the renderer…"] and viewer.status == ""
        Recording().close()
        assert seen == ["starting the renderer…"], "a running sidecar is reused, not started again"
    finally:
        viewer.close()


def test_an_interrupted_write_stops_the_sidecar_instead_of_desynchronising_it(viewer, monkeypatch):
    real = viewer.sidecar._channel._stdin

    class Interrupting:
        writes = 0

        def write(self, data):
            Interrupting.writes += 1
            if Interrupting.writes == 2:
                raise KeyboardInterrupt
            return real.write(data)

        def flush(self):
            real.flush()

        def close(self):
            real.close()

    sidecar = viewer.sidecar
    monkeypatch.setattr(sidecar._channel, "_stdin", Interrupting())
    with pytest.raises(KeyboardInterrupt):
        viewer.add_mesh(TRIANGLE, FACE)
    # the renderer is stopped and restarted with the view; the interrupted mesh was never added
    wait_until(lambda: viewer.sidecar is not sidecar and viewer.status == "", what="the restart")
    assert viewer.error == "" and not process_exists(sidecar.pid)
    assert [name for name in history(viewer) if isinstance(name, str)] == ["start", "create_view", "direct"]
