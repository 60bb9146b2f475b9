"""Small helpers shared by the tests."""

import os
import threading


def process_exists(pid):
    """True if a process with this pid is running (zombies waiting to be reaped count as gone)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


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
