"""Fuzzing the Python API with hypothesis (derandomized, a bounded number of examples): arguments of every kind a
user can get wrong (dtypes, shapes, NaN and infinity, indices out of range, sizes of 0 and 8193 pixels, 2 GB arrays)
get a TypeError, ValueError or IndexError naming the argument; good data in any byte order or memory layout is
converted; a 2 GB array is refused before it is copied; afterwards the renderer is alive and draws."""

import datetime

import numpy as np
import pytest
from _helpers import rss_bytes
from _png import decode_png
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from glstream import Viewer
from glstream._errors import GlstreamError

EXAMPLES = 300
FUZZ = settings(
    max_examples=EXAMPLES,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
REFUSED = (TypeError, ValueError, IndexError, GlstreamError)
BACKGROUND = np.array([0x1E, 0x1E, 0x1E])
TRIANGLE = np.array([[-1, -1, 0], [1, -1, 0], [0, 1, 0]], dtype=np.float64)
FACE = np.array([[0, 1, 2]])
# What an error must say to be fixable: how to convert, reshape, drop, replace or shrink, or what is allowed.
FIX = r"astype|reshape|[Dd]rop|[Rr]eplace|[Dd]ownsample|[Dd]ecimate|split|rescale|must|remove|pass"
# Bytes a refused 2 GB argument may add to the peak RSS: the checks' own small arrays, never the data.
COPY_BOUND = 64 << 20

BAD_DTYPES = [object, np.complex128, np.bool_, "<U3", "datetime64[s]", "timedelta64[s]", "S2", "V8"]


@pytest.fixture
def viewer(real_sidecar):
    view = Viewer(width=64, height=48, background="#1e1e1e")
    yield view
    view.close()


def drawn(view):
    """The share of the view's pixels that are not the background."""
    image = decode_png(view.snapshot())[..., :3].astype(int)
    return (np.abs(image - BACKGROUND).sum(axis=2) > 30).mean()


def assert_renderer_draws(view):
    """The sidecar answers and another Viewer draws a triangle."""
    assert view.sidecar.alive
    other = Viewer(width=64, height=48, background="#1e1e1e")
    try:
        other.add_mesh(TRIANGLE, FACE, color="#ff0000")
        other.camera = {"position": (0, 0, 4), "target": (0, 0, 0), "up": (0, 1, 0), "fov": 40}
        assert drawn(other) > 0.05
    finally:
        other.close()


def refuse(call, *names):
    """Call `call`; it must raise a refusal whose message names one of `names` and says what to do."""
    with pytest.raises(REFUSED) as caught:
        call()
    message = str(caught.value)
    assert any(name in message for name in names), f"{message!r} names none of {names}"
    assert caught.match(FIX), f"{message!r} says no fix"


def wrong_dtype(shape, dtype):
    if np.dtype(dtype).kind == "M":
        return np.full(shape, np.datetime64(datetime.date(2024, 1, 1)), dtype=dtype)
    return np.zeros(shape, dtype=dtype)


# Good numbers in layouts and byte orders NumPy users meet: they must be taken as they are (converted, not refused).
LAYOUTS = st.sampled_from(["<f4", ">f4", ">f8", "<f8", "<f2", ">i4", "<i8", ">u2", "u1"]).flatmap(
    lambda dtype: st.sampled_from(["contiguous", "fortran", "strided", "reversed"]).map(lambda layout: (dtype, layout))
)


def laid_out(values, dtype, layout):
    array = np.asarray(values).astype(dtype)
    if layout == "fortran":
        return np.asfortranarray(array)
    if layout == "strided":
        spread = np.zeros((array.shape[0] * 2, *array.shape[1:]), dtype=dtype)
        spread[::2] = array
        return spread[::2]
    if layout == "reversed":
        return array[::-1][::-1] if array.ndim == 1 else array[:, ::-1][:, ::-1]
    return array


@FUZZ
@given(
    target=st.sampled_from(["vertices", "faces", "points", "lines", "volume", "scalars"]),
    dtype=st.sampled_from(BAD_DTYPES),
)
def _wrong_dtypes(view, target, dtype):
    if target in ("vertices", "faces"):
        args = {
            "vertices": TRIANGLE,
            "faces": FACE,
            target: wrong_dtype((3, 3) if target == "vertices" else (1, 3), dtype),
        }
        refuse(lambda: view.add_mesh(args["vertices"], args["faces"]), target)
    elif target == "points":
        refuse(lambda: view.add_points(wrong_dtype((5, 3), dtype)), "points")
    elif target == "lines":
        refuse(lambda: view.add_lines([wrong_dtype((4, 3), dtype)]), "lines[0]")
    elif target == "volume":
        refuse(lambda: view.add_slices(wrong_dtype((3, 4, 5), dtype)), "volume")
    else:
        refuse(lambda: view.add_mesh(TRIANGLE, FACE, scalars=wrong_dtype(3, dtype)), "scalars")


def test_wrong_dtypes_are_refused_naming_the_argument_and_the_conversion(viewer):
    _wrong_dtypes(viewer)
    assert viewer._objects == {}


@FUZZ
@given(
    target=st.sampled_from(["vertices", "points", "lines", "volume", "scalars", "update"]),
    value=st.sampled_from([np.nan, np.inf, -np.inf, 1e300, -1e300]),
    where=st.integers(min_value=0, max_value=2),
)
def _non_finite(view, mesh, target, value, where):
    if target == "vertices":
        bad = TRIANGLE.copy()
        bad[where, where] = value
        refuse(lambda: view.add_mesh(bad, FACE), "vertices")
    elif target == "points":
        bad = np.zeros((3, 3))
        bad[where, 1] = value
        refuse(lambda: view.add_points(bad), "points")
    elif target == "lines":
        bad = np.zeros((3, 3))
        bad[where, 2] = value
        refuse(lambda: view.add_lines([bad]), "lines")
    elif target == "volume":
        bad = np.zeros((3, 3, 3))
        bad[where, 0, where] = value
        refuse(lambda: view.add_slices(bad), "volume")
    elif target == "scalars":
        bad = np.zeros(3)
        bad[where] = value
        refuse(lambda: view.add_mesh(TRIANGLE, FACE, scalars=bad), "scalars")
    else:
        bad = TRIANGLE.copy()
        bad[where, 0] = value
        refuse(lambda: mesh.update(vertices=bad), "vertices")


def test_nan_infinity_and_values_beyond_float32_are_refused_naming_where(viewer):
    mesh = viewer.add_mesh(TRIANGLE, FACE)
    _non_finite(viewer, mesh)
    assert list(viewer._objects) == ["mesh1"]


@FUZZ
@given(
    index=st.one_of(st.integers(min_value=3, max_value=2**63 - 1), st.integers(min_value=-(2**63), max_value=-1)),
    dtype=st.sampled_from([np.int64, np.int32, np.uint64, ">i8"]),
    target=st.sampled_from(["faces", "segments", "update", "voxel"]),
)
def _out_of_range(view, mesh, slices, index, dtype, target):
    limits = np.iinfo(np.dtype(dtype))
    index = min(max(index, int(limits.min)), int(limits.max))
    if 0 <= index <= 2:
        index = 3
    bad = np.array([[0, 1, index]], dtype=dtype)
    if target == "faces":
        refuse(lambda: view.add_mesh(TRIANGLE, bad), "faces")
    elif target == "segments":
        refuse(lambda: view.add_lines((TRIANGLE, bad[:, 1:])), "segments")
    elif target == "update":
        refuse(lambda: mesh.update(faces=bad), "faces")
    else:
        refuse(lambda: slices.update(index=(0, 1, int(index))), "index")


def test_indices_out_of_range_are_refused_with_the_valid_range(viewer):
    mesh = viewer.add_mesh(TRIANGLE, FACE)
    slices = viewer.add_slices(np.zeros((3, 3, 3)))
    _out_of_range(viewer, mesh, slices)
    assert mesh.triangles == 1 and slices.index == (1, 1, 1)


@FUZZ
@given(
    target=st.sampled_from(["vertices", "faces", "points", "lines", "volume", "scalars"]),
    shape=st.lists(st.integers(min_value=0, max_value=4), min_size=0, max_size=4).map(tuple),
)
def _wrong_shapes(view, target, shape):
    array = np.zeros(shape, dtype=np.int32 if target == "faces" else np.float64)
    if target == "vertices" and not (len(shape) == 2 and shape[1] == 3 and shape[0] >= 1):
        refuse(lambda: view.add_mesh(array, np.zeros((0, 3), int)), "vertices", "faces")
    elif target == "faces" and not (len(shape) == 2 and shape[1] == 3 and shape[0] >= 1):
        refuse(lambda: view.add_mesh(TRIANGLE, array), "faces")
    elif target == "points" and not (len(shape) == 2 and shape[1] == 3 and shape[0] >= 1):
        refuse(lambda: view.add_points(array), "points")
    elif target == "lines" and not (len(shape) == 2 and shape[1] == 3 and shape[0] >= 2):
        refuse(lambda: view.add_lines([array]), "lines")
    elif target == "volume" and not (len(shape) == 3 and 0 not in shape):
        refuse(lambda: view.add_slices(array), "volume")
    elif target == "scalars" and shape not in ((3,), (1,)):
        refuse(lambda: view.add_mesh(TRIANGLE, FACE, scalars=array), "scalars")


def test_wrong_shapes_and_empty_arrays_are_refused_naming_the_shape(viewer):
    _wrong_shapes(viewer)
    assert viewer._objects == {}


@settings(FUZZ, max_examples=80)
@given(layout=LAYOUTS, kind=st.sampled_from(["mesh", "points", "lines", "slices"]))
def _layouts(view, layout, kind):
    dtype, order = layout
    if kind == "mesh":
        obj = view.add_mesh(laid_out(TRIANGLE, dtype, order), laid_out(FACE, ">i4" if ">" in dtype else "<i8", order))
    elif kind == "points":
        obj = view.add_points(laid_out(TRIANGLE, dtype, order), scalars=laid_out([0, 1, 2], dtype, order))
    elif kind == "lines":
        obj = view.add_lines([laid_out(TRIANGLE, dtype, order)])
    else:
        obj = view.add_slices(laid_out(np.arange(24).reshape(2, 3, 4), dtype, order))
    view.remove(obj)


def test_good_data_in_any_byte_order_and_memory_layout_is_converted(viewer):
    _layouts(viewer)
    assert viewer._objects == {}


SIDES = st.one_of(
    st.sampled_from([0, -1, 8193, 10**6, 2**31, 2**63, 1.5, 64.0, True, False, "64", b"64", np.nan, np.inf]),
    st.integers().filter(lambda side: not 1 <= side <= 8192),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=4),
    st.lists(st.integers(), max_size=3),
)


@FUZZ
@given(width=SIDES, height=st.one_of(st.just(48), SIDES), call=st.sampled_from(["viewer", "snapshot", "assign"]))
def _sizes(view, width, height, call):
    if call == "viewer":
        if width is None and height is None:
            return
        refuse(lambda: Viewer(width=width, height=height), "width", "height")
    elif call == "snapshot":
        refuse(lambda: view.snapshot(size=(width, height)), "size")
    else:
        refuse(lambda: setattr(view, "width", width), "width")


def test_zero_8193_and_non_integer_sizes_are_refused_before_any_view_is_made(viewer):
    _sizes(viewer)
    assert (viewer.width, viewer.height) == (64, 48)


NUMBERS = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True).filter(lambda x: not 0 <= x <= 64),
    st.sampled_from([None, "1", [1], True, 10**40, -1, 8193, complex(1, 1)]),
)
CAMERAS = st.one_of(
    st.dictionaries(
        st.sampled_from(["position", "target", "up", "fov", "zoom", ""]),
        st.one_of(NUMBERS, st.lists(NUMBERS, min_size=3, max_size=3), st.just((0, 0, 0))),
        max_size=4,
    ),
    st.sampled_from([None, 3, "front", [(0, 0, 4)], ((0, 0, 4),)]),
)


@FUZZ
@given(x=NUMBERS, y=st.one_of(st.just(10.0), NUMBERS), camera=CAMERAS)
def _camera_and_pick(view, x, y, camera):
    refuse(lambda: view.pick(x, y), "x", "y")
    before = view.camera
    try:
        view.camera = camera
    except REFUSED as error:
        assert "camera" in str(error), str(error)
    else:
        # a camera that passed the check is a good one: the renderer took it
        assert all(np.isfinite(view.camera[key]).all() for key in ("position", "target", "up"))
        view.camera = {key: before[key] for key in ("position", "target", "up", "fov")}


def test_pick_and_camera_with_garbage_are_refused(viewer):
    viewer.add_mesh(TRIANGLE, FACE)
    _camera_and_pick(viewer)
    assert_renderer_draws(viewer)


def _peak_rss_reset():
    # writing 5 to clear_refs resets the peak (VmHWM) to the current RSS (Linux 4.0+)
    with open("/proc/self/clear_refs", "w") as refs:
        refs.write("5")


def _peak_rss():
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) * 1024 for line in status if line.startswith("VmHWM:"))


ROWS_2GB = (2 << 30) // 12 + 1


def two_gigabytes(how, shape, dtype=np.float32):
    """A 2 GB array that costs no memory: a view of one element broadcast, strided over a small buffer, or zeros
    (mapped lazily: pages cost memory only once touched)."""
    if how == "broadcast":
        return np.broadcast_to(np.ones(1, dtype=dtype), shape)
    if how == "strided":
        return np.lib.stride_tricks.as_strided(np.ones(16, dtype=dtype), shape=shape, strides=(0,) * len(shape))
    return np.zeros(shape, dtype=dtype)


@settings(FUZZ, max_examples=24)
@given(
    how=st.sampled_from(["broadcast", "strided", "zeros"]),
    target=st.sampled_from(["vertices", "faces", "points", "lines", "segments", "volume", "update"]),
)
def _two_gigabytes(view, mesh, how, target):
    _peak_rss_reset()
    start = _peak_rss()
    if target == "vertices":
        refuse(lambda: view.add_mesh(two_gigabytes(how, (ROWS_2GB, 3)), FACE), "vertices", "limit")
    elif target == "faces":
        refuse(lambda: view.add_mesh(TRIANGLE, two_gigabytes(how, (ROWS_2GB, 3), np.int32)), "faces", "limit")
    elif target == "points":
        refuse(lambda: view.add_points(two_gigabytes(how, (ROWS_2GB, 3))), "points")
    elif target == "lines":
        refuse(lambda: view.add_lines([two_gigabytes(how, (ROWS_2GB, 3))]), "lines")
    elif target == "segments":
        refuse(lambda: view.add_lines((TRIANGLE, two_gigabytes(how, (ROWS_2GB, 2), np.int32))), "segments")
    elif target == "volume":
        refuse(lambda: view.add_slices(two_gigabytes(how, (1024, 1024, 513))), "volume")
    else:
        refuse(lambda: mesh.update(vertices=two_gigabytes(how, (ROWS_2GB, 3))), "vertices")
    grown = _peak_rss() - start
    assert grown < COPY_BOUND, f"refusing a 2 GB {target} ({how}) raised the peak RSS by {grown >> 20} MB"


def test_two_gigabyte_arrays_are_refused_before_anything_is_copied(viewer):
    mesh = viewer.add_mesh(TRIANGLE, FACE)
    sidecar_rss = rss_bytes(viewer.sidecar.pid)
    _two_gigabytes(viewer, mesh)
    assert rss_bytes(viewer.sidecar.pid) - sidecar_rss < COPY_BOUND, "nothing big reached the renderer"
    assert list(viewer._objects) == ["mesh1"]
    assert_renderer_draws(viewer)


GARBAGE = st.one_of(
    st.sampled_from([None, np.nan, np.inf, -1, 0, 256, 10**40, True, "", "red", "#12345", (1, 2), (0.5, 0.5, 2.0)]),
    st.sampled_from([[np.nan] * 3, (0, 0, 0), np.zeros((255, 3)), np.full((256, 3), 2.0), {"r": 1}, b"#fff", 1j]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=6),
)
STYLES = {
    "mesh": ["color", "opacity", "shading", "clim", "cmap", "name"],
    "points": ["size", "color", "clim", "cmap", "name"],
    "lines": ["width", "color", "clim", "cmap", "name"],
    "slices": ["spacing", "origin", "index", "clim", "cmap", "name"],
}


def add(view, kind, **style):
    if kind == "mesh":
        return view.add_mesh(TRIANGLE, FACE, scalars=np.arange(3.0), **style)
    if kind == "points":
        return view.add_points(TRIANGLE, scalars=np.arange(3.0), **style)
    if kind == "lines":
        return view.add_lines([TRIANGLE], scalars=np.arange(3.0), **style)
    return view.add_slices(np.arange(27.0).reshape(3, 3, 3), **style)


@FUZZ
@given(data=st.data(), kind=st.sampled_from(sorted(STYLES)), value=GARBAGE, update=st.booleans())
def _styles(view, data, kind, value, update):
    key = data.draw(st.sampled_from(STYLES[kind]))
    if key == "name" and update:
        return
    before = set(view._objects)
    try:
        if update:
            obj = add(view, kind)
            try:
                obj.update(**{key: value})
            finally:
                view.remove(obj)
        else:
            view.remove(add(view, kind, **{key: value}))
    except REFUSED as error:
        name = "index" if key == "index" else key
        assert name in str(error) or (key == "cmap" and "colormap" in str(error)), f"{key}={value!r}: {error}"
    assert set(view._objects) == before


def test_style_arguments_with_garbage_are_refused_naming_them(viewer):
    _styles(viewer)
    assert_renderer_draws(viewer)
