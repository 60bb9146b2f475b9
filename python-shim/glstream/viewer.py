"""The Viewer widget: a 3D scene rendered off-screen by the sidecar and streamed into the cell."""

from __future__ import annotations

import logging
from typing import Any, Callable, TypeVar

from . import _sidecar, _validate
from . import _validate_scene as check
from ._live import LiveWidget
from ._replay import STORE
from ._scene import Lines, Mesh, Pick, Points, ScalarBar, SceneObject, Slices

log = logging.getLogger("glstream")

PickCallback = TypeVar("PickCallback", bound=Callable[[Pick], Any])
Kind = TypeVar("Kind", bound=SceneObject)


class Viewer(LiveWidget):
    """A live off-screen 3D view: `Viewer(width=800, height=500, background="#1e1e1e")`.

    transport: how frames travel ("auto", "loopback", "proxy", "comm"; see the `transport` trait).
    target_fps: the frame rate interactive frames aim at; size and JPEG quality adapt to reach it.
    still: the frame shown once input stops: "lossless" (PNG) or "near-lossless" (JPEG q95, full colour
    resolution, several times smaller; for slow links).

    Until the code sets the camera or the user moves it, every change of the scene frames all of it.
    """

    def __init__(self, width: int = 800, height: int = 500, background: Any = "#1e1e1e", **kwargs: Any) -> None:
        self._background = _validate.color(background)
        self._objects: dict[str, SceneObject] = {}
        # the number in the last default name given per kind ("mesh3" → 3); names are not reused
        self._name_numbers: dict[str, int] = {}
        self._pick_callbacks: list[Callable[[Pick], Any]] = []
        self._scalar_bar: ScalarBar | None = None
        # the Viewers whose cameras move with this one's (itself included), one set shared by the group
        self._linked: set[Viewer] | None = None
        super().__init__(width=width, height=height, **kwargs)

    def _open(
        self, sidecar: _sidecar.Sidecar, size: tuple[int | None, int | None], options: dict[str, Any]
    ) -> tuple[int, int]:
        width, height = size
        assert width is not None and height is not None
        params = {"view": self._view_id, "width": width, "height": height, "background": self._background, **options}
        sidecar.request("create_view", params)
        return width, height

    def _reopen(self, sidecar: _sidecar.Sidecar, added: set[str]) -> None:
        self._open(sidecar, (self.width, self.height), self._view_options)
        # the camera before the objects: no frame of the restored view shows them from the framing's default
        notice = self._camera_notice
        if notice is not None and not notice["follows"] and isinstance(notice["camera"], dict):
            camera = {key: notice["camera"][key] for key in check.CAMERA_KEYS if key in notice["camera"]}
            sidecar.request("set_camera", {"view": self._view_id, **camera})
        missing = []
        for view_name, obj in list(self._objects.items()):
            obj._sidecar = sidecar
            record = STORE.get(obj._id)
            if obj._id in added:
                sidecar.request("show_object", {"view": self._view_id, "object": obj._id, "name": view_name})
            elif record is None or record.dropped is not None:
                # gone from the renderer, so gone from this view: its name is free for the data added again
                missing.append(f"{obj._label} ({record.dropped if record else 'GLSTREAM_REPLAY_MB is 0'})")
                del self._objects[view_name]
                obj._views.pop(self, None)
                if not obj._views:
                    STORE.forget(obj._id)
            else:
                specs, buffers = check.arrays(record.arrays, obj._label)
                params = {"view": self._view_id, "object": obj._id, "name": view_name, "kind": record.kind}
                sidecar.request("add_object", {**params, "style": record.style, "arrays": specs}, buffers)
                added.add(obj._id)
        bar = self._scalar_bar
        if bar is not None and bar.object._id in added:
            params = {"view": self._view_id, "object": bar.object._id, "title": bar.title}
            sidecar.request("add_scalar_bar", params)
        elif bar is not None:
            self._scalar_bar = None
        if missing:
            self.error = (
                f"The renderer restarted; this view came back without {', '.join(missing)}: glstream kept no copy of "
                "its data to send again. Add it again (add_mesh(...), add_points(...), ...); raise "
                "GLSTREAM_REPLAY_MB to keep bigger scenes."
            )

    def _restore_links(self, sidecar: _sidecar.Sidecar) -> None:
        linked = sorted(self._linked or (), key=lambda viewer: int(viewer._view_id[1:]))
        if len(linked) > 1 and linked[0] is self:
            sidecar.request("link_cameras", {"views": [viewer._view_id for viewer in linked]})

    def add_mesh(
        self,
        vertices: Any,
        faces: Any,
        color: Any = None,
        scalars: Any = None,
        cmap: Any = "viridis",
        clim: Any = None,
        opacity: float = 1.0,
        shading: str = "smooth",
        name: str | None = None,
    ) -> Mesh:
        """Add a triangle mesh: vertices (N, 3) numbers, faces (M, 3) integer indices into vertices.

        color: '#rrggbb' or (r, g, b) in 0..1 (default '#44aa88'), used without scalars. scalars: (N,) values per
        vertex or (M,) per face, coloured through cmap (a matplotlib colormap name, a Colormap or a (256, 3) array)
        over clim=(min, max) (default: the scalars' range). opacity: 0..1. shading: "smooth" or "flat".
        """
        settings = {"vertices": vertices, "faces": faces, "color": color, "scalars": scalars, "cmap": cmap}
        return self._add_new(Mesh, name, {**settings, "clim": clim, "opacity": opacity, "shading": shading})

    def add_points(
        self,
        points: Any,
        size: float = 4.0,
        color: Any = None,
        scalars: Any = None,
        cmap: Any = "viridis",
        clim: Any = None,
        name: str | None = None,
    ) -> Points:
        """Add round points: points (N, 3), size in CSS pixels; colours as in add_mesh, scalars (N,) per point."""
        settings = {"points": points, "size": size, "color": color, "scalars": scalars, "cmap": cmap, "clim": clim}
        return self._add_new(Points, name, settings)

    def add_lines(
        self,
        lines: Any,
        width: float = 2.0,
        color: Any = None,
        scalars: Any = None,
        cmap: Any = "viridis",
        clim: Any = None,
        name: str | None = None,
    ) -> Lines:
        """Add lines: a list of (K, 3) polylines (K >= 2), or a tuple (vertices (N, 3), segments (S, 2)).

        width: CSS pixels. scalars: per vertex ((N,), or for polylines a list of (K,) arrays) or per segment
        ((S,)); colours as in add_mesh.
        """
        settings = {"lines": lines, "width": width, "color": color, "scalars": scalars, "cmap": cmap, "clim": clim}
        return self._add_new(Lines, name, settings)

    def add_slices(
        self,
        volume: Any,
        spacing: Any = (1, 1, 1),
        origin: Any = (0, 0, 0),
        index: Any = None,
        cmap: Any = "gray",
        clim: Any = None,
        name: str | None = None,
    ) -> Slices:
        """Add three orthogonal planes through a volume (Z, Y, X) of numbers, coloured by its values.

        spacing, origin: (dz, dy, dx) and (oz, oy, ox) in the array's axis order (voxel (z, y, x) is at world
        x = ox + x*dx, y = oy + y*dy, z = oz + z*dz). index: the (z, y, x) voxel the planes go through (default:
        the centre). cmap and clim as in add_mesh (default clim: the volume's range).
        """
        settings = {"volume": volume, "spacing": spacing, "origin": origin, "index": index}
        return self._add_new(Slices, name, {**settings, "cmap": cmap, "clim": clim})

    def add(self, obj: SceneObject, name: str | None = None) -> SceneObject:
        """Show an object of another Viewer here too: its data stays in the renderer once, shared.

        name: its name in this Viewer (default: its own name, or a fresh one if this Viewer already uses it).
        """
        if not isinstance(obj, SceneObject):
            raise TypeError(f"add() takes a Mesh, Points, Lines or Slices of another Viewer; got {type(obj).__name__}")
        sidecar = self._live()
        if self in obj._views:
            raise ValueError(f"this Viewer already shows {obj._label} as {obj._views[self]!r}")
        if obj._live() is not sidecar:
            raise ValueError(
                f"{obj._label} is held by another renderer process than this Viewer's (the renderer was restarted "
                f"since); add its data again with add_{obj.kind}(...)"
            )
        wanted = name if name is not None or obj.name in self._objects else obj.name
        view_name = self._new_name(obj.kind, wanted)
        sidecar.request("show_object", {"view": self._view_id, "object": obj._id, "name": view_name})
        self._show(obj, view_name)
        return obj

    def remove(self, obj: SceneObject | str) -> None:
        """Take an object (or the object of that name) out of this Viewer; other Viewers keep showing it."""
        found = self._find(obj)
        sidecar = self._live()
        if self._scalar_bar is not None and self._scalar_bar.object is found:
            self._remove_scalar_bar(self._scalar_bar)
        sidecar.request("remove_object", {"view": self._view_id, "object": found._id})
        del self._objects[found._views.pop(self)]
        if not found._views:
            STORE.forget(found._id)

    def remove_mesh(self, mesh: Mesh | str) -> None:
        """Take a mesh (a Mesh or its name) out of the scene."""
        found = self._objects.get(mesh) if isinstance(mesh, str) else mesh
        if not isinstance(found, Mesh) or self not in found._views:
            meshes = sorted(key for key, value in self._objects.items() if isinstance(value, Mesh))
            raise ValueError(
                f"this Viewer has no mesh {mesh.name if isinstance(mesh, Mesh) else mesh!r} (it was removed, or "
                f"belongs to another Viewer); its meshes are {meshes}"
            )
        self.remove(found)

    def add_scalar_bar(self, obj: SceneObject | str, title: str = "") -> ScalarBar:
        """Show the colour scale of an object coloured by scalars (or of slices) at the view's right edge, with
        its range; drawn in frames and snapshots. A Viewer shows one bar: a new one replaces the last."""
        found = self._find(obj)
        if not isinstance(title, str):
            raise TypeError(f"title must be a string; got {type(title).__name__}")
        if not found._has_colormap:
            raise ValueError(
                f"{found._label} is drawn in one colour, so it has no colour scale to show; "
                "give it scalars (update(scalars=...)) first"
            )
        self._live().request("add_scalar_bar", {"view": self._view_id, "object": found._id, "title": title})
        self._scalar_bar = ScalarBar(self, found, title)
        return self._scalar_bar

    @property
    def camera(self) -> dict[str, Any]:
        """The camera: {"position": (x, y, z), "target": (x, y, z), "up": (x, y, z), "fov": degrees (vertical)}.

        Set any of them (`viewer.camera = {"position": (0, 0, 4)}`): from then on changes of the scene leave the
        camera where it is, until reset_camera().
        """
        result, _ = self._live().request("get_camera", {"view": self._view_id})
        camera: dict[str, Any] = {key: tuple(float(c) for c in result[key]) for key in check.CAMERA_KEYS[:3]}
        camera["fov"] = float(result["fov"])
        return camera

    @camera.setter
    def camera(self, value: dict[str, Any]) -> None:
        params = check.camera(value)
        self._live().request("set_camera", {"view": self._view_id, **params})

    def reset_camera(self) -> None:
        """Frame the whole scene again; changes of the scene frame it again from now on."""
        self._live().request("reset_camera", {"view": self._view_id})

    def pick(self, x: float, y: float) -> Pick | None:
        """What is drawn at (x, y) CSS pixels from the view's top-left corner: a Pick, or None for the background."""
        px, py = check.pixel(x, y, self.width, self.height)
        result, _ = self._live().request("pick", {"view": self._view_id, "x": px, "y": py})
        hit = result.get("pick")
        return None if hit is None else Pick._from_reply(hit)

    def on_pick(self, callback: PickCallback) -> PickCallback:
        """Call `callback(pick)` when the user clicks on something in the view (a press and release without a
        drag); usable as a decorator. An exception in it is logged and does not stop the view."""
        if not callable(callback):
            raise TypeError(f"on_pick takes a function of one Pick; got {type(callback).__name__}")
        self._pick_callbacks.append(callback)
        return callback

    def _clicked(self, x: float, y: float) -> None:
        if not self._pick_callbacks:
            return
        hit = self.pick(x, y)
        if hit is None:
            return
        for callback in list(self._pick_callbacks):
            try:
                callback(hit)
            except Exception:
                log.exception("glstream: the on_pick callback %r failed", callback)

    def _add_new(self, kind: type[Kind], name: str | None, settings: dict[str, Any]) -> Kind:
        sidecar = self._live()
        view_name = self._new_name(kind.kind, name)
        obj = kind(view_name, sidecar)
        style, arrays, obj._state = obj._plan(settings, new=True)
        specs, buffers = check.arrays(arrays, obj._label)
        params = {"view": self._view_id, "object": obj._id, "name": view_name, "kind": kind.kind, "style": style}
        sidecar.request("add_object", {**params, "arrays": specs}, buffers)
        STORE.added(obj._id, kind.kind, style, arrays)
        self._show(obj, view_name)
        return obj

    def _show(self, obj: SceneObject, name: str) -> None:
        self._objects[name] = obj
        obj._views[self] = name
        number = name[len(obj.kind) :]
        if name.startswith(obj.kind) and number.isdecimal():
            self._name_numbers[obj.kind] = max(self._name_numbers.get(obj.kind, 0), int(number))

    def _new_name(self, kind: str, name: str | None) -> str:
        if name is None:
            # the next number, taken only once the object is shown (a refused add leaves it free)
            number = self._name_numbers.get(kind, 0) + 1
            while f"{kind}{number}" in self._objects:
                number += 1
            return f"{kind}{number}"
        name = _validate.name(name)
        if name in self._objects:
            raise ValueError(
                f"this Viewer already has a {self._objects[name].kind} named {name!r}; remove it first "
                f"(viewer.remove({name!r})) or pass another name"
            )
        return name

    def _find(self, obj: SceneObject | str) -> SceneObject:
        if isinstance(obj, str):
            if obj not in self._objects:
                raise ValueError(f"this Viewer has no object named {obj!r}; its objects are {sorted(self._objects)}")
            return self._objects[obj]
        if not isinstance(obj, SceneObject):
            raise TypeError(f"expected a Mesh, Points, Lines or Slices, or its name; got {type(obj).__name__}")
        if self not in obj._views:
            raise ValueError(
                f"this Viewer does not show {obj._label} (it was removed, or belongs to another Viewer); "
                f"its objects are {sorted(self._objects)}"
            )
        return obj

    def _remove_scalar_bar(self, bar: ScalarBar) -> None:
        if self._scalar_bar is not bar:
            raise ValueError("this scalar bar is gone already: it was removed, or a newer one replaced it")
        self._live().request("remove_scalar_bar", {"view": self._view_id})
        self._scalar_bar = None

    def _release(self) -> None:
        # the sidecar lets go of this view's objects when it closes the view
        for obj in self._objects.values():
            obj._views.pop(self, None)
            if not obj._views:
                STORE.forget(obj._id)
        self._objects.clear()
        self._scalar_bar = None
        _unlink(self)


def _open_viewers(viewers: tuple[Any, ...], least: int, what: str) -> _sidecar.Sidecar:
    if len(viewers) < least:
        raise ValueError(f"{what} takes at least {least} Viewer{'s' if least > 1 else ''}; got {len(viewers)}")
    for i, viewer in enumerate(viewers):
        if not isinstance(viewer, Viewer):
            raise TypeError(f"{what} takes Viewers; argument {i} is a {type(viewer).__name__}")
        if viewer._closed or viewer._sidecar is None:
            raise ValueError(f"{what}: Viewer {i} is closed")
    if len({id(viewer) for viewer in viewers}) != len(viewers):
        raise ValueError(f"{what}: each Viewer may be passed once")
    sidecar = viewers[0]._sidecar
    if any(viewer._sidecar is not sidecar for viewer in viewers):
        raise ValueError(
            f"{what}: the Viewers are drawn by different renderer processes (it was restarted in between); "
            "create the older ones again"
        )
    assert sidecar is not None
    return sidecar


def link_cameras(*viewers: Viewer) -> None:
    """Make the Viewers' cameras move together: all take the first one's camera now, and a drag in any moves all."""
    sidecar = _open_viewers(viewers, 2, "link_cameras")
    sidecar.request("link_cameras", {"views": [viewer._view_id for viewer in viewers]})
    # as the renderer groups them (render/camera-link.ts): the viewers and all already linked to any of them
    group: set[Viewer] = set()
    for viewer in viewers:
        group |= viewer._linked or {viewer}
    for viewer in group:
        viewer._linked = group


def unlink_cameras(*viewers: Viewer) -> None:
    """Let each of the Viewers' cameras move on its own again."""
    sidecar = _open_viewers(viewers, 1, "unlink_cameras")
    for viewer in viewers:
        sidecar.request("unlink_camera", {"view": viewer._view_id})
        _unlink(viewer)


def _unlink(viewer: Viewer) -> None:
    group, viewer._linked = viewer._linked, None
    if group is None:
        return
    group.discard(viewer)
    if len(group) == 1:
        for last in group:
            last._linked = None
