"""What a Viewer shows: meshes, points, lines and slices of a volume, each held once by the sidecar and shown by
any number of Viewers (the sidecar frees it when none shows it any more); the scalar bar; what a pick found."""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING, Any, ClassVar, NamedTuple

from . import _colormaps, _supervisor, _validate
from . import _validate_scene as check
from ._replay import STORE

if TYPE_CHECKING:
    import numpy as np

    from ._sidecar import Sidecar
    from .viewer import Viewer

# object ids are global to the sidecar (a Viewer names its objects itself), so one counter for the process
_object_ids = itertools.count(1)


class Pick(NamedTuple):
    """What is under a pixel of a view.

    object: the object's name in that view; kind: "mesh", "points", "lines" or "slices"; index: the face, point or
    segment (a (z, y, x) voxel for slices); position: the world point hit; vertex: the nearest vertex (the point
    itself for points, None for slices); value: the scalar there, or the volume's value (None without scalars).
    """

    object: str
    kind: str
    index: int | tuple[int, int, int]
    position: tuple[float, float, float]
    vertex: int | None
    value: float | None

    @classmethod
    def _from_reply(cls, hit: dict[str, Any]) -> Pick:
        index = hit["index"]
        return cls(
            object=str(hit["name"]),
            kind=str(hit["kind"]),
            index=tuple(int(i) for i in index) if isinstance(index, list) else int(index),
            position=tuple(float(c) for c in hit["position"]),
            vertex=None if hit.get("vertex") is None else int(hit["vertex"]),
            value=None if hit.get("value") is None else float(hit["value"]),
        )


class SceneObject:
    """Data shown in one or more Viewers of one renderer; change it with `update()`, take it away with `remove()`."""

    kind: ClassVar[str]
    _UPDATES: ClassVar[tuple[str, ...]]

    def __init__(self, name: str, sidecar: Sidecar) -> None:
        self._id = f"o{next(_object_ids)}"
        self._name = name
        self._sidecar = sidecar
        # each Viewer that shows it, with the name it has there
        self._views: dict[Viewer, str] = {}
        self._state: dict[str, Any] = {}

    @property
    def name(self) -> str:
        """The name given when it was added (another Viewer may show it under another name)."""
        return self._name

    @property
    def viewers(self) -> tuple[Viewer, ...]:
        """The open Viewers that show it."""
        return tuple(self._views)

    @property
    def _has_colormap(self) -> bool:
        # coloured through a colormap, so a scalar bar can show its scale
        return self._state.get("scalars") is not None

    def update(self, **changes: Any) -> None:
        """Change data or style in place; every Viewer showing it redraws. All is checked before anything is sent."""
        unknown = sorted(set(changes) - set(self._UPDATES))
        if unknown:
            raise TypeError(
                f"{type(self).__name__}.update() takes {', '.join(self._UPDATES)}; got {', '.join(unknown)}"
            )
        sidecar = self._live()
        style, arrays, state = self._plan(changes, new=False)
        specs, buffers = check.arrays(arrays, f"the update of {self._label}")
        if style or specs:
            sidecar.request("update_object", {"object": self._id, "style": style, "arrays": specs}, buffers)
            STORE.updated(self._id, style, arrays)
        self._state = state

    def remove(self) -> None:
        """Take it out of every Viewer that shows it; the renderer frees its data."""
        self._live()
        for viewer in list(self._views):
            viewer.remove(self)

    def _live(self) -> Sidecar:
        if not self._views:
            raise ValueError(
                f"{self._label} is in no open Viewer (it was removed, or the Viewers that showed it were closed), "
                f"so the renderer no longer holds its data; add it again with add_{self.kind}(...)"
            )
        # while the renderer restarts, wait for it; then the object is held by the new one
        _supervisor.settled(self._sidecar)
        return self._sidecar

    @property
    def _label(self) -> str:
        return f"{self.kind} {self._name!r}"

    def _plan(self, changes: dict[str, Any], new: bool) -> tuple[dict[str, Any], dict[str, np.ndarray], dict[str, Any]]:
        """Check `changes` (every setting when `new`) against the current state; return the style and arrays to
        send and the state after them. Changes nothing."""
        raise NotImplementedError


class _Colored(SceneObject):
    """An object drawn in one colour, or coloured by scalars per element through a colormap over a range."""

    _COLOR: ClassVar[str]

    def _colors(
        self,
        changes: dict[str, Any],
        state: dict[str, Any],
        counts: dict[str, int],
        style: dict[str, Any],
        arrays: dict[str, np.ndarray],
        new: bool,
    ) -> None:
        """Add the colour part of `changes` to style and arrays; `counts` are the element counts scalars may
        follow after the change, the first preferred when two are equal."""
        if new or "color" in changes:
            color = changes.get("color")
            style["color"] = _validate.color(self._COLOR if color is None else color)
        if new or "cmap" in changes:
            state["lut"] = _colormaps.lut(changes["cmap"])
        if new or "clim" in changes:
            state["clim"] = check.clim(changes.get("clim"))
        had = state.get("scalars")
        scalars = changes.get("scalars")
        if scalars is not None:
            values = check.scalars(scalars, counts, self._label)
            state.update(
                scalars=len(values),
                per=next(kind for kind, count in counts.items() if count == len(values)),
                range=check.data_range(values),
            )
            arrays["scalars"] = values
        elif "scalars" in changes and not new:
            raise ValueError(
                f"the scalars of {self._label} can be replaced but not taken away; to draw it in one colour, "
                "remove it and add it again without scalars"
            )
        elif had is not None and counts[state["per"]] != had:
            raise ValueError(
                f"{self._label} has {had} scalars, one per {state['per']}, but would have "
                f"{check.counted(counts[state['per']], state['per'])}; pass new scalars with the new data: "
                "update(..., scalars=...)"
            )
        if state.get("scalars") is None:
            return
        if new or "clim" in changes or had is None or ("scalars" in arrays and state["clim"] is None):
            style["clim"] = list(state["clim"] or state["range"])
        if new or "cmap" in changes or had is None:
            arrays["lut"] = state["lut"]


class Mesh(_Colored):
    """A triangle mesh in one colour, or coloured by scalars per vertex or per face."""

    kind = "mesh"
    _COLOR = "#44aa88"
    _UPDATES = ("vertices", "faces", "scalars", "color", "opacity", "shading", "clim", "cmap")

    @property
    def triangles(self) -> int:
        """How many triangles it has."""
        return self._state["faces"]

    def _plan(self, changes: dict[str, Any], new: bool) -> tuple[dict[str, Any], dict[str, np.ndarray], dict[str, Any]]:
        state, style, arrays = dict(self._state), {}, {}
        if new or {"vertices", "faces"} <= set(changes):
            arrays["vertices"], arrays["faces"] = _validate.mesh(changes["vertices"], changes["faces"])
        elif "vertices" in changes:
            arrays["vertices"] = _validate.float32_rows(
                _validate.rows(changes["vertices"], _validate.VERTICES), "vertices"
            )
            if len(arrays["vertices"]) != state["vertices"]:
                raise ValueError(
                    f"{self._label} has {state['vertices']} vertices and its faces index them; "
                    f"{len(arrays['vertices'])} new vertices need new faces too: update(vertices=..., faces=...)"
                )
        elif "faces" in changes:
            faces = _validate.rows(changes["faces"], _validate.FACES)
            arrays["faces"] = _validate.uint32_indices(faces, state["vertices"], "faces")
        for key in ("vertices", "faces"):
            if key in arrays:
                state[key] = len(arrays[key])
        if new or "opacity" in changes:
            style["opacity"] = check.number(changes["opacity"], "opacity", 0, 1)
        if new or "shading" in changes:
            style["shading"] = check.one_of(changes["shading"], "shading", ("smooth", "flat"))
        self._colors(changes, state, {"vertex": state["vertices"], "face": state["faces"]}, style, arrays, new)
        return style, arrays, state

    def __repr__(self) -> str:
        return f"Mesh(name={self._name!r}, triangles={self.triangles})"


class Points(_Colored):
    """Round points of a size in CSS pixels, in one colour or coloured by scalars per point."""

    kind = "points"
    _COLOR = "#ffcc33"
    _UPDATES = ("points", "scalars", "color", "size", "clim", "cmap")

    def _plan(self, changes: dict[str, Any], new: bool) -> tuple[dict[str, Any], dict[str, np.ndarray], dict[str, Any]]:
        state, style, arrays = dict(self._state), {}, {}
        if new or "points" in changes:
            points = _validate.rows(changes["points"], _validate.POINTS)
            arrays["points"] = _validate.float32_rows(points, "points")
            state["points"] = len(points)
        if new or "size" in changes:
            style["size"] = check.css_pixels(changes["size"], "size")
        self._colors(changes, state, {"point": state["points"]}, style, arrays, new)
        return style, arrays, state

    def __repr__(self) -> str:
        return f"Points(name={self._name!r}, points={self._state['points']})"


class Lines(_Colored):
    """Line segments of a width in CSS pixels, in one colour or coloured by scalars per vertex or per segment."""

    kind = "lines"
    _COLOR = "#66ccff"
    _UPDATES = ("lines", "scalars", "color", "width", "clim", "cmap")

    def _plan(self, changes: dict[str, Any], new: bool) -> tuple[dict[str, Any], dict[str, np.ndarray], dict[str, Any]]:
        state, style, arrays = dict(self._state), {}, {}
        if new or "lines" in changes:
            arrays["vertices"], arrays["segments"] = check.lines(changes["lines"])
            state.update(vertices=len(arrays["vertices"]), segments=len(arrays["segments"]))
        if new or "width" in changes:
            style["width"] = check.css_pixels(changes["width"], "width")
        if changes.get("scalars") is not None:
            changes = {**changes, "scalars": check.joined_scalars(changes["scalars"])}
        counts = {"vertex": state["vertices"], "segment": state["segments"]}
        self._colors(changes, state, counts, style, arrays, new)
        return style, arrays, state

    def __repr__(self) -> str:
        return f"Lines(name={self._name!r}, segments={self._state['segments']})"


class Slices(SceneObject):
    """Three orthogonal planes through a voxel of a volume, coloured by its values through a colormap."""

    kind = "slices"
    _UPDATES = ("volume", "index", "spacing", "origin", "clim", "cmap")

    @property
    def _has_colormap(self) -> bool:
        return True

    @property
    def index(self) -> tuple[int, int, int]:
        """The (z, y, x) voxel the planes go through."""
        return self._state["index"]

    def _plan(self, changes: dict[str, Any], new: bool) -> tuple[dict[str, Any], dict[str, np.ndarray], dict[str, Any]]:
        state, style, arrays = dict(self._state), {}, {}
        if new or "volume" in changes:
            arrays["volume"] = check.volume(changes["volume"])
            if not new and arrays["volume"].shape != state["shape"]:
                raise ValueError(
                    f"the new volume has shape {arrays['volume'].shape}, but {self._label} show one of shape "
                    f"{state['shape']}; pass a volume of the same shape, or add new slices"
                )
            state.update(shape=arrays["volume"].shape, range=check.data_range(arrays["volume"]))
        if new or "spacing" in changes:
            style["spacing"] = list(check.triple(changes["spacing"], "spacing", positive_only=True))
        if new or "origin" in changes:
            style["origin"] = list(check.triple(changes["origin"], "origin"))
        if new or "index" in changes:
            index = changes.get("index")
            state["index"] = (
                tuple(side // 2 for side in state["shape"]) if index is None else check.voxel(index, state["shape"])
            )
            style["index"] = list(state["index"])
        if new or "cmap" in changes:
            state["lut"] = arrays["lut"] = _colormaps.lut(changes["cmap"])
        if new or "clim" in changes:
            state["clim"] = check.clim(changes.get("clim"))
        if new or "clim" in changes or ("volume" in arrays and state["clim"] is None):
            style["clim"] = list(state["clim"] or state["range"])
        return style, arrays, state

    def __repr__(self) -> str:
        return f"Slices(name={self._name!r}, shape={self._state['shape']}, index={self.index})"


class ScalarBar:
    """A Viewer's colour legend of one object's colormap and range; a Viewer shows at most one."""

    def __init__(self, viewer: Viewer, obj: SceneObject, title: str) -> None:
        self._viewer = viewer
        self._object = obj
        self._title = title

    @property
    def title(self) -> str:
        """The title above the bar."""
        return self._title

    @property
    def object(self) -> SceneObject:
        """The object whose colours it shows."""
        return self._object

    def remove(self) -> None:
        """Take the bar out of its Viewer."""
        self._viewer._remove_scalar_bar(self)

    def __repr__(self) -> str:
        return f"ScalarBar(object={self._object.name!r}, title={self.title!r})"
