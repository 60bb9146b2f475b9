"""The picture a saved notebook keeps of a view, against the real Node sidecar: the output's image/png and
text/html when the view is displayed, the widget's `_still` after each cell only when the view changed, and the
last picture kept when the renderer is gone."""

import base64
import re

import numpy as np
import pytest
from _png import decode_png

from glstream import Viewer, _sidecar
from glstream._still import KEEPER, NOT_LIVE

BACKGROUND = np.array([0x1E, 0x1E, 0x1E])
QUAD = np.array([[-1, -1, 0], [1, -1, 0], [1, 1, 0], [-1, 1, 0]], dtype=np.float32)
QUAD_FACES = np.array([[0, 1, 2], [0, 2, 3]], dtype=np.int32)


@pytest.fixture
def viewer(real_sidecar):
    viewer = Viewer(width=320, height=240, background="#1e1e1e")
    viewer.add_mesh(QUAD, QUAD_FACES, color="#ff0000", shading="flat")
    yield viewer
    viewer.close()


def share(png, channel):
    """The share of the picture's pixels whose `channel` (0 red, 2 blue) outweighs the others by 60 or more."""
    image = decode_png(png)[..., :3].astype(int)
    others = np.delete(image, channel, axis=2).max(axis=2)
    return (image[..., channel] - others > 60).mean()


def background_share(png):
    image = decode_png(png)[..., :3].astype(int)
    return (np.abs(image - BACKGROUND).sum(axis=2) < 6).mean()


def test_a_displayed_view_carries_its_picture_in_the_output(viewer):
    data, metadata = viewer._repr_mimebundle_()
    assert data["application/vnd.jupyter.widget-view+json"]["model_id"] == viewer.model_id
    png = base64.b64decode(data["image/png"])
    assert share(png, 0) > 0.05, "the red quad is in the picture"
    assert background_share(png) > 0.3, "so is the background"
    assert metadata["image/png"] == {"width": 320}
    page = data["text/html"]
    embedded = re.search(r'<img src="data:image/png;base64,([^"]+)" width="320"', page)
    assert embedded is not None and base64.b64decode(embedded.group(1)) == png
    assert "the widget&#x27;s JavaScript did not run here" in page and NOT_LIVE.split(";")[0] in page
    assert viewer._still == png


def test_after_a_cell_the_still_follows_only_a_change(viewer):
    viewer._repr_mimebundle_()
    first = viewer._still
    KEEPER._after_cell()
    assert viewer._still is first, "an unchanged view is not fetched again"
    viewer.add_mesh(QUAD * 0.5 + np.float32([0, 0, 0.1]), QUAD_FACES, color="#0000ff", shading="flat")
    KEEPER._after_cell()
    assert viewer._still != first
    assert share(viewer._still, 2) > 0.01, "the blue quad added in the cell is in the new still"


def test_a_dead_renderer_leaves_the_last_picture(viewer):
    viewer._repr_mimebundle_()
    kept = viewer._still
    _sidecar.stop_current()
    KEEPER._after_cell()
    assert viewer._still == kept
    data, _ = viewer._repr_mimebundle_()
    assert base64.b64decode(data["image/png"]) == kept
