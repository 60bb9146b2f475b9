"""Which threads may hold a VTK window's GL context, by GL implementation (measured with VTK 9.7, Mesa 22.3, glvnd).

- Mesa's GLX lets a context be current in several threads (it counts them). That stays sound while every thread
  keeps it current; once one thread released it while another keeps it, the next render crashes in the driver.
  VTK keeps it current after a render, a read-back or a screenshot, so with Mesa's GLX nobody may release it.
- EGL refuses a context current in another thread (eglMakeCurrent fails with EGL_BAD_ACCESS). So do GLX
  implementations that follow the GLX specification there (NVIDIA's; not measured here), with a BadAccess X error
  that Xlib's default handler makes fatal. With these, a thread must give the context back when done with it.
- glvnd gives a thread either GLX or EGL: a GLX MakeCurrent in a thread that holds an EGL context raises BadAccess,
  and the process exits.
"""

from __future__ import annotations

import ctypes
import functools
from typing import Any


def shares_context(window: Any) -> bool:
    """Whether the window's context may, and so must, stay current in every thread that used it: Mesa's GLX."""
    if window.GetClassName() != "vtkXOpenGLRenderWindow" or not window.GetInitialized():
        return False
    return "Mesa" in (window.GetState().GetVersion() or "")


def is_current(window: Any) -> bool:
    """Whether the window's context is current in this thread."""
    if window.GetClassName() == "vtkEGLRenderWindow":
        # vtkEGLRenderWindow.IsCurrent() always says yes; its generic context reads "_<hex address>_p_void"
        address = window.GetGenericContext()
        return bool(address) and _egl_current_context() == int(address[1:].split("_", 1)[0], 16)
    return bool(window.IsCurrent())


@functools.cache
def _egl() -> Any:
    library = ctypes.CDLL("libEGL.so.1")  # the one VTK's EGL window loaded: a vtkEGLRenderWindow exists
    library.eglGetCurrentContext.restype = ctypes.c_void_p
    return library


def _egl_current_context() -> int:
    return _egl().eglGetCurrentContext() or 0
