"""add_mesh input checks: every branch, no sidecar needed."""

import re

import numpy as np
import pytest

from glstream import _validate
from glstream._validate import MAX_MESH_BYTES

TRIANGLE = [[0, 0, 0], [1, 0, 0], [0, 1, 0]]
FACE = [[0, 1, 2]]


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64, np.int8, np.int64, np.uint16])
def test_numeric_vertices_become_c_contiguous_float32(dtype):
    vertices, faces = _validate.mesh(np.array(TRIANGLE, dtype=dtype), np.array(FACE, dtype=np.int64))
    assert vertices.dtype == np.float32 and vertices.flags.c_contiguous
    assert faces.dtype == np.uint32 and faces.flags.c_contiguous
    np.testing.assert_array_equal(vertices, np.array(TRIANGLE, dtype=np.float32))
    np.testing.assert_array_equal(faces, [[0, 1, 2]])


def test_nested_lists_and_strided_arrays_are_accepted():
    vertices, faces = _validate.mesh(TRIANGLE, FACE)
    assert vertices.shape == (3, 3) and faces.shape == (1, 3)
    fortran = np.asfortranarray(np.arange(18, dtype=np.float64).reshape(6, 3))[::2]
    vertices, _ = _validate.mesh(fortran, FACE)
    assert vertices.flags.c_contiguous
    np.testing.assert_array_equal(vertices, fortran)


@pytest.mark.parametrize(
    "value, dtype_name",
    [
        (np.ones((3, 3), dtype=bool), "bool"),
        (np.ones((3, 3), dtype=complex), "complex128"),
        (np.array([[object()] * 3] * 3), "object"),
        ([["a", "b", "c"]] * 3, "<U1"),
    ],
)
def test_non_real_vertices_are_a_type_error_naming_the_dtype(value, dtype_name):
    with pytest.raises(TypeError, match=f"got dtype {dtype_name}.*astype"):
        _validate.mesh(value, FACE)


def test_ragged_vertices_are_a_type_error():
    with pytest.raises(TypeError, match="could not convert"):
        _validate.mesh([[0, 0, 0], [1, 0]], FACE)


@pytest.mark.parametrize("shape", [(9,), (3, 2), (0, 3), (1, 3, 3), ()])
def test_vertices_of_the_wrong_shape_are_a_value_error_naming_it(shape):
    with pytest.raises(
        ValueError, match=re.escape(f"vertices must have shape (N, 3) with N >= 1; got shape {shape!r}")
    ):
        _validate.mesh(np.zeros(shape), FACE)


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_non_finite_vertices_name_how_many_and_the_first_row(bad):
    vertices = np.zeros((6, 3))
    vertices[2, 1] = bad
    vertices[4, 0] = bad
    vertices[4, 2] = bad
    with pytest.raises(ValueError, match="in 2 row\\(s\\); the first is row 2"):
        _validate.mesh(vertices, FACE)


def test_vertices_beyond_float32_range_are_a_value_error():
    vertices = np.zeros((3, 3))
    vertices[1, 2] = 1e39
    with pytest.raises(ValueError, match=r"row 1 .*beyond float32's range"):
        _validate.mesh(vertices, FACE)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_float_faces_are_a_type_error_suggesting_astype(dtype):
    with pytest.raises(TypeError, match=r"got dtype float\d+\. Convert it with faces\.astype\(np\.int32\)"):
        _validate.mesh(TRIANGLE, np.array(FACE, dtype=dtype))


def test_bool_faces_are_a_type_error():
    with pytest.raises(TypeError, match="got dtype bool"):
        _validate.mesh(TRIANGLE, np.ones((1, 3), dtype=bool))


@pytest.mark.parametrize("shape", [(3,), (1, 4), (0, 3)])
def test_faces_of_the_wrong_shape_are_a_value_error_naming_it(shape):
    with pytest.raises(ValueError, match=re.escape(f"faces must have shape (M, 3) with M >= 1; got shape {shape!r}")):
        _validate.mesh(TRIANGLE, np.zeros(shape, dtype=np.int32))


@pytest.mark.parametrize("value, position", [(3, "faces\\[1, 2\\] is 3"), (-1, "faces\\[1, 2\\] is -1")])
def test_out_of_range_faces_are_an_index_error_naming_value_position_and_n(value, position):
    faces = np.array([[0, 1, 2], [0, 1, value], [0, 1, 7]])
    with pytest.raises(IndexError, match=position + ".*0\\.\\.2 because there are 3 vertices"):
        _validate.mesh(TRIANGLE, faces)


def test_unsigned_faces_beyond_n_are_an_index_error():
    with pytest.raises(IndexError, match="is 4294967295"):
        _validate.mesh(TRIANGLE, np.array([[0, 1, 2**32 - 1]], dtype=np.uint64))


def test_oversized_meshes_are_refused_before_any_copy():
    vertex_count = MAX_MESH_BYTES // 12
    huge = np.broadcast_to(np.zeros(3, dtype=np.float32), (vertex_count, 3))
    with pytest.raises(ValueError, match=f"is {12 * (vertex_count + 1)} bytes .*the limit is {MAX_MESH_BYTES} bytes"):
        _validate.mesh(huge, np.zeros((1, 3), dtype=np.int32))


@pytest.mark.parametrize(
    "value, expected",
    [
        ("#abc", "#aabbcc"),
        ("#44AA88", "#44aa88"),
        ((1, 0.5, 0), "#ff8000"),
        ([0.0, 0.0, 1.0], "#0000ff"),
        ((np.float64(0.2), 0, 1), "#3300ff"),
    ],
)
def test_colors_are_normalised(value, expected):
    assert _validate.color(value) == expected


@pytest.mark.parametrize(
    "value", ["red", "#abcd", "44aa88", "#ggg", (1, 1), (True, 0, 0), (0.5, 0.5, float("nan")), 0x44AA88, None]
)
def test_other_colors_are_a_value_error(value):
    with pytest.raises(ValueError, match="color must be '#rgb', '#rrggbb' or an \\(r, g, b\\) tuple"):
        _validate.color(value)


def test_0_to_255_colors_get_a_hint():
    with pytest.raises(ValueError, match="Divide 0-255 values by 255"):
        _validate.color((255, 128, 0))


@pytest.mark.parametrize("value", ["", 3, None])
def test_mesh_names_must_be_non_empty_strings(value):
    with pytest.raises(TypeError, match="non-empty string"):
        _validate.name(value)


def test_sizes_are_pairs_of_positive_integers():
    assert _validate.size((640, np.int64(480)), "size") == (640, 480)
    for value in [(0, 10), (1.5, 2), "640x480", (True, 3), (1, 2, 3)]:
        with pytest.raises(ValueError, match="size must be a \\(width, height\\) pair"):
            _validate.size(value, "size")
