"""What the kernel keeps to rebuild the scenes of a renderer that died: per object, its kind, its style and an
immutable copy of the last arrays sent for it.

An update replaces arrays by name and merges style, so what is kept is one object's latest data, however many
updates it had. The copies cost as much memory as the arrays themselves; GLSTREAM_REPLAY_MB bounds them (default
1024, 0 keeps none). An object whose arrays would go over the bound is not kept: after a restart its views come back
without it and say so.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field
from typing import Any

import numpy as np

REPLAY_MB_DEFAULT = 1024.0
MB = 1 << 20


def limit_bytes() -> int:
    """GLSTREAM_REPLAY_MB in bytes: a number of MiB >= 0 (0: keep nothing)."""
    text = os.environ.get("GLSTREAM_REPLAY_MB")
    if not text:
        return int(REPLAY_MB_DEFAULT * MB)
    try:
        value = float(text)
    except ValueError as error:
        raise ValueError(f"GLSTREAM_REPLAY_MB must be a number of MiB; got {text!r}") from error
    if not value >= 0:
        raise ValueError(f"GLSTREAM_REPLAY_MB must be 0 or more MiB; got {text!r}")
    return int(value * MB)


@dataclass
class Record:
    """One object as the renderer last got it: add_object's kind and style, and its arrays by name."""

    kind: str
    style: dict[str, Any]
    arrays: dict[str, np.ndarray] = field(default_factory=dict)
    # why it is not kept, once it is not
    dropped: str | None = None

    @property
    def nbytes(self) -> int:
        return sum(array.nbytes for array in self.arrays.values())


def _frozen(array: np.ndarray) -> np.ndarray:
    # a copy: the caller's array may change after it was sent; read-only, so that nothing here changes it either
    copy = np.array(array, copy=True, order="C")
    copy.setflags(write=False)
    return copy


class ReplayStore:
    """The records of every object some open Viewer shows, within GLSTREAM_REPLAY_MB."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._records: dict[str, Record] = {}
        self._bytes = 0

    def added(self, object_id: str, kind: str, style: dict[str, Any], arrays: dict[str, np.ndarray]) -> None:
        """An object was added with this style and these arrays."""
        with self._lock:
            self._forget(object_id)
            record = Record(kind, dict(style))
            self._records[object_id] = record
            self._keep(record, arrays)

    def updated(self, object_id: str, style: dict[str, Any], arrays: dict[str, np.ndarray]) -> None:
        """An object's style was merged with `style` and its arrays of these names replaced."""
        with self._lock:
            record = self._records.get(object_id)
            if record is None:
                return
            record.style.update(style)
            if record.dropped is None:
                self._keep(record, arrays)

    def forget(self, object_id: str) -> None:
        """No open Viewer shows the object any more."""
        with self._lock:
            self._forget(object_id)

    def get(self, object_id: str) -> Record | None:
        """The object's record (arrays are read-only), or None if it was never recorded."""
        with self._lock:
            return self._records.get(object_id)

    def usage(self) -> dict[str, Any]:
        with self._lock:
            dropped = [record for record in self._records.values() if record.dropped is not None]
            return {
                "bytes": self._bytes,
                "limit_bytes": limit_bytes(),
                "objects_kept": len(self._records) - len(dropped),
                "objects_dropped": len(dropped),
            }

    def _keep(self, record: Record, arrays: dict[str, np.ndarray]) -> None:
        merged = {**record.arrays, **arrays}
        size = sum(array.nbytes for array in merged.values())
        limit = limit_bytes()
        if self._bytes - record.nbytes + size > limit:
            self._bytes -= record.nbytes
            record.arrays = {}
            record.dropped = (
                f"its arrays ({size / MB:.1f} MiB) did not fit in GLSTREAM_REPLAY_MB={limit / MB:g} MiB with "
                f"the other objects kept ({self._bytes / MB:.1f} MiB)"
            )
            return
        self._bytes += size - record.nbytes
        record.arrays = {name: (array if name not in arrays else _frozen(array)) for name, array in merged.items()}

    def _forget(self, object_id: str) -> None:
        record = self._records.pop(object_id, None)
        if record is not None:
            self._bytes -= record.nbytes


STORE = ReplayStore()


def replay_usage() -> dict[str, Any]:
    """What glstream keeps in this kernel to rebuild scenes after a renderer crash.

    Every Viewer object's last arrays are kept as a read-only copy (as much memory again as the arrays sent; an
    update replaces them, so the figure does not grow with updates), within GLSTREAM_REPLAY_MB (MiB, default 1024;
    0 keeps none). An object that does not fit is not kept: after a restart its views come back without it and
    say so. Returns {"bytes": kept, "limit_bytes": the bound, "objects_kept": n, "objects_dropped": n}.
    """
    return STORE.usage()
