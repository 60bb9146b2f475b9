"""The grid of scientific-updates.ipynb, as bench/scientific-updates.ts wrote it to files: vertices, faces, the
hue lut, the two code patches and each vertex's distance from the centre; and its scalars for update k."""

import json
import time
from pathlib import Path

import numpy as np


def load(folder="."):
    """The grid's arrays and settings (camera, clim, hues, seconds) from `folder`."""
    here = Path(folder)
    grid = json.loads((here / "grid.json").read_text())
    grid["vertices"] = np.fromfile(here / "grid-vertices.f32", dtype=np.float32).reshape(-1, 3)
    grid["faces"] = np.fromfile(here / "grid-faces.u32", dtype=np.uint32).reshape(-1, 3)
    grid["lut"] = np.fromfile(here / "grid-lut.u8", dtype=np.uint8).reshape(256, 3)
    grid["patch"] = np.fromfile(here / "grid-patch.u8", dtype=np.uint8)
    grid["radius"] = np.fromfile(here / "grid-radius.f32", dtype=np.float32)
    return grid


def scalars(grid, k):
    """Update k's scalars, as gridScalars in bench/scientific-scenes.ts makes them: a ripple, but for the two
    patches, which hold k's code in two digits of `hues`."""
    hues = grid["hues"]
    codes = np.array([0, k % hues + 0.5, (k // hues) % hues + 0.5], dtype=np.float32)
    ripple = hues / 2 + (hues / 2 - 0.5) * np.sin(12 * grid["radius"] - 0.5 * k)
    return np.where(grid["patch"] == 0, ripple, codes[grid["patch"]]).astype(np.float32)


def wait_for(path, timeout=120):
    """Return once the file `path` exists (the bench writes it when the page is ready), or raise after `timeout` s."""
    deadline = time.monotonic() + timeout
    while not Path(path).exists():
        if time.monotonic() > deadline:
            raise TimeoutError(f"{path} did not appear within {timeout} s")
        time.sleep(0.05)
