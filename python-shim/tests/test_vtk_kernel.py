"""%load_ext glstream in a real kernel lets VTK render through its X window class (the path Qt, Mayavi and
interactive PyVista take) on a machine with no display, and other local users cannot connect to that display; the
same notebook without it kills the kernel."""

import base64
import importlib.util
import os
import pathlib
import re
import shutil

import nbclient
import nbformat
import numpy as np
import pytest
from _png import decode_png

NOTEBOOK = pathlib.Path(__file__).resolve().parents[2] / "binder" / "examples" / "vtk-headless.ipynb"
# fd 2 straight to our file: ipykernel would otherwise capture it and lose it when the kernel dies
NO_FD_CAPTURE = ["--IPKernelApp.capture_fd_output=False"]


@pytest.fixture
def notebook(tmp_path, real_sidecar):
    assert importlib.util.find_spec("vtk"), "VTK is missing: pip install -r python-shim/requirements-dev.txt"
    copy = tmp_path / NOTEBOOK.name
    shutil.copy(NOTEBOOK, copy)
    return copy


# Another local user, and this one without the cookie, try the display the kernel renders on.
INTRUDERS = """
import os, subprocess
nobody = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"]
no_cookie = {**os.environ, "XAUTHORITY": "/nonexistent"}
for who, argv, env in [("nobody", nobody, os.environ), ("no cookie", [], no_cookie), ("kernel", [], os.environ)]:
    xdpyinfo = [*argv, "xdpyinfo", "-display", os.environ["DISPLAY"]]
    tried = subprocess.run(xdpyinfo, env=env, capture_output=True, text=True)
    print(f"xdpyinfo as {who}: exit {tried.returncode}: {tried.stderr.strip().splitlines()[-1:]}")
"""


def execute(path, drop_load_ext=False, intruders=False):
    """Run the notebook in a fresh kernel started with no DISPLAY; return (notebook, error or None, kernel stderr).

    intruders: end it with a cell trying the kernel's display as another user and without the cookie."""
    nb = nbformat.read(path, as_version=4)
    if drop_load_ext:
        nb.cells = [cell for cell in nb.cells if "%load_ext glstream" not in cell.source]
    if intruders:
        nb.cells.append(nbformat.v4.new_code_cell(INTRUDERS))
    env = {name: value for name, value in os.environ.items() if name != "DISPLAY"}
    stderr_path = path.with_suffix(".stderr")
    error = None
    with open(stderr_path, "w") as stderr:
        client = nbclient.NotebookClient(
            nb,
            kernel_name="python3",
            timeout=120,
            extra_arguments=NO_FD_CAPTURE,
            resources={"metadata": {"path": str(path.parent)}},
        )
        try:
            client.execute(env=env, stderr=stderr)
        except (nbclient.exceptions.DeadKernelError, nbclient.exceptions.CellExecutionError) as caught:
            error = caught
    return nb, error, stderr_path.read_text()


def outputs(nb):
    return [output for cell in nb.cells if cell.cell_type == "code" for output in cell.outputs]


def test_the_example_notebook_renders_vtk_through_x_with_the_extension_and_no_one_else_gets_in(notebook):
    nb, error, stderr = execute(notebook, intruders=True)
    assert error is None, f"{error}\nkernel stderr:\n{stderr}"
    texts = "".join(output.get("text", "") for output in outputs(nb) if output.output_type == "stream")
    loaded = re.search(
        r"glstream: this kernel renders on display (:\d+) \(an (Xvfb|xpra server) started by glstream", texts
    )
    assert loaded, texts
    assert f"vtkXOpenGLRenderWindow on display {loaded.group(1)}" in texts, texts
    assert "GlstreamWarning" not in texts + stderr, "nothing GL was loaded before the extension"
    [png] = [output.data["image/png"] for output in outputs(nb) if "image/png" in output.get("data", {})]
    pixels = decode_png(base64.b64decode(png))[:, :, :3].astype(int)
    assert pixels.shape[:2] == (200, 320)
    background = pixels[0, 0]
    drawn = np.any(np.abs(pixels - background) > 24, axis=2)
    assert 0.05 < drawn.mean() < 0.6, f"{drawn.mean():.3f} of the image differs from the background"
    assert len(np.unique(pixels.reshape(-1, 3), axis=0)) > 50, "a shaded scene has many colours"
    display = loaded.group(1)
    refused = f'unable to open display "{display}"'
    assert re.search(rf"xdpyinfo as nobody: exit 1: .*{refused}", texts), texts
    assert re.search(rf"xdpyinfo as no cookie: exit 1: .*{refused}", texts), texts
    assert "xdpyinfo as kernel: exit 0" in texts, texts


def test_without_the_extension_the_same_notebook_dies_for_want_of_an_x_display(notebook):
    nb, error, stderr = execute(notebook, drop_load_ext=True)
    assert isinstance(error, (nbclient.exceptions.DeadKernelError, nbclient.exceptions.CellExecutionError)), (
        f"the X window rendered without a display?\n{stderr}"
    )
    assert "bad X server connection. DISPLAY=" in str(error) + stderr, stderr
    assert not [output for output in outputs(nb) if "image/png" in output.get("data", {})]
