"""The environment variables glstream set in this process, so that it can undo exactly those and no others."""

from __future__ import annotations

import os

# name -> (the value glstream set, the value before glstream first set it, or None if it was unset)
_set: dict[str, tuple[str, str | None]] = {}


def assign(name: str, value: str) -> bool:
    """Set os.environ[name] = value, remembering the value it replaces; False if it already had that value."""
    current = os.environ.get(name)
    if current == value:
        return False
    previous = _set[name][1] if name in _set and current == _set[name][0] else current
    _set[name] = (value, previous)
    os.environ[name] = value
    return True


def restore(names: list[str] | None = None) -> list[str]:
    """Put back the variables glstream set (all, or `names`) whose value is still glstream's; return those restored."""
    restored = []
    for name in list(_set if names is None else names):
        value, previous = _set.pop(name, (None, None))
        if value is None or os.environ.get(name) != value:
            continue  # someone changed it since: theirs now
        if previous is None:
            del os.environ[name]
        else:
            os.environ[name] = previous
        restored.append(name)
    return restored


def owned() -> dict[str, str]:
    """The variables whose current value is the one glstream set: {name: value}."""
    return {name: value for name, (value, _) in _set.items() if os.environ.get(name) == value}


def original() -> dict[str, str]:
    """os.environ as it would be without glstream's changes (for a new sidecar, which must not inherit them)."""
    env = dict(os.environ)
    for name, (value, previous) in _set.items():
        if env.get(name) == value:
            if previous is None:
                env.pop(name)
            else:
                env[name] = previous
    return env
