"""Shared data, after FSLeyes' resources module: a mesh shown in six views is held once and freed with the last view."""

import numpy as np
from _helpers import rss_bytes, wait_until

from glstream import Viewer

MIB = 1 << 20


def _grid(side):
    """A side x side grid of vertices: 2 (side - 1)^2 triangles."""
    u, v = np.meshgrid(np.linspace(-1, 1, side), np.linspace(-1, 1, side))
    vertices = np.column_stack([u.ravel(), v.ravel(), 0.2 * np.sin(4 * u.ravel()) * np.cos(4 * v.ravel())])
    i = np.arange(side - 1)
    corner = (i[:, None] * side + i[None, :]).ravel()
    lower = np.column_stack([corner, corner + 1, corner + side])
    upper = np.column_stack([corner + 1, corner + side + 1, corner + side])
    return vertices.astype(np.float32), np.concatenate([lower, upper]).astype(np.uint32)


def _drawn(viewers):
    for viewer in viewers:
        viewer.snapshot()


def test_a_million_triangles_in_six_views_cost_about_one_upload_and_are_given_back(real_sidecar):
    vertices, faces = _grid(708)
    assert len(faces) >= 999_000
    viewers = [Viewer(width=64, height=64) for _ in range(6)]
    try:
        pid = viewers[0].sidecar.pid
        _drawn(viewers)
        base = rss_bytes(pid)
        mesh = viewers[0].add_mesh(vertices, faces)
        viewers[0].snapshot()
        one = rss_bytes(pid) - base
        assert one > 20 * MIB, f"showing a million triangles grew the renderer by only {one / MIB:.1f} MiB"
        for viewer in viewers[1:]:
            viewer.add(mesh)
            viewer.snapshot()
        six = rss_bytes(pid) - base
        print(f"renderer growth: one view {one / MIB:.1f} MiB, six views {six / MIB:.1f} MiB")
        assert six < 2 * one, f"six views grew the renderer by {six / MIB:.1f} MiB, one view by {one / MIB:.1f} MiB"
        mesh.remove()
        assert mesh.viewers == ()
        peak = base + six

        def released():
            _drawn(viewers)
            return rss_bytes(pid) < peak - six / 4

        wait_until(released, timeout=30, what="the renderer to free the mesh after it left every view")
        # Mesa's first draw of a million triangles compiles its shaders and grows the vertex buffer it keeps for the
        # context's life (about 40 MiB, reused by every later draw): the driver's, not the mesh's. So what a mesh
        # gives back is measured from there: the same mesh again in six views, then removed from all of them.
        before = rss_bytes(pid)
        again = viewers[0].add_mesh(vertices, faces)
        for viewer in viewers[1:]:
            viewer.add(again)
        _drawn(viewers)
        peak = rss_bytes(pid)
        assert peak - before > 20 * MIB, f"the mesh shown again grew the renderer by {(peak - before) / MIB:.1f} MiB"
        again.remove()

        def given_back():
            _drawn(viewers)
            return rss_bytes(pid) < 1.1 * before

        wait_until(given_back, timeout=30, what="the renderer's memory to come back after the mesh left every view")
        print(
            f"before {before / MIB:.0f} MiB, with the mesh in six views {peak / MIB:.0f} MiB, "
            f"after its removal {rss_bytes(pid) / MIB:.0f} MiB"
        )
    finally:
        for viewer in viewers:
            viewer.close()
