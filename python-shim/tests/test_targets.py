"""glstream._targets.render_window_of(): the VTK render window behind what glstream.show() is given, found by the
shape of the object (real VTK and PyVista, Mayavi and FURY owners shaped like the real ones) without importing
the libraries that make them."""

import os
import subprocess
import sys
import textwrap

import pytest
from vtkmodules.vtkRenderingCore import vtkRenderer
from vtkmodules.vtkRenderingOpenGL2 import vtkEGLRenderWindow, vtkXOpenGLRenderWindow

from glstream._targets import ACCEPTED_KINDS, render_window_of


def shaped(module, name, **attributes):
    """An object of a class called `name` defined in `module`, with these attributes."""
    cls = type(name, (), {"__module__": module})
    obj = cls()
    obj.__dict__.update(attributes)
    return obj


@pytest.mark.parametrize("target", [42, "x", object(), None, 2.5, b"window", [1, 2]])
def test_what_is_not_vtk_is_none(target):
    assert render_window_of(target) is None


def test_a_render_window_of_any_kind_is_itself_and_other_vtk_objects_are_none():
    for window in (vtkXOpenGLRenderWindow(), vtkEGLRenderWindow()):
        assert render_window_of(window) is window
    renderer = vtkRenderer()
    assert render_window_of(renderer) is None
    window.AddRenderer(renderer)
    assert renderer.render_window is window, "VTK 9.4+ gives its objects properties"
    assert render_window_of(renderer) is None, "a renderer is not an owner of its window"


def test_owners_shaped_like_pyvista_mayavi_and_fury_give_their_window():
    window = vtkXOpenGLRenderWindow()
    plotter = shaped("pyvista.plotting.plotter", "Plotter", render_window=window)
    old_plotter = shaped("pyvista.plotting.plotting", "Plotter", ren_win=window)
    # Mayavi: figure.scene is a TVTK scene whose render_window is TVTK's wrapper of the VTK window
    wrapper = shaped("tvtk.tvtk_classes.render_window", "RenderWindow", _vtk_obj=window)
    scene = shaped("tvtk.pyface.tvtk_scene", "TVTKScene", render_window=wrapper)
    figure = shaped("mayavi.core.scene", "Scene", scene=scene)
    show_manager = shaped("fury.window", "ShowManager", window=window, scene=vtkRenderer())
    for owner in (plotter, old_plotter, scene, figure, show_manager):
        assert render_window_of(owner) is window, type(owner).__module__


def test_the_search_stops_two_steps_from_the_target():
    window = vtkXOpenGLRenderWindow()
    three_steps = shaped("app", "Outer", window=shaped("app", "Middle", scene=shaped("app", "Inner", window=window)))
    assert render_window_of(three_steps) is None


def test_the_accepted_kinds_name_every_kind_show_takes():
    for kind in ("a vtkRenderWindow", "PyVista Plotter", "Mayavi figure or scene", "FURY ShowManager", "X window id"):
        assert kind in ACCEPTED_KINDS
    assert "glstream.run()" in ACCEPTED_KINDS


def run_python(code, **env):
    environ = {key: value for key, value in os.environ.items() if key != "DISPLAY"}
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        env={**environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout.strip().splitlines()[-1]


def test_finding_the_window_imports_neither_vtk_for_other_objects_nor_the_libraries_that_own_windows():
    imported = run_python(
        """
        import sys
        from glstream._targets import render_window_of
        render_window_of(object()); render_window_of(42)
        before = "vtkmodules" in sys.modules
        from vtkmodules.vtkRenderingOpenGL2 import vtkEGLRenderWindow
        render_window_of(vtkEGLRenderWindow())
        print(before, sorted(name for name in ("pyvista", "mayavi", "fury", "tvtk") if name in sys.modules))
        """
    )
    assert imported == "False []"


def test_a_real_pyvista_plotter_gives_its_window_and_once_closed_says_so():
    # in a process of its own: a Plotter made without DISPLAY probes EGL, after which VTK's GLX windows fail to
    # render in that thread ("Could not set shader program")
    said = run_python(
        """
        import pyvista
        from glstream._targets import render_window_of
        plotter = pyvista.Plotter(off_screen=True)
        assert render_window_of(plotter) is plotter.render_window is not None
        plotter.close()
        try:
            render_window_of(plotter)
        except ValueError as error:
            print(error)
        """
    )
    assert (
        said
        == "this Plotter has no render window any more: it was closed. Show it before closing it, or make a new one"
    )


def test_a_real_mayavi_figure_and_its_scene_give_the_vtk_window():
    found = run_python(
        """
        from mayavi import mlab
        from glstream._targets import render_window_of
        mlab.options.offscreen = True
        figure = mlab.figure(size=(64, 48))
        window = figure.scene.render_window._vtk_obj
        print(render_window_of(figure) is window, render_window_of(figure.scene) is window, window.GetClassName())
        """,
        ETS_TOOLKIT="null",
    )
    assert found.startswith("True True vtk"), found
