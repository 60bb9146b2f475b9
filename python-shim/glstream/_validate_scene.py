"""Checks of scene objects' input (scalars, ranges, lines, volumes, camera, pick pixels), before anything is sent;
errors name the problem and the fix."""

from __future__ import annotations

import math
from collections.abc import Mapping
from numbers import Real
from typing import Any

import numpy as np

from . import _validate
from ._limits import MARK_SIZE_MAX
from ._validate import MAX_MESH_BYTES

CAMERA_KEYS = ("position", "target", "up", "fov")
_PLURALS = {"vertex": "vertices"}
_POLYLINE = _validate.Rows("lines[i]", "K", "fiu", "real numbers (float or integer)", "float32")


def _is_number(value: Any) -> bool:
    return isinstance(value, Real) and not isinstance(value, bool) and math.isfinite(value)


def _is_sequence(value: Any, length: int) -> bool:
    flat = isinstance(value, (tuple, list)) or (isinstance(value, np.ndarray) and value.ndim == 1)
    return flat and len(value) == length


def number(value: Any, what: str, low: float, high: float) -> float:
    """Return `value` as a float from `low` to `high`."""
    if not _is_number(value) or not low <= value <= high:
        raise ValueError(f"{what} must be a number from {low:g} to {high:g}; got {value!r}")
    return float(value)


def css_pixels(value: Any, what: str) -> float:
    """Return `value` as a point size or line width in CSS pixels, above 0 and at most MARK_SIZE_MAX."""
    if not _is_number(value) or not 0 < value <= MARK_SIZE_MAX:
        raise ValueError(f"{what} must be a number of CSS pixels above 0 and at most {MARK_SIZE_MAX}; got {value!r}")
    return float(value)


def one_of(value: Any, what: str, choices: tuple[str, ...]) -> str:
    if value not in choices:
        raise ValueError(f"{what} must be {' or '.join(map(repr, choices))}; got {value!r}")
    return value


def triple(value: Any, what: str, positive_only: bool = False) -> tuple[float, float, float]:
    """Return `value` as three finite floats (all above zero when `positive_only`)."""
    if not _is_sequence(value, 3) or not all(_is_number(v) and (v > 0 or not positive_only) for v in value):
        kind = "positive" if positive_only else "finite"
        raise ValueError(f"{what} must be three {kind} numbers, e.g. (1, 1, 1); got {value!r}")
    return float(value[0]), float(value[1]), float(value[2])


def scalars(value: Any, counts: Mapping[str, int], owner: str) -> np.ndarray:
    """Return one scalar per element of one of the kinds in `counts` ({"vertex": N, "face": M}) as float32."""
    array = _validate.as_array(value, "scalars", "(N,)")
    if array.dtype.kind not in "fiu":
        raise TypeError(
            f"scalars must be real numbers (float or integer); got dtype {array.dtype}. "
            "Convert them with scalars.astype(np.float32)"
        )
    expected = " or ".join(f"{count} (one per {kind})" for kind, count in counts.items())
    if array.ndim != 1:
        raise ValueError(
            f"scalars must be one-dimensional with {expected} values; got shape {array.shape}. "
            "Flatten them with scalars.ravel() if they are in the right order"
        )
    if len(array) not in counts.values():
        have = " and ".join(counted(count, kind) for kind, count in counts.items())
        raise ValueError(f"scalars has {len(array)} values, but {owner} has {have}: pass {expected} values")
    if array.dtype.kind == "f":
        finite = np.isfinite(array)
        if not finite.all():
            first = int(np.argmin(finite))
            raise ValueError(
                f"scalars hold {array.size - np.count_nonzero(finite)} NaN or infinite value(s); the first is "
                f"scalars[{first}] = {array[first]}. Replace them (e.g. np.nan_to_num(scalars, nan=fill)) "
                "or drop those elements"
            )
    with np.errstate(over="ignore"):
        out = np.ascontiguousarray(array, dtype=np.float32)
    if not np.isfinite(out).all():
        first = int(np.argmin(np.isfinite(out)))
        raise ValueError(f"scalars[{first}] = {array[first]} is beyond float32's range; rescale the scalars")
    return out


def counted(count: int, kind: str) -> str:
    """'1 vertex', '3 vertices', '2 faces'."""
    return f"{count} {kind if count == 1 else _PLURALS.get(kind, kind + 's')}"


def clim(value: Any) -> tuple[float, float] | None:
    """Return `value` as a (low, high) colour range with low < high, or None (the data's range)."""
    if value is None:
        return None
    if not _is_sequence(value, 2) or not all(map(_is_number, value)):
        raise ValueError(f"clim must be (min, max): two finite numbers, or None for the data's range; got {value!r}")
    low, high = float(value[0]), float(value[1])
    if not low < high:
        raise ValueError(f"clim must have min < max; got min {low:g} and max {high:g}. Swap them or widen the range")
    return low, high


def data_range(array: np.ndarray) -> tuple[float, float]:
    """The (min, max) of finite data, widened by 0.5 each way when all values are equal (a range must be open)."""
    low, high = float(array.min()), float(array.max())
    return (low - 0.5, high + 0.5) if low == high else (low, high)


def lines(value: Any) -> tuple[np.ndarray, np.ndarray]:
    """Return (float32 (N, 3) vertices, uint32 (S, 2) segments) from a list of (K, 3) polylines or from a
    (vertices, segments) tuple."""
    if isinstance(value, tuple):
        if len(value) != 2:
            raise ValueError(
                f"lines as a tuple must be (vertices (N, 3), segments (S, 2)); got a tuple of {len(value)} items. "
                "Pass polylines as a list: [line1, line2, ...]"
            )
        vertices = _validate.rows(value[0], _validate.VERTICES)
        segments = _validate.rows(value[1], _validate.SEGMENTS)
        _limit("the lines", vertices.shape[0] * 12 + segments.shape[0] * 8)
        return (
            _validate.float32_rows(vertices, "vertices"),
            _validate.uint32_indices(segments, len(vertices), "segments"),
        )
    if isinstance(value, np.ndarray) and value.ndim == 3:
        value = list(value)
    if not isinstance(value, list) or not value:
        raise TypeError(
            "lines must be a non-empty list of (K, 3) polylines (K >= 2), or a tuple (vertices (N, 3), segments "
            f"(S, 2)); got {type(value).__name__}" + (". For one polyline pass [line]" if np.ndim(value) == 2 else "")
        )
    polylines = [_validate.rows(line, _POLYLINE._replace(what=f"lines[{i}]")) for i, line in enumerate(value)]
    sizes = np.array([len(line) for line in polylines])
    if (sizes < 2).any():
        short = int(np.argmax(sizes < 2))
        raise ValueError(f"lines[{short}] has 1 point; a polyline needs at least 2. Drop it or add a point")
    _limit("the lines", int(sizes.sum()) * 12 + int((sizes - 1).sum()) * 8)
    joined = np.concatenate(polylines)
    if joined.dtype.kind == "f":
        finite = np.isfinite(joined).all(axis=1)
        if not finite.all():
            row = int(np.argmin(finite))
            line = int(np.searchsorted(np.cumsum(sizes), row, side="right"))
            point = row - int(sizes[:line].sum())
            raise ValueError(
                f"lines[{line}][{point}] is {joined[row].tolist()}: polylines must be finite. Drop or replace "
                "the points that are NaN or infinite"
            )
    vertices = _validate.float32_rows(joined, "lines")
    # each polyline of K points is K - 1 segments between consecutive points, numbered through the concatenation
    starts = np.delete(np.arange(len(vertices), dtype=np.uint32), np.cumsum(sizes) - 1)
    return vertices, np.ascontiguousarray(np.stack([starts, starts + 1], axis=1))


def joined_scalars(value: Any) -> Any:
    """Scalars of lines given per polyline (a list of (K,) arrays), joined in the polylines' order."""
    if isinstance(value, (list, tuple)) and value and all(np.ndim(part) == 1 for part in value):
        return np.concatenate([_validate.as_array(part, "scalars", "(K,)") for part in value])
    return value


def volume(value: Any) -> np.ndarray:
    """Return a 3-D array of finite real numbers as C-contiguous float32 (Z, Y, X)."""
    array = _validate.as_array(value, "volume", "(Z, Y, X)")
    if array.dtype.kind not in "fiu":
        raise TypeError(
            f"volume must hold real numbers (float or integer); got dtype {array.dtype}. "
            "Convert it with volume.astype(np.float32)"
        )
    if array.ndim != 3 or 0 in array.shape:
        hint = " For one 2-D image, add an axis: volume[np.newaxis]" if array.ndim == 2 else ""
        raise ValueError(f"volume must be 3-D (Z, Y, X) with every side >= 1; got shape {array.shape}.{hint}")
    _limit("the volume", array.size * 4)
    if array.dtype.kind == "f" and not np.isfinite(array).all():
        first = tuple(int(i) for i in np.argwhere(~np.isfinite(array))[0])
        raise ValueError(
            f"volume holds NaN or infinite values; the first is at {first}. "
            "Replace them, e.g. with np.nan_to_num(volume, nan=fill)"
        )
    with np.errstate(over="ignore"):
        out = np.ascontiguousarray(array, dtype=np.float32)
    if not np.isfinite(out).all():
        first = tuple(int(i) for i in np.argwhere(~np.isfinite(out))[0])
        raise ValueError(f"volume value at {first} is beyond float32's range; rescale the volume")
    return out


def voxel(value: Any, shape: tuple[int, ...]) -> tuple[int, int, int]:
    """Return `value` as a (z, y, x) index into a volume of `shape`."""
    if not _is_sequence(value, 3) or not all(
        isinstance(i, (int, np.integer)) and not isinstance(i, bool) for i in value
    ):
        raise TypeError(f"index must be three whole numbers (z, y, x) in the volume's axis order; got {value!r}")
    for axis, (i, side) in enumerate(zip(value, shape)):
        if not 0 <= i < side:
            raise IndexError(
                f"index {tuple(int(i) for i in value)} is outside the volume of shape {tuple(shape)}: "
                f"axis {axis} must be in 0..{side - 1}"
            )
    return int(value[0]), int(value[1]), int(value[2])


def camera(value: Any) -> dict[str, Any]:
    """Return a partial camera (any of position, target, up, fov) as set_camera's params."""
    if not isinstance(value, Mapping):
        raise TypeError(
            f"camera must be set to a dict with any of {', '.join(CAMERA_KEYS)}, e.g. {{'position': (0, 0, 4)}}; "
            f"got {type(value).__name__}"
        )
    unknown = sorted(map(str, set(value) - set(CAMERA_KEYS)))
    if unknown or not value:
        raise ValueError(
            f"camera takes the keys {', '.join(CAMERA_KEYS)} (at least one); "
            + (f"got unknown key(s) {', '.join(unknown)}" if unknown else "got an empty dict")
        )
    params: dict[str, Any] = {}
    for key in CAMERA_KEYS[:3]:
        if key in value:
            params[key] = list(triple(value[key], f"camera {key!r}"))
    if "up" in params and not any(params["up"]):
        raise ValueError("camera 'up' must not be (0, 0, 0); e.g. (0, 1, 0) keeps y up")
    if "fov" in value:
        fov = value["fov"]
        if not _is_number(fov) or not 0 < fov < 180:
            raise ValueError(f"camera 'fov' must be a number of degrees between 0 and 180 (exclusive); got {fov!r}")
        params["fov"] = float(fov)
    return params


def pixel(x: Any, y: Any, width: int, height: int) -> tuple[float, float]:
    """Return (x, y) CSS pixels inside a view of width x height."""
    return number(x, "x (CSS pixels from the left)", 0, width), number(y, "y (CSS pixels from the top)", 0, height)


def _limit(what: str, size: int) -> None:
    if size > MAX_MESH_BYTES:
        raise ValueError(
            f"{what} would be {size} bytes as sent (float32 and uint32); the limit is {MAX_MESH_BYTES} bytes "
            "(256 MiB). Downsample or split the data into several objects"
        )


def arrays(named: Mapping[str, np.ndarray], what: str) -> tuple[list[dict[str, Any]], list[np.ndarray]]:
    """Return params.arrays and the buffers for `named` arrays, refusing more than the limit in one request."""
    _limit(what, sum(array.nbytes for array in named.values()))
    specs = [{"name": name, "dtype": str(array.dtype), "shape": list(array.shape)} for name, array in named.items()]
    return specs, list(named.values())
