"""A saved notebook shows its views without a kernel: the quickstart executed with nbclient keeps a picture of its
view in the output (image/png, and text/html saying why it is not live) and in the saved widget state, and the
HTML nbconvert makes of it carries that picture, with the widget state (nbclient's default) or without (as
JupyterLab saves notebooks, and as GitHub shows them). Neither carries the renderer's key: the tickets the kernel
sent the widget, recorded inside the executed notebook, occur nowhere in the saved notebook or its HTML."""

import base64
import json
import os
import pathlib
import re
import shutil

import nbclient
import nbconvert
import nbformat
import pytest
from _png import decode_png

from glstream._still import NOT_LIVE

NOTEBOOK = pathlib.Path(__file__).resolve().parents[2] / "binder" / "examples" / "quickstart.ipynb"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"


# Cells added around the quickstart: the first records every direct ticket a widget sends its front end (by wrapping
# the widget's send, before any widget exists), the last writes them to a file the test reads. Both print nothing.
RECORD_OFFERS = """\
import glstream._live as _live
_offered, _send = [], _live.LiveWidget.send
def _record(self, content, buffers=None):
    if isinstance(content, dict) and content.get("type") == "direct" and content.get("key"):
        _offered.append(content["key"])
    return _send(self, content, buffers)
_live.LiveWidget.send = _record"""
WRITE_OFFERS = """\
import json, pathlib
_ = pathlib.Path({path!r}).write_text(json.dumps(_offered))"""


@pytest.fixture
def offered(tmp_path):
    """The file the executed notebook writes the direct tickets its widgets were sent to."""
    return tmp_path / "offered-keys.json"


@pytest.fixture
def executed(tmp_path, real_sidecar, offered):
    copy = tmp_path / NOTEBOOK.name
    shutil.copy(NOTEBOOK, copy)
    nb = nbformat.read(copy, as_version=4)
    nb.cells.insert(0, nbformat.v4.new_code_cell(RECORD_OFFERS))
    nb.cells.append(nbformat.v4.new_code_cell(WRITE_OFFERS.format(path=str(offered))))
    env = {name: value for name, value in os.environ.items() if name != "DISPLAY"}
    nbclient.NotebookClient(
        nb, kernel_name="python3", timeout=120, resources={"metadata": {"path": str(tmp_path)}}
    ).execute(env=env)
    return nb


def view_output(nb):
    found = [out for cell in nb.cells for out in cell.get("outputs", []) if WIDGET_VIEW in out.get("data", {})]
    assert len(found) == 1, f"one view in the quickstart, found {len(found)}"
    return found[0]


def knot_share(png):
    """The share of the picture that is the quickstart's knot (#44aa88, lit): green well above red."""
    image = decode_png(png)[..., :3].astype(int)
    return (image[..., 1] - image[..., 0] > 40).mean()


def test_the_output_and_the_widget_state_keep_a_picture_of_the_view(executed):
    output = view_output(executed)
    png = base64.b64decode(output.data["image/png"])
    assert knot_share(png) > 0.01, "the knot is in the output's picture"
    assert NOT_LIVE.split(";")[0] in output.data["text/html"]
    state = executed.metadata.widgets[WIDGET_STATE]["state"][output.data[WIDGET_VIEW]["model_id"]]
    stills = [buffer for buffer in state.get("buffers", []) if buffer["path"] == ["_still"]]
    assert len(stills) == 1, f"the saved widget state has the view's still: {list(state)}"
    assert knot_share(base64.b64decode(stills[0]["data"])) > 0.01


def test_nbconvert_html_shows_the_picture_with_or_without_the_widget_state(executed):
    with_state, _ = nbconvert.HTMLExporter().from_notebook_node(executed)
    scripts = re.findall(rf'<script type="{re.escape(WIDGET_STATE)}">(.*?)</script>', with_state, re.S)
    assert len(scripts) == 1, "the page embeds the widget state"
    model_id = view_output(executed).data[WIDGET_VIEW]["model_id"]
    buffers = json.loads(scripts[0])["state"][model_id]["buffers"]
    still = next(buffer for buffer in buffers if buffer["path"] == ["_still"])
    assert knot_share(base64.b64decode(still["data"])) > 0.01, "the page's widget state shows the knot"

    del executed.metadata["widgets"]
    without_state, _ = nbconvert.HTMLExporter().from_notebook_node(executed)
    images = re.findall(r'<img [^>]*src="data:image/png;base64,([^"]+)"', without_state)
    assert len(images) == 1, "the view's output is shown as its picture"
    assert knot_share(base64.b64decode(images[0])) > 0.01
    assert "JavaScript did not run here" in without_state, "with the line saying why it is not live"


def test_neither_the_saved_notebook_nor_its_html_carries_a_renderer_key(executed, offered):
    keys = json.loads(offered.read_text())
    assert len(keys) >= 1, "the view was offered a direct ticket while the notebook ran"
    assert all(len(key) >= 32 for key in keys)
    model_id = view_output(executed).data[WIDGET_VIEW]["model_id"]
    state = executed.metadata.widgets[WIDGET_STATE]["state"][model_id]["state"]
    assert "_direct" not in state, "the key is no synced trait"
    assert "_direct" not in nbformat.writes(executed)
    html, _ = nbconvert.HTMLExporter().from_notebook_node(executed)
    for saved, text in (("the .ipynb", nbformat.writes(executed)), ("the HTML", html)):
        # (the widget's own code, saved with its state, builds such URLs: `key=${...}`)
        assert re.search(r"key=[A-Za-z0-9_%-]{16}", text) is None, f"no websocket URL with a key in {saved}"
        for key in keys:
            assert key not in text, f"a ticket the widget was sent is in {saved}"
    assert all(not cell.get("outputs") for cell in (executed.cells[0], executed.cells[-1])), (
        "the added cells print nothing"
    )
