"""The scene API's checks and wire, against the fake sidecar: every bad input raises, naming the problem, and sends
nothing; good input sends what the spec's wire says."""

import logging
import re

import matplotlib
import numpy as np
import pytest

from glstream import GlstreamError, Pick, Viewer, _colormaps, link_cameras, unlink_cameras
from glstream import _validate_scene as check

TRIANGLE = np.array([[0, 0, 0], [1, 0, 0], [0, 1, 0]], dtype=np.float32)
FACE = np.array([[0, 1, 2]], dtype=np.int32)
CLOUD = np.arange(12, dtype=np.float64).reshape(4, 3)
POLYLINES = [np.zeros((3, 3)), np.ones((2, 3))]
VOLUME = np.arange(2 * 3 * 4, dtype=np.float64).reshape(2, 3, 4)


@pytest.fixture
def viewer(fake_sidecar):
    fake_sidecar("ok")
    viewer = Viewer(width=64, height=48)
    yield viewer
    viewer.close()


def requests(viewer):
    result, _ = viewer.sidecar.request("requests", {})
    return result["requests"]


def last(viewer):
    return requests(viewer)[-1]


def arrays(request):
    return [(spec["name"], spec["dtype"], tuple(spec["shape"])) for spec in request["params"]["arrays"]]


BAD_ADDS = [
    (lambda v: v.add_mesh(TRIANGLE, FACE, scalars=[0, np.nan, 1]), ValueError, r"scalars\[1\] = nan.*nan_to_num"),
    (lambda v: v.add_mesh(TRIANGLE, FACE, scalars=[0, 1, np.inf]), ValueError, r"scalars\[2\] = inf"),
    (
        lambda v: v.add_mesh(TRIANGLE, FACE, scalars=np.zeros(5)),
        ValueError,
        r"scalars has 5 values, but mesh 'mesh1' has 3 vertices and 1 face: pass 3 \(one per vertex\) or 1 "
        r"\(one per face\)",
    ),
    (lambda v: v.add_mesh(TRIANGLE, FACE, scalars=np.zeros((3, 1))), ValueError, r"one-dimensional.*\(3, 1\)"),
    (lambda v: v.add_mesh(TRIANGLE, FACE, scalars=[True] * 3), TypeError, "got dtype bool"),
    (lambda v: v.add_mesh(TRIANGLE, FACE, scalars=[0, 1, 1e39]), ValueError, "beyond float32's range"),
    (lambda v: v.add_mesh(TRIANGLE, FACE, cmap="viridus"), ValueError, "unknown colormap 'viridus' .*'viridis'"),
    (lambda v: v.add_mesh(TRIANGLE, FACE, cmap="xyzzy"), ValueError, "'xyzzy'; pass .*viridis, plasma"),
    (lambda v: v.add_mesh(TRIANGLE, FACE, cmap=np.zeros((255, 3))), ValueError, r"shape \(256, 3\).*\(255, 3\)"),
    (lambda v: v.add_mesh(TRIANGLE, FACE, cmap=np.full((256, 3), 2.0)), ValueError, r"values in 0\.\.1.*by 255"),
    (lambda v: v.add_mesh(TRIANGLE, FACE, cmap=np.zeros((256, 3), int)), TypeError, r"astype\(np\.uint8\)"),
    (lambda v: v.add_mesh(TRIANGLE, FACE, cmap=None), TypeError, "cmap must be a colormap name"),
    (
        lambda v: v.add_mesh(TRIANGLE, FACE, scalars=[0, 1, 2], clim=(1, 1)),
        ValueError,
        "min < max; got min 1 and max 1",
    ),
    (lambda v: v.add_mesh(TRIANGLE, FACE, clim=(2, 1)), ValueError, "min < max; got min 2 and max 1"),
    (lambda v: v.add_mesh(TRIANGLE, FACE, clim=(0, np.nan)), ValueError, r"clim must be \(min, max\)"),
    (lambda v: v.add_mesh(TRIANGLE, FACE, clim="auto"), ValueError, r"clim must be \(min, max\)"),
    (lambda v: v.add_mesh(TRIANGLE, FACE, opacity=1.5), ValueError, "opacity must be a number from 0 to 1; got 1.5"),
    (lambda v: v.add_mesh(TRIANGLE, FACE, opacity=None), ValueError, "opacity must be a number"),
    (lambda v: v.add_mesh(TRIANGLE, FACE, shading="phong"), ValueError, "shading must be 'smooth' or 'flat'"),
    (lambda v: v.add_mesh(TRIANGLE, FACE, color="green"), ValueError, "color must be '#rgb'"),
    (lambda v: v.add_mesh(TRIANGLE, FACE, name=""), TypeError, "non-empty string"),
    (lambda v: v.add_mesh(np.full((3, 3), np.nan), FACE), ValueError, "vertices contain NaN"),
    (lambda v: v.add_points(CLOUD[:, :2]), ValueError, r"points must have shape \(N, 3\)"),
    (lambda v: v.add_points([[0, np.nan, 0]]), ValueError, "points contain NaN or infinite values in 1 row"),
    (lambda v: v.add_points(CLOUD.astype(complex)), TypeError, "points must be a real numeric array"),
    (
        lambda v: v.add_points(CLOUD, size=0),
        ValueError,
        "size must be a number of CSS pixels above 0 and at most 255; got 0",
    ),
    (lambda v: v.add_points(CLOUD, size=True), ValueError, "size must be a number of CSS pixels"),
    (lambda v: v.add_points(CLOUD, size=np.inf), ValueError, "size must be a number of CSS pixels"),
    (lambda v: v.add_points(CLOUD, size=256), ValueError, "at most 255; got 256"),
    (lambda v: v.add_points(CLOUD, scalars=np.zeros(3)), ValueError, "has 4 points: pass 4 \\(one per point\\)"),
    (lambda v: v.add_points(CLOUD, cmap="nope"), ValueError, "unknown colormap"),
    (lambda v: v.add_lines(np.zeros((3, 3))), TypeError, r"got ndarray\. For one polyline pass \[line\]"),
    (lambda v: v.add_lines([]), TypeError, "lines must be a non-empty list"),
    (lambda v: v.add_lines("abc"), TypeError, "lines must be a non-empty list"),
    (lambda v: v.add_lines([np.zeros((3, 3)), np.zeros((1, 3))]), ValueError, r"lines\[1\] has 1 point"),
    (lambda v: v.add_lines([np.zeros((3, 2))]), ValueError, r"lines\[0\] must have shape \(K, 3\)"),
    (lambda v: v.add_lines([np.zeros((2, 3)), [[0, 0, 0], [1, 1, 1], [np.nan, 0, 0]]]), ValueError, r"lines\[1\]\[2\]"),
    (lambda v: v.add_lines((CLOUD, [[0, 1]], [[1, 2]])), ValueError, "tuple must be \\(vertices"),
    (lambda v: v.add_lines((CLOUD, [[0, 5]])), IndexError, r"segments\[0, 1\] is 5.*0\.\.3"),
    (lambda v: v.add_lines((CLOUD, [[0.0, 1.0]])), TypeError, "segments must be an integer array"),
    (lambda v: v.add_lines((CLOUD, [[0, 1, 2]])), ValueError, r"segments must have shape \(S, 2\)"),
    (lambda v: v.add_lines(POLYLINES, width=-1), ValueError, "width must be a number of CSS pixels above 0"),
    (
        lambda v: v.add_lines(POLYLINES, scalars=[np.zeros(3), np.zeros(3)]),
        ValueError,
        r"scalars has 6 values, but lines 'lines1' has 5 vertices and 3 segments",
    ),
    (lambda v: v.add_lines(POLYLINES, scalars=[0, 1, np.nan]), ValueError, r"scalars\[2\] = nan"),
    (lambda v: v.add_slices(np.zeros((4, 4))), ValueError, r"volume must be 3-D.*\(4, 4\).*volume\[np\.newaxis\]"),
    (lambda v: v.add_slices(np.zeros((1, 2, 3, 4))), ValueError, "volume must be 3-D"),
    (lambda v: v.add_slices(np.zeros((0, 2, 3))), ValueError, "every side >= 1"),
    (lambda v: v.add_slices(VOLUME.astype(complex)), TypeError, "volume must hold real numbers"),
    (lambda v: v.add_slices(np.where(VOLUME == 6, np.nan, VOLUME)), ValueError, r"the first is at \(0, 1, 2\)"),
    (lambda v: v.add_slices(VOLUME, spacing=(1, 0, 1)), ValueError, "spacing must be three positive numbers"),
    (lambda v: v.add_slices(VOLUME, origin=(0, 0)), ValueError, "origin must be three finite numbers"),
    (lambda v: v.add_slices(VOLUME, index=(0, 0, 4)), IndexError, r"shape \(2, 3, 4\): axis 2 must be in 0\.\.3"),
    (lambda v: v.add_slices(VOLUME, index=(0.5, 0, 0)), TypeError, "index must be three whole numbers"),
    (lambda v: v.add_slices(VOLUME, cmap="grey_"), ValueError, "unknown colormap"),
    (lambda v: v.add_slices(np.ones((2, 2, 2)), clim=(3, 3)), ValueError, "min < max"),
]


def test_bad_input_raises_naming_the_problem_and_sends_nothing(viewer):
    for call, error, message in BAD_ADDS:
        before = len(requests(viewer))
        with pytest.raises(error, match=message):
            call(viewer)
        assert len(requests(viewer)) == before, f"a request was sent for the input that raised {message!r}"
        assert viewer.add_mesh(TRIANGLE, FACE, name="after").triangles == 1
        viewer.remove("after")


def test_bad_updates_raise_and_send_nothing(viewer):
    mesh = viewer.add_mesh(TRIANGLE, FACE, scalars=[0, 1, 2])
    plain = viewer.add_mesh(TRIANGLE, FACE)
    points = viewer.add_points(CLOUD)
    lines = viewer.add_lines(POLYLINES)
    slices = viewer.add_slices(VOLUME, index=(1, 2, 3))
    bad = [
        (lambda: mesh.update(bogus=1), TypeError, "Mesh.update\\(\\) takes vertices, faces, .*; got bogus"),
        (lambda: mesh.update(size=3), TypeError, "got size"),
        (lambda: mesh.update(vertices=TRIANGLE[:2]), ValueError, "has 3 vertices .*2 new vertices need new faces"),
        (lambda: mesh.update(faces=[[0, 1, 3]]), IndexError, r"faces\[0, 2\] is 3"),
        (lambda: mesh.update(scalars=[0, 1]), ValueError, "scalars has 2 values"),
        (lambda: mesh.update(scalars=None), ValueError, "can be replaced but not taken away"),
        (
            lambda: mesh.update(vertices=np.zeros((4, 3)), faces=[[0, 1, 2], [1, 2, 3]]),
            ValueError,
            "has 3 scalars, one per vertex, but would have 4 vertices; pass new scalars",
        ),
        (lambda: mesh.update(clim=(5, 1)), ValueError, "min < max"),
        (lambda: mesh.update(cmap="nope"), ValueError, "unknown colormap"),
        (lambda: mesh.update(opacity=-0.1), ValueError, "opacity"),
        (lambda: plain.update(scalars=[np.nan, 0, 0]), ValueError, r"scalars\[0\] = nan"),
        (lambda: points.update(points=CLOUD[:, :2]), ValueError, r"shape \(N, 3\)"),
        (lambda: points.update(size=0), ValueError, "size"),
        (lambda: points.update(width=2), TypeError, "Points.update\\(\\) takes"),
        (lambda: lines.update(lines=[np.zeros((1, 3))]), ValueError, "has 1 point"),
        (lambda: lines.update(scalars=np.zeros(4)), ValueError, "scalars has 4 values"),
        (lambda: slices.update(volume=np.zeros((2, 2))), ValueError, "volume must be 3-D"),
        (
            lambda: slices.update(volume=np.zeros((2, 2, 2))),
            ValueError,
            r"shape \(2, 2, 2\), but slices 'slices1' show",
        ),
        (lambda: slices.update(index=(2, 0, 0)), IndexError, "axis 0 must be in 0..1"),
        (lambda: slices.update(spacing=(1, 1, -1)), ValueError, "spacing must be three positive numbers"),
        (lambda: slices.update(origin=None), ValueError, "origin must be three finite numbers"),
        (lambda: mesh.update(shading="gouraud"), ValueError, "shading must be 'smooth' or 'flat'"),
        (
            lambda: slices.update(color="#ffffff"),
            TypeError,
            "Slices.update\\(\\) takes volume, index, spacing, origin, clim, cmap",
        ),
    ]
    before = len(requests(viewer))
    for call, error, message in bad:
        with pytest.raises(error, match=message):
            call()
    assert len(requests(viewer)) == before
    assert (mesh.triangles, slices.index) == (1, (1, 2, 3)), "nothing changed"


def test_camera_pick_and_scalar_bar_input_is_checked(viewer):
    plain = viewer.add_mesh(TRIANGLE, FACE, name="plain")
    bad = [
        (lambda: setattr(viewer, "camera", [0, 0, 4]), TypeError, "camera must be set to a dict"),
        (lambda: setattr(viewer, "camera", {"pos": (0, 0, 4)}), ValueError, r"unknown key\(s\) pos"),
        (lambda: setattr(viewer, "camera", {}), ValueError, "got an empty dict"),
        (lambda: setattr(viewer, "camera", {"position": (0, 0)}), ValueError, "camera 'position' must be three"),
        (lambda: setattr(viewer, "camera", {"target": (0, np.nan, 0)}), ValueError, "camera 'target' must be three"),
        (lambda: setattr(viewer, "camera", {"up": (0, 0, 0)}), ValueError, r"'up' must not be \(0, 0, 0\)"),
        (lambda: setattr(viewer, "camera", {"fov": 0}), ValueError, "between 0 and 180"),
        (lambda: setattr(viewer, "camera", {"fov": 180}), ValueError, "between 0 and 180"),
        (lambda: setattr(viewer, "camera", {"fov": "wide"}), ValueError, "between 0 and 180"),
        (lambda: viewer.pick(-1, 0), ValueError, r"x \(CSS pixels from the left\) must be a number from 0 to 64"),
        (lambda: viewer.pick(0, 49), ValueError, r"y \(CSS pixels from the top\) must be a number from 0 to 48"),
        (lambda: viewer.pick(np.nan, 0), ValueError, "x .* must be a number"),
        (lambda: viewer.pick("1", 0), ValueError, "x .* must be a number"),
        (lambda: viewer.on_pick(3), TypeError, "on_pick takes a function"),
        (lambda: viewer.add_scalar_bar(plain), ValueError, "mesh 'plain' is drawn in one colour"),
        (lambda: viewer.add_scalar_bar("nope"), ValueError, r"has no object named 'nope'; its objects are \['plain'\]"),
        (lambda: viewer.add_scalar_bar(plain, title=3), TypeError, "title must be a string"),
        (lambda: viewer.remove("nope"), ValueError, "has no object named 'nope'"),
        (lambda: viewer.remove(3), TypeError, "expected a Mesh, Points, Lines or Slices"),
        (lambda: viewer.remove_mesh("nope"), ValueError, "has no mesh 'nope'"),
        (lambda: viewer.add_points(CLOUD, name="plain"), ValueError, "already has a mesh named 'plain'"),
        (lambda: viewer.add(plain), ValueError, "this Viewer already shows mesh 'plain'"),
        (lambda: viewer.add("plain"), TypeError, "add\\(\\) takes a Mesh, Points, Lines or Slices"),
    ]
    before = len(requests(viewer))
    for call, error, message in bad:
        with pytest.raises(error, match=message):
            call()
    assert len(requests(viewer)) == before


def test_objects_of_closed_viewers_and_closed_viewers_are_refused(viewer):
    other = Viewer(width=32, height=32)
    mesh = other.add_mesh(TRIANGLE, FACE, name="gone")
    link_cameras(viewer, other)
    other.close()
    before = len(requests(viewer))
    gone = "mesh 'gone' is in no open Viewer .* add it again with add_mesh"
    for call, error, message in [
        (lambda: viewer.add(mesh), ValueError, gone),
        (lambda: mesh.update(color="#ffffff"), ValueError, gone),
        (mesh.remove, ValueError, gone),
        (lambda: viewer.remove(mesh), ValueError, "this Viewer does not show mesh 'gone'"),
        (lambda: other.add_mesh(TRIANGLE, FACE), GlstreamError, "this Viewer is closed"),
        (lambda: link_cameras(viewer, other), ValueError, "link_cameras: Viewer 1 is closed"),
        (lambda: link_cameras(viewer), ValueError, "link_cameras takes at least 2 Viewers; got 1"),
        (lambda: link_cameras(viewer, viewer), ValueError, "each Viewer may be passed once"),
        (lambda: link_cameras(viewer, "v2"), TypeError, "argument 1 is a str"),
        (lambda: unlink_cameras(), ValueError, "takes at least 1 Viewer; got 0"),
    ]:
        with pytest.raises(error, match=message):
            call()
    assert len(requests(viewer)) == before
    assert mesh.viewers == ()


def test_add_object_carries_the_arrays_in_buffer_order_with_the_style(viewer):
    mesh = viewer.add_mesh(TRIANGLE.astype(np.float64), FACE, scalars=[0, 1, 2])
    request = last(viewer)
    params = request["params"]
    assert request["method"] == "add_object"
    assert (params["view"], params["name"], params["kind"]) == (viewer._view_id, "mesh1", "mesh")
    assert re.fullmatch(r"o\d+", params["object"]) and params["object"] == mesh._id
    assert arrays(request) == [
        ("vertices", "float32", (3, 3)),
        ("faces", "uint32", (1, 3)),
        ("scalars", "float32", (3,)),
        ("lut", "uint8", (256, 3)),
    ]
    assert request["buffers"] == [36, 12, 12, 768]
    assert params["style"] == {"color": "#44aa88", "opacity": 1.0, "shading": "smooth", "clim": [0.0, 2.0]}
    plain = viewer.add_mesh(TRIANGLE, FACE, color=(1, 0, 0), opacity=0.5, shading="flat")
    assert int(plain._id[1:]) > int(mesh._id[1:]), "ids come from one counter"
    assert arrays(last(viewer)) == [("vertices", "float32", (3, 3)), ("faces", "uint32", (1, 3))]
    assert last(viewer)["params"]["style"] == {"color": "#ff0000", "opacity": 0.5, "shading": "flat"}
    viewer.add_mesh(TRIANGLE, FACE, scalars=[7.0], clim=(0, 10))
    assert arrays(last(viewer))[2] == ("scalars", "float32", (1,)), "one scalar per face"
    assert last(viewer)["params"]["style"]["clim"] == [0.0, 10.0]


def test_every_kind_has_its_default_colour_name_and_range(viewer):
    points = viewer.add_points(CLOUD, scalars=np.full(4, 5.0))
    assert (points.name, points.kind, points.viewers) == ("points1", "points", (viewer,))
    style = last(viewer)["params"]["style"]
    assert style == {"size": 4.0, "color": "#ffcc33", "clim": [4.5, 5.5]}, "a constant is widened by 0.5"
    lines = viewer.add_lines(POLYLINES, width=3, scalars=[np.arange(3), np.arange(2)])
    assert (lines.name, lines.kind) == ("lines1", "lines")
    assert last(viewer)["params"]["style"] == {"width": 3.0, "color": "#66ccff", "clim": [0.0, 2.0]}
    assert arrays(last(viewer)) == [
        ("vertices", "float32", (5, 3)),
        ("segments", "uint32", (3, 2)),
        ("scalars", "float32", (5,)),
        ("lut", "uint8", (256, 3)),
    ]
    viewer.add_lines((CLOUD, [[0, 1], [2, 3]]), scalars=[1, 2])
    assert arrays(last(viewer))[:3] == [
        ("vertices", "float32", (4, 3)),
        ("segments", "uint32", (2, 2)),
        ("scalars", "float32", (2,)),
    ]
    slices = viewer.add_slices(VOLUME.astype(np.int16), spacing=(2, 1, 0.5), origin=(0, -1, 1))
    assert (slices.name, slices.kind, slices.index) == ("slices1", "slices", (1, 1, 2))
    params = last(viewer)["params"]
    assert params["style"] == {
        "spacing": [2.0, 1.0, 0.5],
        "origin": [0.0, -1.0, 1.0],
        "index": [1, 1, 2],
        "clim": [0.0, 23.0],
    }
    assert arrays(last(viewer)) == [("volume", "float32", (2, 3, 4)), ("lut", "uint8", (256, 3))]


def test_polylines_become_vertices_and_consecutive_segments():
    vertices, segments = check.lines([np.zeros((3, 3)), np.ones((2, 3)), np.full((4, 3), 2)])
    assert vertices.dtype == np.float32 and vertices.shape == (9, 3) and vertices.flags.c_contiguous
    assert segments.dtype == np.uint32 and segments.flags.c_contiguous
    assert segments.tolist() == [[0, 1], [1, 2], [3, 4], [5, 6], [6, 7], [7, 8]]
    vertices, segments = check.lines(np.zeros((2, 3, 3)))
    assert segments.tolist() == [[0, 1], [1, 2], [3, 4], [4, 5]], "a (P, K, 3) array is P polylines"


def test_updates_send_only_what_changes(viewer):
    mesh = viewer.add_mesh(TRIANGLE, FACE, scalars=[0, 1, 2])
    mesh.update(scalars=[0, 4, 8])
    request = last(viewer)
    assert request["method"] == "update_object" and request["params"]["object"] == mesh._id
    assert arrays(request) == [("scalars", "float32", (3,))]
    assert request["params"]["style"] == {"clim": [0.0, 8.0]}, "the data's range follows new scalars"
    mesh.update(cmap="plasma")
    assert arrays(last(viewer)) == [("lut", "uint8", (256, 3))] and last(viewer)["params"]["style"] == {}
    mesh.update(clim=(1, 2))
    mesh.update(scalars=[0, 1, 100])
    assert last(viewer)["params"]["style"] == {}, "a given clim stays"
    mesh.update(clim=None)
    assert last(viewer)["params"]["style"] == {"clim": [0.0, 100.0]}
    mesh.update(vertices=TRIANGLE * 2)
    assert arrays(last(viewer)) == [("vertices", "float32", (3, 3))] and last(viewer)["params"]["style"] == {}
    mesh.update(vertices=np.zeros((4, 3)), faces=[[0, 1, 2], [1, 2, 3]], scalars=[1, 2])
    assert [name for name, *_ in arrays(last(viewer))] == ["vertices", "faces", "scalars"]
    assert mesh.triangles == 2
    plain = viewer.add_points(CLOUD)
    plain.update(color="#abc", size=2)
    assert last(viewer)["params"] == {"object": plain._id, "style": {"color": "#aabbcc", "size": 2.0}, "arrays": []}
    plain.update(scalars=np.arange(4))
    assert arrays(last(viewer)) == [("scalars", "float32", (4,)), ("lut", "uint8", (256, 3))]
    assert last(viewer)["params"]["style"] == {"clim": [0.0, 3.0]}, "new scalars bring their table and range"
    count = len(requests(viewer))
    plain.update()
    assert len(requests(viewer)) == count, "an empty update sends nothing"


def test_slices_updates_keep_the_index_and_follow_the_range(viewer):
    slices = viewer.add_slices(VOLUME)
    slices.update(volume=-VOLUME)
    assert slices.index == (1, 1, 2) and last(viewer)["params"]["style"] == {"clim": [-23.0, 0.0]}
    slices.update(index=(0, 1, 2))
    assert last(viewer)["params"]["style"] == {"index": [0, 1, 2]} and arrays(last(viewer)) == []
    slices.update(clim=(0, 1))
    slices.update(volume=VOLUME)
    assert slices.index == (0, 1, 2) and last(viewer)["params"]["style"] == {}
    slices.update(index=None)
    assert slices.index == (1, 1, 2) and last(viewer)["params"]["style"] == {"index": [1, 1, 2]}
    slices.update(spacing=(2, 2, 1), origin=np.array([1, 2, 3]))
    assert last(viewer)["params"]["style"] == {"spacing": [2.0, 2.0, 1.0], "origin": [1.0, 2.0, 3.0]}


def test_sharing_removing_and_the_scalar_bar(viewer):
    other = Viewer(width=32, height=32)
    try:
        mesh = viewer.add_mesh(TRIANGLE, FACE, scalars=[0, 1, 2], name="shared")
        other.add_mesh(TRIANGLE, FACE, name="shared")
        assert other.add(mesh) is mesh
        assert last(viewer)["params"] == {"view": other._view_id, "object": mesh._id, "name": "mesh1"}
        assert set(mesh.viewers) == {viewer, other} and mesh.name == "shared"
        bar = viewer.add_scalar_bar("shared", title="T")
        assert last(viewer)["params"] == {"view": viewer._view_id, "object": mesh._id, "title": "T"}
        assert bar.object is mesh
        link_cameras(viewer, other)
        assert last(viewer)["params"] == {"views": [viewer._view_id, other._view_id]}
        unlink_cameras(viewer, other)
        mesh.remove()
        methods = [(r["method"], r["params"].get("view")) for r in requests(viewer)[-5:]]
        assert methods == [
            ("unlink_camera", viewer._view_id),
            ("unlink_camera", other._view_id),
            ("remove_scalar_bar", viewer._view_id),
            ("remove_object", viewer._view_id),
            ("remove_object", other._view_id),
        ]
        assert mesh.viewers == ()
        with pytest.raises(ValueError, match="scalar bar is gone already"):
            bar.remove()
        assert viewer.add_mesh(TRIANGLE, FACE, name="shared").name == "shared", "the name is free again"
    finally:
        other.close()


def test_camera_reads_as_tuples_and_sets_only_the_keys_given(viewer):
    assert viewer.camera == {"position": (0.0, 0.0, 5.0), "target": (0.0, 0.0, 0.0), "up": (0.0, 1.0, 0.0), "fov": 30.0}
    viewer.camera = {"position": np.array([0, 0, 4]), "fov": 45}
    assert last(viewer)["params"] == {"view": viewer._view_id, "position": [0.0, 0.0, 4.0], "fov": 45.0}


def test_clicks_call_the_pick_callbacks_and_a_failing_one_is_logged(viewer, caplog):
    assert viewer.pick(3, 4) == Pick("hit", "mesh", 0, (1.0, 2.0, 3.0), 2, None)
    assert viewer.pick(30, 4) is None
    count = len(requests(viewer))
    viewer._handle_custom_msg({"type": "click", "x": 3, "y": 4}, [])
    assert len(requests(viewer)) == count, "no callbacks: no pick"
    picks = []

    @viewer.on_pick
    def failing(pick):
        raise RuntimeError("user bug")

    assert callable(failing)
    viewer.on_pick(picks.append)
    with caplog.at_level(logging.ERROR, logger="glstream"):
        viewer._handle_custom_msg({"type": "click", "x": 3, "y": 4}, [])
        viewer._handle_custom_msg({"type": "click", "x": 30, "y": 4}, [])
        viewer._handle_custom_msg({"type": "click", "x": "left", "y": 4}, [])
    assert picks == [Pick("hit", "mesh", 0, (1.0, 2.0, 3.0), 2, None)]
    assert "user bug" in caplog.text and "Traceback" in caplog.text
    assert "handling a click at ('left', 4) failed" in caplog.text
    history = viewer.sidecar.request("history", {})[0]["history"]
    assert not [entry for entry in history if isinstance(entry, dict)], "clicks are not input for the renderer"
    assert viewer.add_mesh(TRIANGLE, FACE).triangles == 1


@pytest.mark.parametrize("name", ["viridis", "plasma", "inferno", "magma", "cividis", "gray", "coolwarm", "turbo"])
def test_named_colormaps_come_from_matplotlib(name):
    table = _colormaps.lut(name)
    assert table.shape == (256, 3) and table.dtype == np.uint8 and table.flags.c_contiguous
    expected = np.round(matplotlib.colormaps[name](np.linspace(0, 1, 256))[:, :3] * 255)
    np.testing.assert_array_equal(table, expected)


def test_colormap_objects_and_arrays_are_accepted():
    viridis = _colormaps.lut("viridis")
    assert viridis[0].tolist() == [68, 1, 84] and viridis[-1].tolist() == [253, 231, 37]
    np.testing.assert_array_equal(_colormaps.lut(matplotlib.colormaps["viridis"]), viridis)
    ramp = np.linspace(0, 1, 256)[:, None].repeat(3, axis=1)
    assert _colormaps.lut(ramp)[[0, 255], 0].tolist() == [0, 255]
    table = np.zeros((256, 3), np.uint8)
    table[:, 1] = 200
    np.testing.assert_array_equal(_colormaps.lut(table), table)
