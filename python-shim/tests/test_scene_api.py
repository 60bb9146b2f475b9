"""The scene API against the real Node sidecar: each kind added, updated, shared and removed; the camera; picking
on known geometry; linked cameras."""

import numpy as np
import pytest
from _png import decode_png

from glstream import Lines, Mesh, Pick, Points, Slices, Viewer, link_cameras, unlink_cameras

BACKGROUND = np.array([0x1E, 0x1E, 0x1E])
WIDTH, HEIGHT = 320, 240
# a unit quad in the z = 0 plane, facing +z; the camera below looks at it from +z with y up
QUAD = np.array([[-1, -1, 0], [1, -1, 0], [1, 1, 0], [-1, 1, 0]], dtype=np.float64)
QUAD_FACES = np.array([[0, 1, 2], [0, 2, 3]])
FRONT = {"position": (0.0, 0.0, 4.0), "target": (0.0, 0.0, 0.0), "up": (0.0, 1.0, 0.0), "fov": 40.0}


@pytest.fixture
def viewer(real_sidecar):
    viewer = Viewer(width=WIDTH, height=HEIGHT, background="#1e1e1e")
    yield viewer
    viewer.close()


@pytest.fixture
def second(viewer):
    other = Viewer(width=WIDTH, height=HEIGHT, background="#1e1e1e")
    yield other
    other.close()


def pixels(viewer):
    return decode_png(viewer.snapshot())[..., :3].astype(int)


def drawn(image):
    """The share of pixels that are not the background."""
    return (np.abs(image - BACKGROUND).sum(axis=2) > 30).mean()


def project(point, camera, width=WIDTH, height=HEIGHT):
    """CSS pixel (x right, y down) of a world point seen by a perspective camera {position, target, up, fov}."""
    position, target, up = (np.asarray(camera[key], dtype=float) for key in ("position", "target", "up"))
    forward = (target - position) / np.linalg.norm(target - position)
    right = np.cross(forward, up)
    right /= np.linalg.norm(right)
    true_up = np.cross(right, forward)
    relative = np.asarray(point, dtype=float) - position
    depth = relative @ forward
    half = np.tan(np.radians(camera["fov"]) / 2)
    x = (relative @ right) / depth / (half * width / height)
    y = (relative @ true_up) / depth / half
    return (1 + x) * width / 2, (1 - y) * height / 2


def assert_camera(actual, expected):
    assert set(actual) == {"position", "target", "up", "fov"}
    for key in ("position", "target", "up"):
        assert isinstance(actual[key], tuple) and len(actual[key]) == 3
        np.testing.assert_allclose(actual[key], expected[key], atol=1e-6, err_msg=key)
    assert actual["fov"] == pytest.approx(expected["fov"])


def test_a_mesh_coloured_by_scalars_is_updated_and_removed(viewer):
    mesh = viewer.add_mesh(QUAD, QUAD_FACES, scalars=[0, 1, 1, 0], name="ramp")
    assert isinstance(mesh, Mesh) and (mesh.name, mesh.kind, mesh.triangles, mesh.viewers) == (
        "ramp",
        "mesh",
        2,
        (viewer,),
    )
    viewer.camera = FRONT
    image = pixels(viewer)
    left, right = image[100:140, 80:110].mean(axis=(0, 1)), image[100:140, 210:240].mean(axis=(0, 1))
    assert left[2] > left[1], f"viridis starts purple, got {left}"
    assert min(right[0], right[1]) > right[2] + 40, f"viridis ends yellow, got {right}"
    mesh.update(scalars=[1, 0, 0, 1])
    swapped = pixels(viewer)
    left = swapped[100:140, 80:110].mean(axis=(0, 1))
    assert min(left[0], left[1]) > left[2] + 40, f"the left is yellow now, got {left}"
    mesh.update(vertices=QUAD * 0.5, faces=QUAD_FACES[:1], scalars=[3.0])
    assert mesh.triangles == 1
    smaller = drawn(pixels(viewer))
    assert 0 < smaller < drawn(swapped) / 3, "half the size and one triangle of two"
    mesh.update(color="#ff0000", opacity=0.5, shading="flat")
    mesh.remove()
    assert mesh.viewers == () and drawn(pixels(viewer)) == 0


def test_points_lines_and_slices_are_drawn_updated_and_removed(viewer):
    viewer.camera = FRONT
    points = viewer.add_points(np.array([[-0.5, 0, 0], [0.5, 0, 0]]), size=12, color="#ff0000")
    assert isinstance(points, Points) and points.name == "points1"
    image = pixels(viewer)
    assert 0 < drawn(image) < 0.05
    reds = image[np.abs(image - BACKGROUND).sum(axis=2) > 30]
    assert (reds[:, 0] > reds[:, 1] + 100).mean() > 0.8, "the points are red"
    points.update(size=24, scalars=[0, 1])
    assert drawn(pixels(viewer)) > 2 * drawn(image)
    lines = viewer.add_lines(
        [np.array([[-1, -0.8, 0], [1, -0.8, 0]]), np.array([[-1, 0.8, 0], [0, 0.9, 0], [1, 0.8, 0]])]
    )
    assert isinstance(lines, Lines) and lines.name == "lines1"
    lines.update(width=6, lines=([[-1, 0.5, 0], [1, 0.5, 0]], [[0, 1]]), scalars=[5, 6])
    without_slices = drawn(pixels(viewer))
    slices = viewer.add_slices(
        np.random.default_rng(1).random((8, 9, 10)), spacing=(0.1, 0.1, 0.1), origin=(-1, -1, -1)
    )
    assert isinstance(slices, Slices) and slices.index == (4, 4, 5)
    slices.update(index=(0, 0, 0), cmap="viridis", clim=(0.2, 0.8), spacing=(0.1, 0.05, 0.05), origin=(-1, 0, 0))
    slices.update(volume=np.ones((8, 9, 10)))
    with_all = drawn(pixels(viewer))
    for obj in (points, lines, slices):
        viewer.remove(obj)
    assert with_all > without_slices + 0.01 and drawn(pixels(viewer)) == 0


def test_one_object_shown_in_two_viewers_stays_until_the_last_lets_go(viewer, second):
    mesh = viewer.add_mesh(QUAD, QUAD_FACES, color="#ff0000")
    assert second.add(mesh) is mesh and set(mesh.viewers) == {viewer, second}
    assert drawn(pixels(second)) > 0.05
    mesh.update(color="#0000ff")
    image = pixels(second)
    blue = image[np.abs(image - BACKGROUND).sum(axis=2) > 30]
    assert (blue[:, 2] > blue[:, 0]).mean() > 0.9, "an update reaches every viewer"
    viewer.remove(mesh)
    assert drawn(pixels(viewer)) == 0 and drawn(pixels(second)) > 0.05
    third = Viewer(width=64, height=48)
    try:
        third.add(mesh, name="again")
        second.close()
        assert mesh.viewers == (third,)
        mesh.update(color="#00ff00")
        assert drawn(pixels(third)) > 0.05
    finally:
        third.close()
    with pytest.raises(ValueError, match="is in no open Viewer"):
        viewer.add(mesh)


def test_the_camera_round_trips_and_stays_where_it_was_put(viewer):
    viewer.add_mesh(QUAD, QUAD_FACES)
    far = viewer.add_mesh(QUAD + np.array([30, 0, 0]), QUAD_FACES)
    camera = viewer.camera
    image = pixels(viewer)
    for centre in [(0, 0, 0), (30, 0, 0)]:
        x, y = project(centre, camera)
        assert 0 < x < WIDTH and 0 < y < HEIGHT, f"{centre} is outside the first frame"
        assert np.abs(image[int(y), int(x)] - BACKGROUND).sum() > 30, f"the quad at {centre} is not drawn there"
    viewer.camera = FRONT
    assert_camera(viewer.camera, FRONT)
    viewer.camera = {"position": (0, 0, 6)}
    assert_camera(viewer.camera, {**FRONT, "position": (0, 0, 6)})
    viewer.add_points([[100, 100, 100]])
    far.update(vertices=QUAD * 3)
    assert_camera(viewer.camera, {**FRONT, "position": (0, 0, 6)})
    viewer.reset_camera()
    x, y = project((100, 100, 100), viewer.camera)
    assert 0 < x < WIDTH and 0 < y < HEIGHT, "reset frames everything again"


def test_pick_finds_the_face_point_segment_and_voxel_under_a_pixel(viewer):
    viewer.add_mesh(QUAD, QUAD_FACES, scalars=[0, 1, 2, 3], name="quad")
    viewer.camera = FRONT
    camera = viewer.camera
    hit = viewer.pick(*project((0.5, -0.5, 0), camera))
    assert isinstance(hit, Pick) and (hit.object, hit.kind, hit.index, hit.vertex) == ("quad", "mesh", 0, 1)
    np.testing.assert_allclose(hit.position, (0.5, -0.5, 0), atol=0.02)
    assert hit.value == 1.0
    other_face = viewer.pick(*project((-0.5, 0.5, 0), camera))
    assert (other_face.index, other_face.vertex, other_face.value) == (1, 3, 3.0)
    assert viewer.pick(2, 2) is None
    viewer.remove("quad")

    viewer.add_points(np.array([[0, 0, 0], [0.5, 0.5, 0]]), size=10, scalars=[7, 8], name="dots")
    hit = viewer.pick(*project((0.5, 0.5, 0), camera))
    assert (hit.object, hit.kind, hit.index, hit.vertex, hit.value) == ("dots", "points", 1, 1, 8.0)
    viewer.remove("dots")

    viewer.add_lines([np.array([[-1, 0, 0], [0, 0, 0], [1, 0, 0]])], width=6, name="wire")
    hit = viewer.pick(*project((0.7, 0, 0), camera))
    assert (hit.object, hit.kind, hit.index, hit.vertex, hit.value) == ("wire", "lines", 1, 2, None)
    np.testing.assert_allclose(hit.position, (0.7, 0, 0), atol=0.02)
    viewer.remove("wire")

    z, y, x = np.mgrid[0:4, 0:4, 0:4]
    viewer.add_slices(100 * z + 10 * y + x, index=(2, 2, 2), name="volume")
    viewer.camera = {"position": (1.5, 1.5, 10), "target": (1.5, 1.5, 2)}
    hit = viewer.pick(*project((1.2, 1.2, 2), viewer.camera))
    assert (hit.object, hit.kind, hit.index, hit.vertex, hit.value) == ("volume", "slices", (2, 1, 1), None, 211.0)
    np.testing.assert_allclose(hit.position, (1.2, 1.2, 2), atol=0.02)


def test_a_click_calls_on_pick_with_the_same_answer_as_pick(viewer):
    viewer.add_mesh(QUAD, QUAD_FACES, name="quad")
    viewer.camera = FRONT
    picks = []
    viewer.on_pick(picks.append)
    x, y = project((0.5, -0.5, 0), viewer.camera)
    viewer._handle_custom_msg({"type": "click", "x": x, "y": y}, [])
    viewer._handle_custom_msg({"type": "click", "x": 2, "y": 2}, [])
    assert picks == [viewer.pick(x, y)] and picks[0].object == "quad"


def test_the_scalar_bar_is_drawn_at_the_right_edge_and_removed(viewer):
    mesh = viewer.add_mesh(QUAD, QUAD_FACES, scalars=[0, 1, 2, 3])
    viewer.camera = FRONT
    before = pixels(viewer)
    bar = viewer.add_scalar_bar(mesh, title="temperature")
    with_bar = pixels(viewer)
    edge = slice(WIDTH * 3 // 4, WIDTH)
    assert np.abs(with_bar[:, edge] - before[:, edge]).sum(axis=2).max() > 60, "nothing drawn at the right edge"
    bar.remove()
    np.testing.assert_array_equal(pixels(viewer), before)
    viewer.add_scalar_bar(mesh)
    viewer.remove(mesh)
    assert drawn(pixels(viewer)) == 0, "the bar goes with its object"


def test_linked_cameras_move_together_until_unlinked(viewer, second):
    viewer.add_mesh(QUAD, QUAD_FACES)
    second.add_points(QUAD * 5)
    viewer.camera = FRONT
    link_cameras(viewer, second)
    assert_camera(second.camera, FRONT)
    second.camera = {"position": (0, 3, 4)}
    assert_camera(viewer.camera, {**FRONT, "position": (0, 3, 4)})
    unlink_cameras(second)
    viewer.camera = {"position": (0, 0, 9)}
    assert_camera(second.camera, {**FRONT, "position": (0, 3, 4)})
