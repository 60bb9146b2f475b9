"""The limits and lists the sidecar checks too, read from the limits.json that both runtimes ship, so they agree."""

from __future__ import annotations

import json
from importlib import resources
from types import MappingProxyType
from typing import Any


def _frozen(value: Any) -> Any:
    if isinstance(value, dict):
        return MappingProxyType({key: _frozen(item) for key, item in value.items()})
    if isinstance(value, list):
        return tuple(_frozen(item) for item in value)
    return value


LIMITS = _frozen(json.loads(resources.files(__package__).joinpath("limits.json").read_text("utf-8")))
"""All of limits.json, read-only: objects as mappings, lists as tuples."""

SIDE_MIN = LIMITS["side"]["min"]
"""The smallest width or height of a view or snapshot, in pixels."""

SIDE_MAX = LIMITS["side"]["max"]
"""The largest width or height of a view or snapshot, in pixels."""

FRAME_RATE_MIN = LIMITS["frame_rate"]["min"]
"""The lowest interactive frame-rate target, frames per second."""

FRAME_RATE_MAX = LIMITS["frame_rate"]["max"]
"""The highest interactive frame-rate target, frames per second."""

FRAME_RATE_DEFAULT = LIMITS["frame_rate"]["default"]
"""The interactive frame-rate target when none is given, frames per second."""

MARK_SIZE_MAX = LIMITS["mark_size"]["max"]
"""The largest point size or line width, in CSS pixels."""

STILL_KINDS = LIMITS["still_kinds"]
"""How the frame shown once input stops may be encoded."""

BACKENDS = LIMITS["backends"]
"""The virtual X servers the sidecar can start (GLSTREAM_BACKEND)."""

TRANSPORTS = LIMITS["transports"]
"""How frames and input may travel between the renderer and the browser."""

INPUT_TYPES = LIMITS["input_types"]
"""The widget messages that are input for the renderer."""

PIGGYBACK_ACKS_MAX = LIMITS["piggyback_acks_max"]
"""The most acks of other frames one input event from the widget may carry (its `acks` list)."""

ERROR_CODES = LIMITS["error_codes"]
"""The codes an error reply from the sidecar may carry."""
