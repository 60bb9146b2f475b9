"""PyVista's Jupyter backend "glstream" (glstream._pyvista): once registered, Plotter.show() in a real kernel
renders on glstream's display and shows what glstream.show(plotter) returns, without closing the plotter.
glstream.show is replaced by a fake that records its arguments. PyVista (and so VTK's OpenGL) only ever runs in
child processes: this test process must stay free of GL libraries (see test_headless.py)."""

import json
import os
import subprocess
import sys
import textwrap
import types

import nbclient
import nbformat

from glstream import _pyvista

FAKE_SHOW = """\
import json
import glstream
from glstream._pyvista import jupyter_backend, register_pyvista_backend

calls = []


class FakeView:
    def __repr__(self):
        return "<glstream fake view>"


VIEW = FakeView()


def fake_show(target, width=None, height=None):
    calls.append((target, width, height))
    return VIEW


glstream.show = fake_show
"""


def run_python(code):
    """Run code in a fresh interpreter with no display; return the JSON object its last output line holds."""
    env = {name: value for name, value in os.environ.items() if name != "DISPLAY"}
    done = subprocess.run(
        [sys.executable, "-c", FAKE_SHOW + textwrap.dedent(code)], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_without_pyvista_registering_returns_false_quietly(monkeypatch):
    monkeypatch.setitem(sys.modules, "pyvista", None)  # what `import pyvista` meets when it is not installed
    assert _pyvista.register_pyvista_backend() is False


def test_a_pyvista_without_a_backend_registry_returns_false(monkeypatch):
    monkeypatch.setitem(sys.modules, "pyvista", types.ModuleType("pyvista"))  # like PyVista < 0.48
    assert _pyvista.register_pyvista_backend() is False


def test_importing_glstream_does_not_import_pyvista_or_vtk():
    loaded = run_python("""\
        import sys
        import glstream._pyvista
        print(json.dumps(sorted(name for name in ("pyvista", "vtk", "vtkmodules") if name in sys.modules)))
    """)
    assert loaded == []


def test_glstream_is_a_backend_by_its_entry_point_and_registering_twice_is_harmless():
    result = run_python("""\
        import warnings
        from importlib.metadata import entry_points
        import pyvista as pv

        by_entry_point = any(ep.name == "glstream" for ep in entry_points(group="pyvista.jupyter_backends"))
        try:
            pv.set_jupyter_backend("glstream")
            before = "accepted"
        except ValueError as error:
            before = str(error)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            first, second = register_pyvista_backend(), register_pyvista_backend()
        pv.set_jupyter_backend("glstream")
        listed = [entry for entry in pv.registered_jupyter_backends() if entry.name == "glstream"]
        print(json.dumps({
            "by_entry_point": by_entry_point,
            "before": before,
            "returned": [first, second],
            "warnings": [str(warning.message) for warning in caught],
            "listed": len(listed),
            "ours": all(entry.handler is jupyter_backend for entry in listed),
            "theme": pv.global_theme.jupyter_backend,
        }))
    """)
    # the installed package's entry point makes the backend known before any call
    assert result["by_entry_point"], "the installed glstream declares no pyvista.jupyter_backends entry point"
    assert result["before"] == "accepted", result["before"]
    assert result["returned"] == [True, True]
    assert result["warnings"] == []
    assert (result["listed"], result["ours"], result["theme"]) == (1, True, "glstream")


def test_an_unknown_backend_still_raises_pyvistas_own_error():
    result = run_python("""\
        import pyvista as pv

        register_pyvista_backend()
        try:
            pv.set_jupyter_backend("no-such-backend")
            print(json.dumps({"error": None}))
        except ValueError as error:
            print(json.dumps({"error": str(error)}))
    """)
    assert result["error"] is not None, "an unknown backend was accepted"
    assert 'Invalid Jupyter notebook plotting backend "no-such-backend"' in result["error"]
    assert '"glstream"' in result["error"], "PyVista lists the registered backend among the valid ones"


def kernel_notebook(tmp_path):
    setup = FAKE_SHOW + textwrap.dedent("""\
        import pyvista as pv

        print(json.dumps({"registered": register_pyvista_backend()}))
        pv.set_jupyter_backend("glstream")
        pl = pv.Plotter(window_size=(320, 200))
        _ = pl.add_mesh(pv.Sphere(), color="orange")
    """)
    check = textwrap.dedent("""\
        import numpy as np

        image = pl.screenshot(return_img=True)  # the plotter still renders after show()
        print(json.dumps({
            "notebook": pl.notebook,
            "returned": repr(returned),
            "calls": [[target is pl, width, height] for target, width, height in calls],
            "window": pl.render_window.GetClassName() if pl.render_window is not None else None,
            "colours": len(np.unique(image.reshape(-1, image.shape[-1]), axis=0)),
        }))
    """)
    viewer = textwrap.dedent("""\
        other = pv.Plotter(window_size=(320, 200))
        _ = other.add_mesh(pv.Cube())
        viewer = other.show(return_viewer=True, jupyter_kwargs={"width": 640, "height": 360})
        print(json.dumps({"viewer": repr(viewer), "last_call": [calls[-1][0] is other, *calls[-1][1:]]}))
    """)
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell("%load_ext glstream"),
        nbformat.v4.new_code_cell(setup),
        nbformat.v4.new_code_cell("returned = pl.show(auto_close=True)"),
        nbformat.v4.new_code_cell(check),
        nbformat.v4.new_code_cell(viewer),
    ]
    return nb


def last_json(cell):
    texts = "".join(output.get("text", "") for output in cell.outputs if output.output_type == "stream")
    return json.loads(texts.strip().splitlines()[-1])


def test_plotter_show_in_a_kernel_displays_glstreams_view_and_keeps_the_plotter(tmp_path, real_sidecar):
    nb = kernel_notebook(tmp_path)
    env = {name: value for name, value in os.environ.items() if name != "DISPLAY"}  # the display is glstream's
    client = nbclient.NotebookClient(
        nb, kernel_name="python3", timeout=120, resources={"metadata": {"path": str(tmp_path)}}
    )
    client.execute(env=env)
    _load, setup, show, check, viewer = nb.cells
    assert last_json(setup) == {"registered": True}

    # show() displayed the handler's return value, nothing else (no static image), and returned None
    displayed = [output for output in show.outputs if output.output_type in ("display_data", "execute_result")]
    assert [output.data for output in displayed] == [{"text/plain": "<glstream fake view>"}], show.outputs

    state = last_json(check)
    assert state["notebook"] is True, "PyVista did not see the kernel"
    assert state["returned"] == "None"
    assert state["calls"] == [[True, None, None]], "glstream.show got this plotter, once, with no size"
    assert state["window"] == "vtkXOpenGLRenderWindow", "not closed despite auto_close=True, on the X display"
    assert state["colours"] > 50, "a shaded sphere, rendered after show()"

    # return_viewer=True: returned, not displayed; jupyter_kwargs reach glstream.show
    assert not [output for output in viewer.outputs if output.output_type == "display_data"], viewer.outputs
    assert last_json(viewer) == {"viewer": "<glstream fake view>", "last_call": [True, 640, 360]}
