"""The Viewer against the real Node sidecar (packages/sidecar/dist/cli.js, which `make setup` builds)."""

import os
import pathlib
import signal

import numpy as np
import pytest
from _helpers import process_exists, wait_until
from _png import decode_png

from glstream import Viewer, _sidecar
from glstream._protocol import PROTOCOL_VERSION

BACKGROUND = (0x1E, 0x1E, 0x1E)
QUAD = np.array([[-1, -1, 0], [1, -1, 0], [1, 1, 0], [-1, 1, 0]], dtype=np.float64)
QUAD_FACES = np.array([[0, 1, 2], [0, 2, 3]], dtype=np.int64)
TRIANGLE = np.array([[0, 0, 0], [1, 0, 0], [0, 1, 0]], dtype=np.float32)
FACE = np.array([[0, 1, 2]], dtype=np.uint32)


@pytest.fixture
def viewer(real_sidecar):
    viewer = Viewer(width=320, height=240, background="#1e1e1e")
    yield viewer
    viewer.close()


def test_the_sidecar_reports_its_display_and_gl(viewer):
    sidecar = _sidecar.current()
    assert sidecar is viewer.sidecar and process_exists(sidecar.pid)
    assert sidecar.hello["name"] == "glstream-sidecar" and sidecar.hello["protocol"] == PROTOCOL_VERSION
    assert isinstance(sidecar.display, str) and sidecar.display.startswith(":")
    assert sidecar.info["display_source"] in ("xvfb", "existing")
    if sidecar.info["display_source"] == "xvfb":
        assert process_exists(sidecar.xserver_pid)
    assert sidecar.info["gl"]["version"]


def test_add_mesh_and_snapshot_write_a_png_that_is_not_blank(viewer, tmp_path):
    mesh = viewer.add_mesh(QUAD, QUAD_FACES, color="#44aa88", name="quad")
    assert (mesh.name, mesh.triangles) == ("quad", 2)
    viewer.reset_camera()
    path = viewer.snapshot(tmp_path / "quad.png", size=(200, 100))
    pixels = decode_png(path.read_bytes())
    assert pixels.shape[:2] == (100, 200)
    rgb = pixels[..., :3].astype(int)
    not_background = np.abs(rgb - BACKGROUND).sum(axis=2) > 30
    assert not_background.mean() > 0.05, "the mesh covers almost nothing"
    assert not_background.mean() < 1.0, "the background is gone"
    greenish = rgb[not_background]
    assert (greenish[:, 1] > greenish[:, 0]).mean() > 0.9, "the mesh is not drawn in its green colour"


def test_removing_the_mesh_leaves_only_the_background(viewer):
    viewer.add_mesh(QUAD, QUAD_FACES).remove()
    pixels = decode_png(viewer.snapshot(size=(64, 48)))[..., :3].astype(int)
    assert (np.abs(pixels - BACKGROUND).sum(axis=2) <= 6).all()


def test_after_each_bad_input_the_same_viewer_keeps_working(viewer):
    pid = viewer.sidecar.pid
    bad_calls = [
        (ValueError, lambda: viewer.add_mesh(np.full((3, 3), np.nan), FACE)),
        (ValueError, lambda: viewer.add_mesh(np.array([[1e39, 0, 0]] * 3), FACE)),
        (TypeError, lambda: viewer.add_mesh(TRIANGLE.astype(bool), FACE)),
        (TypeError, lambda: viewer.add_mesh(TRIANGLE, FACE.astype(np.float32))),
        (IndexError, lambda: viewer.add_mesh(TRIANGLE, [[0, 1, 5]])),
        (ValueError, lambda: viewer.add_mesh(TRIANGLE.ravel(), FACE)),
        (ValueError, lambda: viewer.add_mesh(np.array([[0, 0, 0], [np.inf, 0, 0], [0, 1, 0]]), FACE)),
        (ValueError, lambda: viewer.add_mesh(np.zeros((0, 3), np.float32), np.zeros((0, 3), np.int32))),
        (ValueError, lambda: viewer.add_mesh(TRIANGLE, np.zeros((0, 3), np.int32))),
        (IndexError, lambda: viewer.add_mesh(TRIANGLE, [[0, 1, -1]])),
        (ValueError, lambda: viewer.add_mesh(TRIANGLE, FACE, color="green")),
        (ValueError, lambda: viewer.snapshot(size=(9000, 10))),
        (ValueError, lambda: viewer.sidecar.request("remove_object", {"view": viewer._view_id, "object": "nope"})),
    ]
    for index, (error_class, call) in enumerate(bad_calls):
        with pytest.raises(error_class):
            call()
        assert viewer.add_mesh(TRIANGLE, FACE, name=f"ok{index}").triangles == 1
        assert viewer.sidecar.pid == pid and viewer.sidecar.alive
    assert viewer.error == ""


def test_a_killed_sidecar_is_restarted_and_the_viewer_goes_on_in_the_new_one(viewer):
    old = viewer.sidecar
    viewer.add_mesh(QUAD, QUAD_FACES, color="#44aa88")
    before = decode_png(viewer.snapshot())
    statuses = []
    viewer.observe(lambda change: statuses.append(change["new"]), names="status")
    os.kill(old.pid, signal.SIGKILL)
    wait_until(lambda: statuses == ["renderer restarting…", ""], 60, "the restart")
    assert viewer.error == "" and viewer.sidecar.pid != old.pid and viewer.sidecar.alive
    assert np.array_equal(decode_png(viewer.snapshot()), before)
    fresh = Viewer(width=64, height=48)
    try:
        assert fresh.sidecar is viewer.sidecar and fresh.add_mesh(TRIANGLE, FACE).triangles == 1
    finally:
        fresh.close()


def test_stopping_the_sidecar_also_stops_the_x_server_it_started(viewer):
    sidecar = viewer.sidecar
    viewer.close()
    _sidecar.stop_current()
    assert sidecar.returncode == 0
    assert not process_exists(sidecar.pid)
    if sidecar.info["display_source"] == "xvfb":
        assert not process_exists(sidecar.xserver_pid)


OCTAHEDRON = np.array([[1, 0, 0], [-1, 0, 0], [0, 2.2, 0], [0, -0.7, 0], [0, 0, 1], [0, 0, -1]], dtype=np.float32)
OCTAHEDRON_FACES = np.array([[0, 2, 4], [2, 1, 4], [1, 3, 4], [3, 0, 4], [2, 0, 5], [1, 2, 5], [3, 1, 5], [0, 3, 5]])
REFERENCE = pathlib.Path(__file__).with_name("reference") / "octahedron-320x240.png"


def test_a_snapshot_matches_the_rendered_reference_the_right_way_up(real_sidecar):
    viewer = Viewer(width=320, height=240, background="#202830")
    try:
        viewer.add_mesh(OCTAHEDRON, OCTAHEDRON_FACES, color="#e08030")
        image = decode_png(viewer.snapshot())[..., :3].astype(int)
    finally:
        viewer.close()
    reference = decode_png(REFERENCE.read_bytes())[..., :3].astype(int)
    assert image.shape == reference.shape == (240, 320, 3)
    difference = np.abs(image - reference)
    assert difference.mean() < 1.5, f"mean difference {difference.mean():.2f} per channel"
    assert (difference > 24).mean() < 0.01
    assert np.abs(image - reference[::-1]).mean() > difference.mean() + 2, "must not also match upside down"


def test_stats_are_what_the_widget_last_reported_and_never_reach_the_sidecar(viewer, monkeypatch):
    assert viewer.stats() == {} and viewer.show_stats is False
    sent = []
    monkeypatch.setattr(viewer.sidecar, "send_event", sent.append)
    report = {
        "type": "stats",
        "fps": 30,
        "latency_ms_p50": 41.5,
        "latency_ms_p95": 80.2,
        "bytes_per_s": 900000,
        "frames": 95,
        "render_ms": 9.1,
        "readback_ms": 1.2,
        "encode_ms": 3.4,
    }
    viewer._handle_custom_msg(report, [])
    figures = viewer.stats()
    assert figures == {key: value for key, value in report.items() if key != "type"}
    figures["fps"] = 0
    assert viewer.stats()["fps"] == 30, "stats() returns a copy"
    assert sent == []
    viewer._handle_custom_msg({"type": "ack", "seq": 1}, [])
    assert sent == [{"view": viewer._view_id, "type": "ack", "seq": 1}]


def test_frame_rate_target_and_still_kind_are_checked_before_the_renderer_sees_them(real_sidecar):
    for bad in (0, 241, "fast", True, float("nan")):
        with pytest.raises(ValueError, match="target_fps must be a number from 1 to 240"):
            Viewer(target_fps=bad)
    with pytest.raises(ValueError, match="still must be 'lossless' or 'near-lossless'"):
        Viewer(still="jpeg")
    assert _sidecar.current() is None, "nothing was started for a bad option"
    viewer = Viewer(width=64, height=48, target_fps=30, still="near-lossless")
    viewer.close()
