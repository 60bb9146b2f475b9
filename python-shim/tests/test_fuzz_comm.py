"""Fuzzing the comm from the browser (hypothesis, derandomized, a bounded number of examples): a Viewer gets
thousands of custom messages as JSON can carry them, and then some (NaN, 10**400, unknown types, input events with
random fields, stats and clicks with garbage, metadata over the protocol's limit). No exception escapes; what is
forwarded is an input event of a known type for this view only, which the sidecar checks and drops with a log line
when it is bad; afterwards the sidecar is alive, nothing is left pending, and the view answers a drag and draws."""

import json
import math

import numpy as np
import pytest
from _png import decode_png
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from glstream import Viewer
from glstream._limits import INPUT_TYPES

BACKGROUND = np.array([0x1E, 0x1E, 0x1E])
TRIANGLE = np.array([[-1, -1, 0], [1, -1, 0], [0, 1, 0]], dtype=np.float64)
FACE = np.array([[0, 1, 2]])
FUZZ = settings(
    max_examples=300, derandomize=True, database=None, deadline=None, suppress_health_check=list(HealthCheck)
)

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=10,
)
# Python's json reads NaN, Infinity and integers of any size: a message may hold them although JSON.stringify
# never writes them.
ODD = st.sampled_from([math.nan, math.inf, -math.inf, 10**400, -(10**400), 2**53 + 1, 1e308, -1, 0, 0.5, 1e6 + 1])
FIELD = st.one_of(JSON, ODD)
FIELDS = ["view", "phase", "x", "y", "dx", "dy", "button", "buttons", "seq", "t", "key", "ctrl", "shift", "alt", "meta"]
TYPES = st.sampled_from([*INPUT_TYPES, "stats", "click", "direct", "frame", "teleport", "", None, 3, ["pointer"]])

# Input events of the right shape with odd values, and of any shape.
POINTER = st.fixed_dictionaries(
    {
        "type": st.just("pointer"),
        "phase": st.sampled_from(["down", "move", "up"]),
        "x": st.one_of(st.floats(-100, 200), ODD),
        "y": st.one_of(st.floats(-100, 200), ODD),
        "button": st.sampled_from([-1, 0, 1, 2, -2, 2**40]),
        "buttons": st.sampled_from([0, 1, 2, -1, 1.5]),
        "seq": st.one_of(st.integers(min_value=0, max_value=2**60), ODD),
        "t": st.one_of(st.floats(0, 1e9), ODD),
        "ctrl": st.booleans(),
        "shift": st.booleans(),
        "alt": st.booleans(),
        "meta": st.one_of(st.booleans(), FIELD),
    },
    # acks of other frames riding on the event (the widget's KernelOutbox), of any length and value
    optional={"acks": st.one_of(st.lists(st.one_of(st.integers(0, 2**40), ODD), max_size=80), FIELD)},
)
WHEEL = st.fixed_dictionaries(
    {
        "type": st.just("wheel"),
        "x": st.floats(0, 64),
        "y": st.floats(0, 48),
        "dx": st.one_of(st.floats(-1e4, 1e4), ODD),
        "dy": st.one_of(st.floats(-1e4, 1e4), ODD),
        "seq": st.integers(min_value=0, max_value=2**40),
        "t": st.floats(0, 1e9),
        "ctrl": st.booleans(),
        "shift": st.booleans(),
        "alt": st.booleans(),
        "meta": st.booleans(),
    }
)
# A resize the renderer takes draws at that size: kept small so the test measures checks, not llvmpipe.
RESIZE = st.fixed_dictionaries(
    {
        "type": st.just("resize"),
        "width": st.sampled_from([-1, 0, 64, 100, math.nan, math.inf, "64", None, 10**400]),
        "height": st.sampled_from([-1, 0, 48, 80, math.nan, "48"]),
        "dpr": st.sampled_from([0, -1, 1, 2, 17, math.nan, "2"]),
    }
)
ANY_SHAPE = st.fixed_dictionaries(
    {"type": TYPES}, optional={field: FIELD for field in [*FIELDS, "width", "asker", "acks"]}
)
MESSAGE = st.one_of(
    JSON,
    POINTER,
    WHEEL,
    RESIZE,
    ANY_SHAPE,
    # metadata over the protocol's 1 MiB: refused by the encoder, never written
    st.just(
        {
            "type": "key",
            "key": "x" * (1 << 20),
            "seq": 1,
            "t": 0,
            "ctrl": False,
            "shift": False,
            "alt": False,
            "meta": False,
        }
    ),
    st.fixed_dictionaries({"type": st.just("stats")}, optional={field: FIELD for field in ["fps", "frames", "x"]}),
    st.fixed_dictionaries({"type": st.just("click"), "x": FIELD, "y": FIELD}),
    st.fixed_dictionaries({"type": st.just("click"), "x": st.floats(-1, 65), "y": st.floats(-1, 49)}),
)


@pytest.fixture
def viewer(real_sidecar):
    view = Viewer(width=64, height=48, background="#1e1e1e")
    view.add_mesh(TRIANGLE, FACE, color="#ff0000")
    yield view
    view.close()


def drag(view, seq):
    """A left drag of 20 pixels to the right, as the widget sends it."""
    common = {"ctrl": False, "shift": False, "alt": False, "meta": False}
    for i, (phase, x, buttons) in enumerate([("down", 20, 1), ("move", 30, 1), ("move", 40, 1), ("up", 40, 0)]):
        event = {"type": "pointer", "phase": phase, "x": x, "y": 24, "button": 0, "buttons": buttons}
        view._forward_input(view, {**event, "seq": seq + i, "t": 1000.0 + i, **common}, [])


@FUZZ
@given(messages=st.lists(MESSAGE, min_size=1, max_size=12))
def _storm(view, sent, messages):
    for content in messages:
        # called as the comm calls it, minus ipywidgets' dispatcher, which would print an exception and go on
        view._forward_input(view, content, [])
    for meta in sent:
        assert meta["view"] == view._view_id and meta["type"] in INPUT_TYPES and "acks" not in meta, meta


def test_random_comm_messages_are_dropped_or_checked_and_nothing_escapes_or_piles_up(viewer, monkeypatch):
    sidecar = viewer.sidecar
    channel = sidecar._channel
    views_before = dict(channel._views)
    sent = []
    forward = sidecar.send_event

    def record(meta):
        sent.append(meta)
        forward(meta)

    monkeypatch.setattr(sidecar, "send_event", record)
    picks = []
    viewer.on_pick(picks.append)

    _storm(viewer, sent)

    assert sidecar.alive, sidecar.stderr_tail()
    # each bad event that reached the sidecar is dropped there with a log line
    assert any("dropped an input event" in line for line in sidecar.stderr_tail(200)), sidecar.stderr_tail()
    assert channel._pending == {} and channel._views == views_before
    assert isinstance(viewer.stats(), dict)
    written = [meta for meta in sent if _encodable(meta)]
    print(f"fuzz-comm: {len(sent)} events forwarded ({len(written)} encodable), {len(picks)} picks")

    camera = viewer.camera
    assert all(np.isfinite(camera[key]).all() for key in ("position", "target", "up")), camera
    drag(viewer, 2**61)
    assert viewer.camera["position"] != camera["position"], "a drag after the storm turns the camera"
    viewer.reset_camera()
    image = decode_png(viewer.snapshot())[..., :3].astype(int)
    assert (np.abs(image - BACKGROUND).sum(axis=2) > 30).mean() > 0.05, "the view draws its triangle"


def _encodable(meta):
    try:
        return len(json.dumps(meta, allow_nan=False)) < 1 << 20
    except ValueError:
        return False
