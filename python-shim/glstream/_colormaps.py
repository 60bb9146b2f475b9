"""Colour tables for scalars: a colormap name, a matplotlib Colormap or a (256, 3) array, as the (256, 3) uint8
sRGB table the sidecar colours with. The tables come from matplotlib, not typed in here."""

from __future__ import annotations

import difflib
from typing import Any

import numpy as np

LUT_SIZE = 256
# named in the message for an unknown name; matplotlib knows many more
_WELL_KNOWN = ("viridis", "plasma", "inferno", "magma", "cividis", "gray", "coolwarm", "turbo")


def lut(cmap: Any) -> np.ndarray:
    """Return `cmap` as a C-contiguous (256, 3) uint8 table, or raise ValueError/TypeError naming the fix."""
    # matplotlib takes a good part of a second to import: a kernel that never colours by scalars never pays it
    import matplotlib
    from matplotlib.colors import Colormap

    if isinstance(cmap, str):
        try:
            cmap = matplotlib.colormaps[cmap]
        except KeyError:
            close = difflib.get_close_matches(cmap, list(matplotlib.colormaps), n=3)
            raise ValueError(
                f"unknown colormap {cmap!r}"
                + (f" (did you mean {' or '.join(map(repr, close))}?)" if close else "")
                + f"; pass a matplotlib colormap name such as {', '.join(_WELL_KNOWN)} "
                "(all of them: sorted(matplotlib.colormaps)), a matplotlib Colormap or a (256, 3) array"
            ) from None
    if isinstance(cmap, Colormap):
        rgba = cmap(np.linspace(0.0, 1.0, LUT_SIZE))
        return np.ascontiguousarray(np.round(rgba[:, :3] * 255), dtype=np.uint8)
    if isinstance(cmap, (np.ndarray, list, tuple)):
        return _table(np.asarray(cmap))
    raise TypeError(
        f"cmap must be a colormap name (e.g. 'viridis'), a matplotlib Colormap or a (256, 3) array; "
        f"got {type(cmap).__name__}"
    )


def _table(array: np.ndarray) -> np.ndarray:
    if array.shape != (LUT_SIZE, 3):
        raise ValueError(
            f"a cmap array must have shape ({LUT_SIZE}, 3): one RGB row per step; got shape {array.shape}. "
            f"Resample it, e.g. with matplotlib.colors.ListedColormap(colors).resampled({LUT_SIZE})"
        )
    if array.dtype == np.uint8:
        return np.ascontiguousarray(array)
    if array.dtype.kind != "f":
        raise TypeError(
            f"a cmap array must hold floats in 0..1 or uint8 values; got dtype {array.dtype}. "
            "Convert 0-255 integers with cmap.astype(np.uint8)"
        )
    inside = np.isfinite(array) & (array >= 0) & (array <= 1)
    if not inside.all():
        row, column = (int(i) for i in np.argwhere(~inside)[0])
        raise ValueError(
            f"a float cmap array must hold values in 0..1; cmap[{row}, {column}] is {array[row, column]}. "
            "Divide 0-255 values by 255"
        )
    return np.ascontiguousarray(np.round(array * 255), dtype=np.uint8)
