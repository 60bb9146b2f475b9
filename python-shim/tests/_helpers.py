"""Small helpers shared by the tests."""

import threading
import time


def proc_stat(pid):
    """The fields of /proc/<pid>/stat after the command name (state, ppid, ...), or None if the process is gone."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            # the command name, in parentheses, may itself hold spaces and parentheses
            return stat.read().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError):
        return None


def process_exists(pid):
    """True if a process with this pid is running (zombies waiting to be reaped count as gone)."""
    fields = proc_stat(pid)
    return fields is not None and fields[0] != "Z"


def wait_for_trait(widget, name, predicate, timeout=10):
    """Wait until predicate(widget.<name>) holds (set from another thread); return the value."""
    changed = threading.Event()
    widget.observe(lambda _change: changed.set(), names=name)
    try:
        while not predicate(getattr(widget, name)):
            assert changed.wait(timeout), f"{name} stayed {getattr(widget, name)!r}"
            changed.clear()
        return getattr(widget, name)
    finally:
        widget.unobserve_all(name)


def wait_until(predicate, timeout=15.0, what="the condition"):
    """Poll `predicate` until it returns something truthy; return it, or fail naming `what`."""
    deadline = time.monotonic() + timeout
    tick = threading.Event()
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        tick.wait(0.05)
    raise AssertionError(f"timed out after {timeout:g} s waiting for {what}")


def rss_bytes(pid):
    """The resident set size of process `pid`, in bytes."""
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    raise ValueError(f"/proc/{pid}/status has no VmRSS line")
