"""50 start/stop cycles of real sidecars (clean stops, SIGKILLed sidecars, SIGKILLed kernels that had a Viewer
and, for some, %load_ext glstream, and for some a renderer SIGKILLed and restarted on the display that outlived
it): afterwards no X server, xpra, helper process, X lock file, X socket or
Xauthority they made is left."""

import glob
import json
import os
import pathlib
import re
import shutil
import signal
import time

import pytest
from _helpers import proc_stat, process_exists
from jupyter_client.manager import start_new_kernel
from test_kernel import run_cell, wait_for_exit

from glstream import _locate, _sidecar

CYCLES = 50
KERNEL_CYCLES = {4, 14, 24, 34, 44}  # a real kernel, SIGKILLed once its Viewer runs
LOAD_EXT_CYCLES = {14, 34}  # ...that also ran %load_ext glstream
RESTART_CYCLES = {24, 34}  # ...whose renderer was SIGKILLed and restarted first
XPRA_CYCLES = {9, 29}  # backend xpra (clean stop, then SIGKILL), when xpra is installed

CELL = """
import json, os, glstream, numpy as np
v = glstream.Viewer(width=64, height=48)
v.add_mesh(np.eye(3, dtype=np.float32), [[0, 1, 2]])
s = v.sidecar
seen = {"kernel": os.getpid(), "sidecar": s.pid, "display": s.display, "kernel_display": os.environ.get("DISPLAY")}
print(json.dumps(seen))
"""

# the renderer dies; the next call waits for the one restarted on the same display
RESTART_CELL = """
old = v.sidecar
os.kill(old.pid, 9)
old._process.wait(timeout=20)
v.snapshot()
seen = {"sidecar": v.sidecar.pid, "display": v.sidecar.info["display"], "source": v.sidecar.info["display_source"],
        "xserver": os.path.exists(f"/proc/{s.xserver_pid}"), "kernel_display": os.environ.get("DISPLAY")}
print(json.dumps(seen))
"""


def start_time(pid):
    """The process' start time in clock ticks (with the pid, it names one process even after pid reuse)."""
    fields = proc_stat(pid)
    return None if fields is None else int(fields[19])


def descendants(pid):
    """(pid, start time) of every process below `pid`: the X server, xpra and their helpers."""
    children = {}
    for path in glob.glob("/proc/[0-9]*"):
        process = int(os.path.basename(path))
        fields = proc_stat(process)
        if fields is not None:
            children.setdefault(int(fields[1]), []).append(process)
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append((child, start_time(child)))
            todo.append(child)
    return found


def running(process):
    pid, started = process
    return process_exists(pid) and start_time(pid) == started


def bound_unix_sockets():
    """Paths of the UNIX sockets some process holds open (a stale socket file is not among them)."""
    with open("/proc/net/unix") as table:
        return {line.split()[-1] for line in table.read().splitlines()[1:] if len(line.split()) >= 8}


def x_leftovers(display, ours):
    """The lock file and socket of `display` if a server of ours left them, or if no live server holds them
    (other programs, other tests among them, may run their own X server on the same display meanwhile)."""
    number = display.lstrip(":").split(".")[0]
    lock, socket = pathlib.Path(f"/tmp/.X{number}-lock"), pathlib.Path(f"/tmp/.X11-unix/X{number}")
    left = []
    try:
        owner = int(lock.read_text().strip())
    except FileNotFoundError:
        owner = None
    except ValueError:
        owner = -1
    if owner is not None and (owner in ours or not process_exists(owner)):
        left.append(str(lock))
    if socket.exists() and str(socket) not in bound_unix_sockets():
        left.append(str(socket))
    return left


def private_dirs(processes):
    """The glstream-x-* directories (the Xauthority of a display, xpra's sockets) named on these command lines."""
    found = set()
    for pid, _ in processes:
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as cmdline:
                found.update(re.findall(r"/[^\0=\s]*glstream-x-[^\0/\s]+", cmdline.read().decode(errors="replace")))
        except (FileNotFoundError, ProcessLookupError):
            continue
    return found


class Cycles:
    """What the cycles started: processes, displays, and how each stopped."""

    def __init__(self):
        self.processes, self.displays, self.kinds, self.dirs = set(), set(), [], set()

    def record(self, sidecar_pid, display):
        below = descendants(sidecar_pid)
        self.processes.update(below)
        self.dirs.update(private_dirs(below))
        self.processes.add((sidecar_pid, start_time(sidecar_pid)))
        self.displays.add(display)

    def wait(self, timeout=20):
        """Wait (pidfds) for every recorded process to exit; return those still running."""
        deadline = time.monotonic() + timeout
        for process in self.processes:
            if running(process):
                wait_for_exit(process[0], max(0.0, deadline - time.monotonic()))
        return sorted(process for process in self.processes if running(process))

    def leftovers(self):
        ours = {pid for pid, _ in self.processes}
        return (
            [f"process {pid}" for pid, _ in self.wait()]
            + [path for display in sorted(self.displays) for path in x_leftovers(display, ours)]
            + [path for path in sorted(self.dirs) if os.path.exists(path)]
        )


def direct_cycle(cycles, index, params):
    sidecar = _sidecar.Sidecar.launch(_locate.sidecar_command(), 60, params)
    assert sidecar.display, sidecar.info
    assert sidecar.display_source == params.get("backend", "xvfb"), sidecar.info
    cycles.record(sidecar.pid, sidecar.display)
    if index % 3 == 0:
        os.kill(sidecar.pid, signal.SIGKILL)
        assert wait_for_exit(sidecar.pid, 20)
        cycles.kinds.append("sigkill-sidecar")
    else:
        sidecar.close()
        cycles.kinds.append("close")
    sidecar.close(grace=0)  # reaps the killed one; a no-op after a clean close


def kernel_cycle(cycles, load_ext, restart):
    env = {name: value for name, value in os.environ.items() if name != "DISPLAY"}
    manager, client = start_new_kernel(kernel_name="python3", env=env)
    try:
        if load_ext:
            text, _ = run_cell(client, "%load_ext glstream")
            assert text.startswith("glstream: this kernel renders on display"), text
        text, _ = run_cell(client, CELL)
        started = json.loads(text)
        cycles.record(started["sidecar"], started["display"])
        assert started["kernel_display"] == (started["display"] if load_ext else None), started
        if restart:
            text, _ = run_cell(client, RESTART_CELL)
            # after the line the restart logs
            restarted = json.loads(text.splitlines()[-1])
            cycles.record(restarted["sidecar"], restarted["display"])
            assert restarted == {
                **restarted,
                "display": started["display"],
                "source": "existing",
                "xserver": True,
                "kernel_display": started["kernel_display"],
            }, "the restarted renderer should run on the display that outlived the first"
            started["sidecar"] = restarted["sidecar"]
        os.kill(started["kernel"], signal.SIGKILL)
        assert wait_for_exit(started["kernel"], 20)
        assert wait_for_exit(started["sidecar"], 20), "the sidecar outlived its kernel"
        cycles.kinds.append("sigkill-kernel" + ("+load_ext" if load_ext else "") + ("+restart" if restart else ""))
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)


def test_fifty_start_stop_cycles_leave_nothing_behind(real_sidecar, monkeypatch):
    monkeypatch.delenv("DISPLAY", raising=False)  # every sidecar starts its own X server
    xpra = shutil.which("xpra") is not None
    cycles = Cycles()
    for index in range(CYCLES):
        if index in KERNEL_CYCLES:
            kernel_cycle(cycles, index in LOAD_EXT_CYCLES, index in RESTART_CYCLES)
        else:
            direct_cycle(cycles, index, {"backend": "xpra"} if xpra and index in XPRA_CYCLES else {})
        left = cycles.wait()
        assert left == [], f"cycle {index} ({cycles.kinds[-1]}) left processes running: {left}"
    assert len(cycles.kinds) == CYCLES and cycles.kinds.count("sigkill-sidecar") >= 14
    assert sum(kind.startswith("sigkill-kernel") for kind in cycles.kinds) == len(KERNEL_CYCLES)
    assert sum(kind.endswith("+restart") for kind in cycles.kinds) == len(RESTART_CYCLES)
    assert len(cycles.processes) > CYCLES, "each sidecar should have started an X server"
    assert len(cycles.dirs) == CYCLES, f"each X server should have had an Xauthority of its own: {cycles.dirs}"
    assert cycles.leftovers() == []


def test_the_leftover_check_can_fail(tmp_path):
    # a lock file naming a dead pid, and a socket file nobody holds, are reported as left behind
    number = 900 + os.getpid() % 50
    lock, socket = pathlib.Path(f"/tmp/.X{number}-lock"), pathlib.Path(f"/tmp/.X11-unix/X{number}")
    if lock.exists() or socket.exists():
        pytest.skip(f"display :{number} is in use on this machine")
    lock.write_text("999999999\n")
    socket.parent.mkdir(exist_ok=True)
    socket.touch()
    try:
        assert x_leftovers(f":{number}", set()) == [str(lock), str(socket)]
    finally:
        lock.unlink()
        socket.unlink()
