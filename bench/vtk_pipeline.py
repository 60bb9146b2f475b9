"""The peer: the same scenes through VTK off-screen (render, window grab, JPEG q80), on the current DISPLAY.

Usage: vtk_pipeline.py MULTISAMPLES, then one JSON command a line on stdin, one JSON answer a line on stdout:
  {"op": "scene", "positions": F32_FILE, "indices": U32_FILE}  -> {"info": {...}}
  {"op": "points", "positions", "scalars": F32_FILE, "lut": U8_FILE, "clim": [lo, hi], "size"}  -> {"info": {...}}
  {"op": "lines", "vertices", "segments": U32_FILE, "scalars", "lut", "clim", "width"}  -> {"info": {...}}
  {"op": "measure", "width", "height", "warmup", "frames", "seconds"}  -> {"fps", "fps_median", ...}
MULTISAMPLES matches what glstream's WebGL context got (VTK's own default is 8).
"""

import json
import statistics
import sys
import time

import numpy as np
import vtk
from vtk.util.numpy_support import numpy_to_vtk, numpy_to_vtkIdTypeArray


def polydata(positions_file, indices_file):
    """A vtkPolyData of triangles, with point normals computed once (as three's computeVertexNormals)."""
    points = np.fromfile(positions_file, dtype=np.float32).reshape(-1, 3)
    faces = np.fromfile(indices_file, dtype=np.uint32).reshape(-1, 3).astype(np.int64)
    data = vtk.vtkPolyData()
    pts = vtk.vtkPoints()
    pts.SetData(numpy_to_vtk(points, deep=True))
    data.SetPoints(pts)
    cells = vtk.vtkCellArray()
    offsets = np.arange(0, faces.size + 1, 3, dtype=np.int64)
    cells.SetData(numpy_to_vtkIdTypeArray(offsets, deep=True), numpy_to_vtkIdTypeArray(faces.ravel(), deep=True))
    data.SetPolys(cells)
    normals = vtk.vtkPolyDataNormals()
    normals.SetInputData(data)
    normals.SplittingOff()
    normals.Update()
    return normals.GetOutput()


def cloud(positions_file):
    """A vtkPolyData of points, one vertex cell each (as vtkVertexGlyphFilter makes them)."""
    data = vtk.vtkPolyData()
    pts = vtk.vtkPoints()
    pts.SetData(numpy_to_vtk(np.fromfile(positions_file, dtype=np.float32).reshape(-1, 3), deep=True))
    data.SetPoints(pts)
    glyphs = vtk.vtkVertexGlyphFilter()
    glyphs.SetInputData(data)
    glyphs.Update()
    return glyphs.GetOutput()


def line_cells(vertices_file, segments_file):
    """A vtkPolyData of two-point line cells."""
    data = vtk.vtkPolyData()
    pts = vtk.vtkPoints()
    pts.SetData(numpy_to_vtk(np.fromfile(vertices_file, dtype=np.float32).reshape(-1, 3), deep=True))
    data.SetPoints(pts)
    ends = np.fromfile(segments_file, dtype=np.uint32).astype(np.int64)
    cells = vtk.vtkCellArray()
    offsets = np.arange(0, ends.size + 1, 2, dtype=np.int64)
    cells.SetData(numpy_to_vtkIdTypeArray(offsets, deep=True), numpy_to_vtkIdTypeArray(ends, deep=True))
    data.SetLines(cells)
    return data


def colored(data, scalars_file, lut_file, clim):
    """`data` with a scalar per point, mapped through the (256, 3) sRGB bytes in `lut_file` over `clim`."""
    data.GetPointData().SetScalars(numpy_to_vtk(np.fromfile(scalars_file, dtype=np.float32), deep=True))
    table = vtk.vtkLookupTable()
    table.SetNumberOfTableValues(256)
    for i, (r, g, b) in enumerate(np.fromfile(lut_file, dtype=np.uint8).reshape(256, 3) / 255):
        table.SetTableValue(i, r, g, b, 1)
    table.SetTableRange(*clim)
    table.Build()
    return table


class Pipeline:
    """Off-screen window, grab and JPEG writer, reused across scenes and sizes."""

    def __init__(self, multisamples):
        self.window = vtk.vtkRenderWindow()
        self.window.SetOffScreenRendering(1)
        self.window.SetMultiSamples(multisamples)
        self.renderer = vtk.vtkRenderer()
        self.renderer.SetBackground(0x1E / 255, 0x1E / 255, 0x1E / 255)
        self.window.AddRenderer(self.renderer)
        self.grab = vtk.vtkWindowToImageFilter()
        self.grab.SetInput(self.window)
        self.grab.ReadFrontBufferOff()
        self.grab.ShouldRerenderOff()  # read the frame Render() just drew; the default renders it a second time
        self.writer = vtk.vtkJPEGWriter()
        self.writer.SetInputConnection(self.grab.GetOutputPort())
        self.writer.WriteToMemoryOn()
        self.writer.SetQuality(80)
        self.actor = None

    def scene(self, positions, indices):
        """Show one mesh instead of the last; answer what renders it."""
        self.actor = self.show(polydata(positions, indices))
        self.actor.GetProperty().SetColor(0x44 / 255, 0xAA / 255, 0x88 / 255)
        return self.info()

    def points(self, positions, scalars, lut, clim, size):
        """Show a point cloud coloured by its scalars, `size` pixels a point, instead of the last scene."""
        data = cloud(positions)
        self.actor = self.show(data, colored(data, scalars, lut, clim))
        self.actor.GetProperty().SetPointSize(size)
        return self.info()

    def lines(self, vertices, segments, scalars, lut, clim, width):
        """Show line segments coloured by scalars per vertex, `width` pixels wide, instead of the last scene."""
        data = line_cells(vertices, segments)
        self.actor = self.show(data, colored(data, scalars, lut, clim))
        self.actor.GetProperty().SetLineWidth(width)
        return self.info()

    def show(self, data, table=None):
        """An actor of `data` (through `table` when given) in place of the last one, the camera reset to it."""
        if self.actor is not None:
            self.renderer.RemoveActor(self.actor)
        mapper = vtk.vtkPolyDataMapper()
        mapper.SetInputData(data)
        if table is not None:
            mapper.SetLookupTable(table)
            mapper.SetScalarRange(table.GetTableRange())
            mapper.SetScalarModeToUsePointData()
        actor = vtk.vtkActor()
        actor.SetMapper(mapper)
        self.renderer.AddActor(actor)
        self.renderer.ResetCamera()
        self.window.Render()
        return actor

    def info(self):
        """What renders the scene."""
        gl = [
            line.split(":", 1)[1].strip()
            for line in self.window.ReportCapabilities().splitlines()
            if line.startswith(("OpenGL renderer", "OpenGL version"))
        ]
        return {
            "info": {
                "version": vtk.vtkVersion.GetVTKVersion(),
                "window_class": self.window.GetClassName(),
                "gl": " ".join(gl),
                "multisamples": self.window.GetMultiSamples(),
            }
        }

    def measure(self, width, height, warmup, frames, seconds):
        """Frames/s and ms per stage of azimuth -> Render -> grab -> JPEG at one size."""
        self.window.SetSize(width, height)
        camera = self.renderer.GetActiveCamera()
        sums = {"render": 0.0, "grab": 0.0, "encode": 0.0}
        times = []
        size = 0
        start = time.perf_counter()
        for i in range(warmup + frames):
            if i == warmup:
                start = time.perf_counter()
            if i > warmup and time.perf_counter() - start > seconds:
                break
            camera.Azimuth(2)
            t0 = time.perf_counter()
            self.window.Render()
            t1 = time.perf_counter()
            self.grab.Modified()
            self.grab.Update()
            t2 = time.perf_counter()
            self.writer.Write()
            size = self.writer.GetResult().GetNumberOfTuples()
            t3 = time.perf_counter()
            if i >= warmup:
                times.append(t3 - t0)
                sums["render"] += t1 - t0
                sums["grab"] += t2 - t1
                sums["encode"] += t3 - t2
        n = len(times)
        return {
            "size": f"{width}x{height}",
            "frames": n,
            "fps": round(n / (time.perf_counter() - start), 1),
            "fps_median": round(1 / statistics.median(times), 1),
            "render_ms": round(sums["render"] * 1000 / n, 1),
            "grab_ms": round(sums["grab"] * 1000 / n, 1),
            "encode_ms": round(sums["encode"] * 1000 / n, 1),
            "jpeg_bytes": int(size),
        }


def main():
    pipeline = Pipeline(int(sys.argv[1]))
    for line in sys.stdin:
        command = json.loads(line)
        op = command.pop("op")
        answer = getattr(pipeline, op)(**command)
        print(json.dumps(answer), flush=True)
    pipeline.window.Finalize()


if __name__ == "__main__":
    main()
