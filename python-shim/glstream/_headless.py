"""`%load_ext glstream` and glstream.headless(): let this process render with its own OpenGL libraries
(VTK, Qt, Mayavi, PyVista...) on the display of this kernel's sidecar, as Anatomist's headless mode and the
pyvirtualdisplay recipe do.
"""

from __future__ import annotations

import ctypes
import os
import re
import threading
import warnings
from typing import Any

from . import _environ, _sidecar
from ._errors import GlstreamWarning, SidecarError

# Libraries whose presence means the OpenGL implementation (or Qt's display) is already chosen.
_GL_LIBRARIES = [
    (re.compile(r"^libvglfaker.*\.so"), "VirtualGL's faker"),
    (re.compile(r"^libGL[A-Za-z0-9_]*\.so"), "an OpenGL library"),
    (re.compile(r"^libEGL[A-Za-z0-9_]*\.so"), "an EGL library"),
    (re.compile(r"^libOpenGL\.so"), "an OpenGL library"),
    (re.compile(r"_dri\.so"), "a Mesa driver"),
    (re.compile(r"^libvtkRenderingOpenGL"), "VTK's OpenGL renderer"),
    (re.compile(r"^libQt\d*Gui.*\.so"), "Qt's GUI library (Qt keeps the display it first opened)"),
]

_lock = threading.Lock()
_state: dict[str, Any] = {"sidecar": None, "result": None, "preloaded": {}}


def mapped_libraries(maps_text: str) -> list[str]:
    """The distinct file paths mapped in a /proc/<pid>/maps text, in order of first appearance."""
    paths: dict[str, None] = {}
    for line in maps_text.splitlines():
        fields = line.split(maxsplit=5)
        if len(fields) == 6 and fields[5].startswith("/"):
            paths.setdefault(fields[5].removesuffix(" (deleted)"), None)
    return list(paths)


def gl_libraries(maps_text: str) -> list[tuple[str, str]]:
    """(path, what it is) for each GL, EGL, Mesa driver, VTK-OpenGL, Qt GUI or VirtualGL library in a maps text."""
    found = []
    for path in mapped_libraries(maps_text):
        name = os.path.basename(path)
        for pattern, what in _GL_LIBRARIES:
            if pattern.search(name):
                found.append((path, what))
                break
    return found


def _read_maps(maps: str) -> str:
    try:
        with open(maps, encoding="utf-8", errors="replace") as file:
            return file.read()
    except OSError:
        return ""  # not Linux: nothing to check


def headless(force: bool = False, *, maps: str = "/proc/self/maps") -> dict[str, Any]:
    """Make this process render on the kernel's sidecar display; return what it set (idempotent).

    Obtains the display from the sidecar (started if needed; the display lives as long as this process, and a
    restarted sidecar comes back on it), sets DISPLAY (with XAUTHORITY, the cookie of a display the sidecar
    started) and the GL setup's environment variables, and loads the setup's libraries (VirtualGL, a non-default
    Mesa) unless a GL or Qt library is already loaded, which it warns about.
    force: use a virtual display even if DISPLAY names a working one (only when starting the sidecar).
    Raises SidecarError, with the sidecar's explanation and fixes, when no display can be had.
    """
    with _lock:
        loaded = gl_libraries(_read_maps(maps))
        try:
            sidecar = _sidecar.get(force_headless=force)
        except SidecarError as error:
            raise SidecarError(f"glstream could not give this kernel a display: {error}") from error
        if not sidecar.display:
            raise SidecarError(
                "glstream's renderer started but did not say which X display it uses; reinstall so "
                "that the Python package and the Node sidecar come from the same release"
            )
        if force and sidecar.display_source == "existing":
            raise SidecarError(
                f"glstream's renderer already runs on the existing display {sidecar.display}, so force=True cannot "
                "give this kernel a virtual display. Restart the kernel and call glstream.headless(force=True) (or "
                "set GLSTREAM_FORCE_HEADLESS=1) before creating any Viewer"
            )
        result = _state["result"]
        if (
            result is not None
            and _state["sidecar"] is sidecar
            and all(os.environ.get(name) == value for name, value in result["env"].items())
        ):
            return dict(result)
        wanted = {**sidecar.display_env, **sidecar.gl_env}
        stale = [name for name in (result or {}).get("env", {}) if name not in wanted]
        _environ.restore(stale)  # an earlier sidecar's GL variables that this one does not use
        changed = [name for name, value in wanted.items() if _environ.assign(name, value)]
        _sidecar.display_in_use()
        preloaded, skipped = [], []
        for path in sidecar.gl_preload:
            if path in _state["preloaded"]:
                preloaded.append(path)
            elif loaded:
                skipped.append(path)
            else:
                try:
                    _state["preloaded"][path] = ctypes.CDLL(path, mode=ctypes.RTLD_GLOBAL)
                except OSError as error:
                    raise SidecarError(
                        f"glstream could not load {path}, which the GL setup of display "
                        f"{sidecar.display} needs: {error}. Run glstream.doctor()"
                    ) from error
                preloaded.append(path)
        if loaded:
            warnings.warn(_loaded_warning(loaded, sidecar.display, skipped), GlstreamWarning, stacklevel=2)
        result = {
            "display": sidecar.display,
            "display_source": sidecar.display_source,
            "xserver_pid": sidecar.xserver_pid,
            "renderer": (sidecar.info.get("gl") or {}).get("renderer"),
            "env": wanted,
            "changed": changed,
            "preloaded": preloaded,
            "skipped_preload": skipped,
            "already_loaded": [path for path, _ in loaded],
            "steps": sidecar.steps,
        }
        _state.update(sidecar=sidecar, result=result)
        return dict(result)


def _loaded_warning(loaded: list[tuple[str, str]], display: str | None, skipped: list[str]) -> str:
    found = "; ".join(f"{path} ({what})" for path, what in loaded)
    switch = (
        f" So glstream did not load {', '.join(skipped)}, which its GL setup needs"
        if skipped
        else " So the OpenGL implementation can no longer be switched (to VirtualGL or another Mesa)"
    )
    return (
        f"glstream.headless(): GL or Qt libraries are already loaded in this process: {found}.{switch}. "
        f"DISPLAY is set to {display}, so windows created from now on open there, but a Qt application or GL "
        "context created before keeps its old display. For a reliable set-up, run `%load_ext glstream` (or "
        "glstream.headless()) first in a fresh kernel, before importing vtk, pyvista, mayavi, Qt or OpenGL."
    )


def undo() -> list[str]:
    """Restore the environment variables headless() set that still have its values; return their names.

    Loaded libraries stay loaded, and the sidecar keeps running (Viewers use it).
    """
    with _lock:
        _state.update(sidecar=None, result=None)
        return _environ.restore()


def describe(result: dict[str, Any]) -> str:
    """A few lines for people: the display, where it came from, the GL renderer and what was set."""
    source = {
        "existing": "the display this kernel already had",
        "xvfb": "an Xvfb started by glstream",
        "xpra": "an xpra server started by glstream",
    }.get(result["display_source"], result["display_source"])
    pid = f", pid {result['xserver_pid']}" if result.get("xserver_pid") else ""
    lines = [
        f"glstream: this kernel renders on display {result['display']} ({source}{pid}), "
        f"OpenGL: {result['renderer'] or 'unknown'}."
    ]
    if "XAUTHORITY" in result["env"]:
        lines.append(f"  X clients need the cookie in XAUTHORITY={result['env']['XAUTHORITY']} (set here).")
    extra = {name: value for name, value in result["env"].items() if name not in ("DISPLAY", "XAUTHORITY")}
    if extra:
        lines.append("  GL environment: " + " ".join(f"{name}={value}" for name, value in extra.items()))
    if result["preloaded"]:
        lines.append("  loaded: " + ", ".join(result["preloaded"]))
    tried = [step for step in result["steps"] if step.get("status") != "skipped"]
    if tried:
        lines.append(
            "  display chain: "
            + "; ".join(
                f"{step.get('step')} {step.get('status')}" + (f" ({step['reason']})" if step.get("reason") else "")
                for step in tried
            )
        )
    lines.append("  The display lives as long as this kernel: a renderer that crashed comes back on it.")
    return "\n".join(lines)


def load_ipython_extension(ipython: Any) -> None:
    """`%load_ext glstream`: headless(), then print what it set."""
    print(describe(headless()))


def unload_ipython_extension(ipython: Any) -> None:
    """`%unload_ext glstream`: restore what `%load_ext glstream` set and nothing else."""
    undo()
