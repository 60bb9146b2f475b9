"""The Viewer widget: a 3D scene rendered off-screen by the sidecar and streamed into the cell."""

from __future__ import annotations

import itertools
from typing import Any

from . import _sidecar, _validate
from ._live import LiveWidget


class Mesh:
    """A mesh in a Viewer's scene."""

    def __init__(self, viewer: Viewer, name: str, triangles: int) -> None:
        self.viewer = viewer
        self.name = name
        self.triangles = triangles

    def remove(self) -> None:
        """Take this mesh out of its Viewer's scene."""
        self.viewer.remove_mesh(self)

    def __repr__(self) -> str:
        return f"Mesh(name={self.name!r}, triangles={self.triangles})"


class Viewer(LiveWidget):
    """A live off-screen 3D view: `Viewer(width=800, height=500, background="#1e1e1e")`.

    transport: how frames travel ("auto", "loopback", "proxy", "comm"; see the `transport` trait).
    target_fps: the frame rate interactive frames aim at; size and JPEG quality adapt to reach it.
    still: the frame shown once input stops: "lossless" (PNG) or "near-lossless" (JPEG q95, full colour
    resolution, several times smaller; for slow links).
    """

    def __init__(self, width: int = 800, height: int = 500, background: Any = "#1e1e1e", **kwargs: Any) -> None:
        self._background = _validate.color(background)
        self._meshes: dict[str, Mesh] = {}
        self._mesh_numbers = itertools.count(1)
        super().__init__(width=width, height=height, **kwargs)

    def _open(
        self, sidecar: _sidecar.Sidecar, size: tuple[int | None, int | None], options: dict[str, Any]
    ) -> tuple[int, int]:
        width, height = size
        assert width is not None and height is not None
        params = {"view": self._view_id, "width": width, "height": height, "background": self._background, **options}
        sidecar.request("create_view", params)
        return width, height

    def add_mesh(self, vertices: Any, faces: Any, color: Any = "#44aa88", name: str | None = None) -> Mesh:
        """Add a triangle mesh: vertices (N, 3) numbers, faces (M, 3) integer indices into vertices."""
        verts, tris = _validate.mesh(vertices, faces)
        hex_color = _validate.color(color)
        mesh_name = self._free_name() if name is None else _validate.name(name)
        if mesh_name in self._meshes:
            raise ValueError(
                f"this Viewer already has a mesh named {mesh_name!r}; remove it first "
                f"(viewer.remove_mesh({mesh_name!r})) or pass another name"
            )
        params = {
            "view": self._view_id,
            "mesh": mesh_name,
            "color": hex_color,
            "vertices": {"dtype": "float32", "shape": list(verts.shape)},
            "faces": {"dtype": "uint32", "shape": list(tris.shape)},
        }
        result, _ = self._live().request("add_mesh", params, [verts, tris])
        mesh = Mesh(self, result.get("mesh", mesh_name), int(result.get("triangles", len(tris))))
        self._meshes[mesh.name] = mesh
        return mesh

    def remove_mesh(self, mesh: Mesh | str) -> None:
        """Take a mesh (a Mesh or its name) out of the scene."""
        name = mesh.name if isinstance(mesh, Mesh) else mesh
        known = self._meshes.get(name) if isinstance(name, str) else None
        if known is None or (isinstance(mesh, Mesh) and known is not mesh):
            raise ValueError(
                f"this Viewer has no mesh {name!r} (it was removed, or belongs to another Viewer); "
                f"its meshes are {sorted(self._meshes)}"
            )
        self._live().request("remove_mesh", {"view": self._view_id, "mesh": name})
        del self._meshes[name]

    def reset_camera(self) -> None:
        """Frame the whole scene again."""
        self._live().request("reset_camera", {"view": self._view_id})

    def _free_name(self) -> str:
        return next(name for name in (f"mesh{n}" for n in self._mesh_numbers) if name not in self._meshes)
