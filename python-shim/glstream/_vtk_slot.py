"""The shared-memory slot a VTK stream reads its frames into, and the sidecar reads as /dev/shm/<name>.

A plain file in /dev/shm rather than multiprocessing.shared_memory: before Python 3.13 (track=False) that class
hands every segment to a resource-tracker process, started on first use, which prints a KeyError traceback when a
segment taken off its list is unlinked, and reports the others as leaked. And this file's name says whose it is,
should a crashed kernel leave one behind.
"""

from __future__ import annotations

import atexit
import contextlib
import itertools
import mmap
import os
import re
import weakref
from typing import Any

import numpy as np

SHM_DIR = "/dev/shm"
_numbers = itertools.count(1)
_open_slots: weakref.WeakSet[Slot] = weakref.WeakSet()


class Slot:
    """One frame's RGBA pixels, growing with the frames; used by one thread at a time."""

    def __init__(self, tag: str) -> None:
        self._tag = re.sub(r"[^A-Za-z0-9_.-]", "_", tag)[:64]
        self.name: str | None = None
        self._map: mmap.mmap | None = None
        self._array: Any = None  # a vtkUnsignedCharArray over the map, its numpy view and its size
        _open_slots.add(self)

    def array(self, width: int, height: int) -> Any:
        """A vtkUnsignedCharArray of width*height RGBA tuples whose memory is the slot's first width*height*4 bytes.

        VTK's GetRGBACharPixelData writes straight into it (it reallocates only an array of the wrong size), so the
        pixels land in shared memory with no copy.
        """
        if self._array is not None and self._array[2] == (width, height):
            return self._array[0]
        from vtkmodules.util.numpy_support import numpy_to_vtk
        from vtkmodules.vtkCommonCore import VTK_UNSIGNED_CHAR

        size = width * height * 4
        self._array = None  # its numpy view pins the map, which a bigger slot replaces
        if self._map is None or size > len(self._map):
            self._replace(size)
        pixels = np.frombuffer(self._map, np.uint8, size).reshape(width * height, 4)
        self._array = (numpy_to_vtk(pixels, deep=False, array_type=VTK_UNSIGNED_CHAR), pixels, (width, height))
        return self._array[0]

    def close(self) -> None:
        """Unmap and remove the slot; idempotent."""
        self._array = None
        old_map, self._map = self._map, None
        if old_map is not None:
            old_map.close()
        self.unlink()

    def unlink(self) -> None:
        """Remove the file (the mapping, if any, stays usable); idempotent."""
        name, self.name = self.name, None
        if name is not None:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(os.path.join(SHM_DIR, name))

    def _replace(self, size: int) -> None:
        name = f"glstream-{os.getpid()}-{self._tag}-{next(_numbers)}"
        path = os.path.join(SHM_DIR, name)
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)
        except FileNotFoundError as error:
            raise OSError(
                f"{SHM_DIR} does not exist: glstream passes VTK frames to its renderer through POSIX shared memory, "
                f"a tmpfs mounted at {SHM_DIR}"
            ) from error
        try:
            # Reserve the pages now: writing to a sparse page of a full tmpfs through a mapping raises SIGBUS,
            # which would kill the kernel; here it is an OSError with a reason.
            os.posix_fallocate(fd, 0, size)
            new_map = mmap.mmap(fd, size)
        except OSError as error:
            os.close(fd)
            os.unlink(path)
            raise OSError(
                f"glstream could not reserve {size / 2**20:.1f} MiB in {SHM_DIR} for a VTK frame ({error}). "
                f"Free space there, or give the container a bigger one (docker run --shm-size=1g)"
            ) from error
        os.close(fd)
        self.close()
        self._map, self.name = new_map, name


@atexit.register
def _unlink_all() -> None:
    # A kernel that exits with views open (daemon workers are not joined) leaves no file behind.
    for slot in list(_open_slots):
        slot.unlink()
