"""Checks of user input, done before anything is sent to the renderer; errors name the problem and the fix."""

from __future__ import annotations

import re
from numbers import Real
from typing import Any, NamedTuple

import numpy as np

from ._limits import FRAME_RATE_MAX, FRAME_RATE_MIN, SIDE_MAX, SIDE_MIN, STILL_KINDS

MAX_MESH_BYTES = 1 << 28
_HEX_COLOR = re.compile(r"#(?:[0-9a-fA-F]{3}){1,2}")


def as_array(value: Any, what: str, shape: str) -> np.ndarray:
    """Return `value` as a NumPy array, or raise TypeError saying it must be numbers of `shape`."""
    try:
        return np.asarray(value)
    except (TypeError, ValueError) as error:
        raise TypeError(
            f"{what} must be a numeric array of shape {shape}, e.g. a NumPy array or nested lists; "
            f"NumPy could not convert it: {error}"
        ) from error


class Rows(NamedTuple):
    """What a table of rows is called, its count's letter, the dtype kinds it takes and its row width."""

    what: str
    count: str
    dtype_kinds: str
    requirement: str
    cast: str
    columns: int = 3


_REAL = "a real numeric array (float or integer)"
_INDICES = "an integer array of vertex indices"
VERTICES = Rows("vertices", "N", "fiu", _REAL, "float32")
FACES = Rows("faces", "M", "iu", _INDICES, "int32")
POINTS = Rows("points", "N", "fiu", _REAL, "float32")
SEGMENTS = Rows("segments", "S", "iu", _INDICES, "int32", 2)


def rows(value: Any, table: Rows) -> np.ndarray:
    """Return `value` as an array of `table.columns`-wide rows of an accepted dtype (not yet converted)."""
    array = as_array(value, table.what, f"({table.count}, {table.columns})")
    if array.dtype.kind not in table.dtype_kinds:
        raise TypeError(
            f"{table.what} must be {table.requirement}; got dtype {array.dtype}. "
            f"Convert it with {table.what}.astype(np.{table.cast})"
        )
    if array.ndim != 2 or array.shape[1] != table.columns or array.shape[0] < 1:
        raise ValueError(
            f"{table.what} must have shape ({table.count}, {table.columns}) with {table.count} >= 1; got shape "
            f"{array.shape}. A flat array can be reshaped with {table.what}.reshape(-1, {table.columns})"
        )
    # refused before anything is converted or scanned: a 2 GB array must not be copied to learn it is too big
    size = array.shape[0] * table.columns * 4
    if size > MAX_MESH_BYTES:
        raise ValueError(
            f"{table.what} has {array.shape[0]} rows, {size} bytes as {table.cast}; the limit is {MAX_MESH_BYTES} "
            "bytes (256 MiB) per object. Downsample it or split it into several objects"
        )
    return array


def float32_rows(array: np.ndarray, what: str) -> np.ndarray:
    """Return real rows as C-contiguous float32, or raise ValueError naming the first non-finite row."""
    if array.dtype.kind == "f":
        finite = np.isfinite(array).all(axis=1)
        if not finite.all():
            first = int(np.argmin(finite))
            raise ValueError(
                f"{what} contain NaN or infinite values in {finite.size - np.count_nonzero(finite)} "
                f"row(s); the first is row {first}: {array[first].tolist()}. "
                f"Drop those rows or replace the values, e.g. with np.nan_to_num({what})"
            )
    with np.errstate(over="ignore"):
        out = np.ascontiguousarray(array, dtype=np.float32)
    if array.dtype.kind == "f" and not np.isfinite(out).all():
        first = int(np.argmin(np.isfinite(out).all(axis=1)))
        raise ValueError(
            f"{what} row {first} {array[first].tolist()} is beyond float32's range "
            f"(±{np.finfo(np.float32).max:.4g}); rescale the coordinates"
        )
    return out


def uint32_indices(array: np.ndarray, vertex_count: int, what: str) -> np.ndarray:
    """Return integer rows as C-contiguous uint32, or raise IndexError naming the first index past the vertices."""
    bad = (array < 0) | (array >= vertex_count)
    if bad.any():
        row, column = (int(i) for i in np.argwhere(bad)[0])
        raise IndexError(
            f"{what}[{row}, {column}] is {int(array[row, column])}, but vertex indices must be in "
            f"0..{vertex_count - 1} because there are {vertex_count} vertices"
        )
    return np.ascontiguousarray(array, dtype=np.uint32)


def mesh(vertices: Any, faces: Any) -> tuple[np.ndarray, np.ndarray]:
    """Return (C-contiguous float32 (N, 3) vertices, uint32 (M, 3) faces), or raise TypeError/ValueError/IndexError."""
    vertex_array = rows(vertices, VERTICES)
    face_array = rows(faces, FACES)
    size = 12 * (len(vertex_array) + len(face_array))
    if size > MAX_MESH_BYTES:
        raise ValueError(
            f"the mesh is {size} bytes ({len(vertex_array)} vertices and {len(face_array)} faces as "
            f"float32/uint32); the limit is {MAX_MESH_BYTES} bytes (256 MiB). "
            "Decimate it or split it into several meshes"
        )
    return float32_rows(vertex_array, "vertices"), uint32_indices(face_array, len(vertex_array), "faces")


def color(value: Any) -> str:
    """Return `value` ('#rgb', '#rrggbb' or an (r, g, b) tuple of floats in [0, 1]) as '#rrggbb'."""
    if isinstance(value, str) and _HEX_COLOR.fullmatch(value):
        digits = value[1:].lower()
        return "#" + (digits if len(digits) == 6 else "".join(c * 2 for c in digits))
    if isinstance(value, (tuple, list)) and len(value) == 3 and all(_is_unit(c) for c in value):
        return "#" + "".join(f"{round(float(c) * 255):02x}" for c in value)
    raise ValueError(
        f"color must be '#rgb', '#rrggbb' or an (r, g, b) tuple of floats in [0, 1]; got {value!r}"
        + (". Divide 0-255 values by 255" if isinstance(value, (tuple, list)) else "")
    )


def _is_unit(component: Any) -> bool:
    return isinstance(component, Real) and not isinstance(component, bool) and 0.0 <= float(component) <= 1.0


def name(value: Any) -> str:
    """Return `value` if it is a usable name of an object in a view."""
    if not isinstance(value, str) or not value:
        raise TypeError(f"a name must be a non-empty string; got {value!r}")
    return value


def _is_side(value: Any) -> bool:
    return isinstance(value, (int, np.integer)) and not isinstance(value, bool) and SIDE_MIN <= value <= SIDE_MAX


def side(value: Any, what: str) -> int:
    """Return `value` as a width or height in pixels."""
    if not _is_side(value):
        raise ValueError(f"{what} must be a whole number of pixels from {SIDE_MIN} to {SIDE_MAX}; got {value!r}")
    return int(value)


def size(value: Any, what: str) -> tuple[int, int]:
    """Return `value` as (width, height) in pixels."""
    if isinstance(value, (tuple, list)) and len(value) == 2 and all(_is_side(v) for v in value):
        return int(value[0]), int(value[1])
    raise ValueError(
        f"{what} must be a (width, height) pair of whole numbers of pixels from {SIDE_MIN} to {SIDE_MAX}; got {value!r}"
    )


def frame_rate(value: Any) -> float:
    """Return `value` as an interactive frame-rate target, in frames per second."""
    if isinstance(value, bool) or not isinstance(value, Real) or not FRAME_RATE_MIN <= float(value) <= FRAME_RATE_MAX:
        raise ValueError(f"target_fps must be a number from {FRAME_RATE_MIN} to {FRAME_RATE_MAX}, got {value!r}")
    return float(value)


def still_kind(value: Any) -> str:
    """Return `value` if it names how the frame shown once input stops may be encoded."""
    if value not in STILL_KINDS:
        raise ValueError(
            f"still must be {' or '.join(map(repr, STILL_KINDS))} (how the frame shown once input stops is encoded; "
            f"help(glstream.Viewer) compares them), got {value!r}"
        )
    return value
