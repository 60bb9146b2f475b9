"""Anti-aliased stills: a white square turned 30 degrees on black, seen head-on, in glstream's snapshot (the still)
and in VTK at 4x MSAA (PyVista's default) with the same view size and camera. Along its edges the snapshot must
have intermediate values about as often as VTK's picture does. VTK renders in a child process on the sidecar's
display: this test process must stay free of GL libraries (see test_headless.py)."""

import math
import os
import subprocess
import sys

import numpy as np
import pytest
from _png import decode_png

from glstream import Viewer

WIDTH, HEIGHT = 320, 240
DISTANCE, FOV = 4.5, 30.0  # the square (side 1, 1.37 high once turned) fills about 60% of the height
TURN = math.radians(30)
CORNERS = [(-0.5, -0.5), (0.5, -0.5), (0.5, 0.5), (-0.5, 0.5)]
VERTICES = np.array(
    [(x * math.cos(TURN) - y * math.sin(TURN), x * math.sin(TURN) + y * math.cos(TURN), 0.0) for x, y in CORNERS],
    dtype=np.float32,
)
FACES = np.array([[0, 1, 2], [0, 2, 3]], dtype=np.uint32)
LOW, HIGH = 0.1, 0.9  # fractions of the contrast between the background and the square's interior

VTK_RENDER = """\
import sys
import numpy as np
import vtk
from vtk.util import numpy_support

width, height, distance, fov, samples = sys.argv[1:]
vertices = np.array({vertices}, dtype=float)
points = vtk.vtkPoints()
for vertex in vertices:
    points.InsertNextPoint(*vertex)
cells = vtk.vtkCellArray()
for face in {faces}:
    cells.InsertNextCell(3, face)
square = vtk.vtkPolyData()
square.SetPoints(points)
square.SetPolys(cells)
mapper = vtk.vtkPolyDataMapper()
mapper.SetInputData(square)
actor = vtk.vtkActor()
actor.SetMapper(mapper)
actor.GetProperty().SetColor(1, 1, 1)
renderer = vtk.vtkRenderer()
renderer.SetBackground(0, 0, 0)
renderer.AddActor(actor)
window = vtk.vtkRenderWindow()
window.SetOffScreenRendering(1)
window.SetMultiSamples(int(samples))
window.AddRenderer(renderer)
window.SetSize(int(width), int(height))
camera = renderer.GetActiveCamera()
camera.SetPosition(0, 0, float(distance))
camera.SetFocalPoint(0, 0, 0)
camera.SetViewUp(0, 1, 0)
camera.SetViewAngle(float(fov))
renderer.ResetCameraClippingRange()
window.Render()
assert window.GetMultiSamples() == int(samples), "VTK did not keep the multisampling asked for"
grab = vtk.vtkWindowToImageFilter()
grab.SetInput(window)
grab.SetInputBufferTypeToRGB()
grab.ReadFrontBufferOff()
grab.Update()
image = grab.GetOutput()
rgb = numpy_support.vtk_to_numpy(image.GetPointData().GetScalars())
sys.stdout.buffer.write(np.ascontiguousarray(rgb.reshape(int(height), int(width), 3)[::-1]).tobytes())
window.Finalize()
"""


def vtk_picture(display_env, samples=4):
    """The square as VTK draws it at `samples` x MSAA, (HEIGHT, WIDTH, 3) uint8, top row first."""
    code = VTK_RENDER.format(vertices=VERTICES.tolist(), faces=FACES.tolist())
    args = [str(value) for value in (WIDTH, HEIGHT, DISTANCE, FOV, samples)]
    done = subprocess.run(
        [sys.executable, "-c", code, *args],
        env={**os.environ, **display_env},
        capture_output=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr.decode(errors="replace")
    return np.frombuffer(done.stdout, dtype=np.uint8).reshape(HEIGHT, WIDTH, 3)


def smoothness(rgb):
    """How the picture's edges are drawn: every crossing of an edge along a row or a column goes from the background
    (at most LOW of the contrast) to the interior (at least HIGH) or back; a smooth crossing passes through an
    intermediate pixel on the way. Returns the fraction of smooth crossings, the number of distinct intermediate
    values, the number of crossings and the bounding box of the interior."""
    level = rgb.astype(float).mean(axis=2)
    interior = np.median(level[level > level.max() / 2])
    contrast = level / interior
    crossings = smooth = 0
    for lines in (contrast, contrast.T):
        for line in lines:
            side, gap = None, 0
            for value in line:
                here = "out" if value <= LOW else "in" if value >= HIGH else None
                if here is None:
                    gap += 1
                    continue
                if side is not None and here != side:
                    crossings += 1
                    smooth += gap > 0
                side, gap = here, 0
    between = (contrast > LOW) & (contrast < HIGH)
    rows, columns = np.nonzero(contrast >= HIGH)
    box = (int(rows.min()), int(rows.max()), int(columns.min()), int(columns.max()))
    return smooth / max(crossings, 1), len(np.unique(level[between])), crossings, box


@pytest.fixture
def viewer(real_sidecar):
    viewer = Viewer(width=WIDTH, height=HEIGHT, background="#000000")
    yield viewer
    viewer.close()


def test_the_still_of_a_hard_edge_is_as_smooth_as_vtk_at_4x_msaa(viewer):
    viewer.add_mesh(VERTICES, FACES, color="#ffffff")
    viewer.camera = {"position": (0, 0, DISTANCE), "target": (0, 0, 0), "up": (0, 1, 0), "fov": FOV}
    ours = smoothness(decode_png(viewer.snapshot())[..., :3])
    vtk = smoothness(vtk_picture(viewer.sidecar.display_env))
    figures = (
        f"glstream: {ours[0]:.2f} of {ours[2]} crossings smooth, {ours[1]} intermediate values, interior {ours[3]}; "
        f"VTK 4x MSAA: {vtk[0]:.2f} of {vtk[2]} crossings, {vtk[1]} values, interior {vtk[3]}"
    )
    print(figures)
    assert vtk[0] > 0.5 and vtk[1] >= 3, f"VTK's picture is not anti-aliased; the comparison means nothing: {figures}"
    assert all(abs(a - b) <= 2 for a, b in zip(ours[3], vtk[3])), f"not the same square on screen: {figures}"
    assert ours[0] > 0 and ours[0] >= 0.8 * vtk[0], f"the still is more jagged than VTK's: {figures}"
    assert ours[1] >= 3, f"too few intermediate values along the edges: {figures}"
