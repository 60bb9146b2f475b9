"""No process survives its kernel: after a shutdown, or a SIGKILL of the kernel, the sidecar and the
Xvfb it started are gone, and so are the X socket, lock file and Xauthority."""

import contextlib
import json
import os
import pathlib
import signal
import time

import pytest
from _helpers import process_exists, wait_until
from jupyter_client.manager import start_new_kernel
from test_kernel import run_cell, wait_for_exit

CELL = """
import json, glstream, numpy as np
v = glstream.Viewer(width=64, height=48)
v.add_mesh(np.eye(3, dtype=np.float32), [[0, 1, 2]])
s = v.sidecar
seen = {"kernel": __import__("os").getpid(), "sidecar": s.pid, "xserver": s.xserver_pid, "display": s.display,
        "xauthority": s.xauthority}
print(json.dumps(seen))
"""


def x_files(display):
    number = display.lstrip(":").split(".")[0]
    return [pathlib.Path(f"/tmp/.X11-unix/X{number}"), pathlib.Path(f"/tmp/.X{number}-lock")]


def wait_until_gone(pids, paths, timeout=20):
    """Wait for every pid to exit, then for every path to go (the X server's shell removes its Xauthority after it
    exited); return what is left."""
    deadline = time.monotonic() + timeout
    for pid in pids:
        if process_exists(pid):
            wait_for_exit(pid, max(0.0, deadline - time.monotonic()))
    # a timeout is not raised here: the caller names what is left
    with contextlib.suppress(AssertionError):
        wait_until(lambda: not any(path.exists() for path in paths), max(0.1, deadline - time.monotonic()), "paths")
    return [f"pid {pid}" for pid in pids if process_exists(pid)] + [str(path) for path in paths if path.exists()]


@pytest.fixture
def kernel(real_sidecar):
    manager, client = start_new_kernel(kernel_name="python3", env=dict(os.environ))
    text, _ = run_cell(client, CELL)
    started = json.loads(text)
    assert started["xserver"] and process_exists(started["xserver"]), "the sidecar should have started its own Xvfb"
    assert any(path.exists() for path in x_files(started["display"])), (
        "the X server's socket should exist while it runs"
    )
    assert started["xauthority"] and os.path.exists(started["xauthority"]), "the X server should have a cookie"
    yield manager, client, started
    client.stop_channels()
    if manager.is_alive():
        manager.shutdown_kernel(now=True)


@pytest.mark.parametrize("how", ["shutdown", "sigkill"])
def test_nothing_outlives_the_kernel(kernel, how):
    manager, _client, started = kernel
    if how == "shutdown":
        manager.shutdown_kernel(now=False)
    else:
        os.kill(started["kernel"], signal.SIGKILL)
    cookie = pathlib.Path(started["xauthority"]).parent
    left = wait_until_gone(
        [started["kernel"], started["sidecar"], started["xserver"]], [*x_files(started["display"]), cookie]
    )
    assert left == [], f"left behind after {how}: {left}"
