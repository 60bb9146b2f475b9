"""The Python checks follow the limits both runtimes share (packages/protocol/src/limits.json), to their bounds."""

import json
import pathlib
import re
from collections.abc import Mapping
from importlib import resources

import pytest

from glstream import Viewer, _sidecar, _validate
from glstream._limits import (
    BACKENDS,
    ERROR_CODES,
    FRAME_RATE_DEFAULT,
    FRAME_RATE_MAX,
    FRAME_RATE_MIN,
    INPUT_TYPES,
    LIMITS,
    MARK_SIZE_MAX,
    SIDE_MAX,
    SIDE_MIN,
    STILL_KINDS,
    TRANSPORTS,
)

SHARED = pathlib.Path(__file__).resolve().parents[2] / "packages" / "protocol" / "src" / "limits.json"


def test_the_installed_package_ships_the_shared_file_as_it_is():
    assert resources.files("glstream").joinpath("limits.json").read_bytes() == SHARED.read_bytes()


def thawed(value):
    if isinstance(value, Mapping):
        return {key: thawed(item) for key, item in value.items()}
    if isinstance(value, tuple):
        return [thawed(item) for item in value]
    return value


def test_limits_and_the_named_constants_are_the_files():
    shared = json.loads(SHARED.read_text("utf-8"))
    assert thawed(LIMITS) == shared
    assert (shared["side"]["min"], shared["side"]["max"]) == (SIDE_MIN, SIDE_MAX)
    assert shared["mark_size"]["max"] == MARK_SIZE_MAX
    rate = shared["frame_rate"]
    assert (rate["min"], rate["max"], rate["default"]) == (FRAME_RATE_MIN, FRAME_RATE_MAX, FRAME_RATE_DEFAULT)
    lists = {
        "still_kinds": STILL_KINDS,
        "backends": BACKENDS,
        "transports": TRANSPORTS,
        "input_types": INPUT_TYPES,
        "error_codes": ERROR_CODES,
    }
    assert {key: list(value) for key, value in lists.items()} == {key: shared[key] for key in lists}


def test_the_limits_cannot_be_changed_by_accident():
    with pytest.raises(TypeError):
        LIMITS["side"]["max"] = SIDE_MAX + 1
    assert LIMITS["side"]["max"] == SIDE_MAX
    assert isinstance(LIMITS["still_kinds"], tuple)


@pytest.mark.parametrize("rate", [FRAME_RATE_MIN, FRAME_RATE_DEFAULT, FRAME_RATE_MAX])
def test_frame_rates_in_range_are_accepted(rate):
    assert _validate.frame_rate(rate) == rate


@pytest.mark.parametrize("rate", [FRAME_RATE_MIN - 0.5, FRAME_RATE_MAX + 0.5])
def test_frame_rates_just_outside_the_range_are_refused_naming_it(rate):
    expected = f"target_fps must be a number from {FRAME_RATE_MIN} to {FRAME_RATE_MAX}, got {rate!r}"
    with pytest.raises(ValueError, match=re.escape(expected)):
        _validate.frame_rate(rate)


@pytest.mark.parametrize("kind", STILL_KINDS)
def test_every_still_kind_is_accepted(kind):
    assert _validate.still_kind(kind) == kind


def test_another_still_kind_is_refused_naming_them_all():
    other = "-".join(STILL_KINDS)
    with pytest.raises(ValueError, match=f"^still must be {' or '.join(map(repr, STILL_KINDS))} ") as caught:
        _validate.still_kind(other)
    assert str(caught.value).endswith(f"got {other!r}")


@pytest.mark.parametrize("pair", [(SIDE_MIN, SIDE_MAX), (SIDE_MAX, SIDE_MIN)])
def test_snapshot_sizes_up_to_the_side_limit_are_accepted(pair):
    assert _validate.size(pair, "size") == pair


@pytest.mark.parametrize("pair", [(SIDE_MAX + 1, SIDE_MIN), (SIDE_MIN, SIDE_MAX + 1), (SIDE_MIN - 1, SIDE_MAX)])
def test_snapshot_sizes_just_past_the_side_limits_are_refused_naming_them(pair):
    expected = f"size must be a (width, height) pair of whole numbers of pixels from {SIDE_MIN} to {SIDE_MAX}; got "
    with pytest.raises(ValueError, match=re.escape(expected + repr(pair))):
        _validate.size(pair, "size")


def test_a_viewer_as_large_as_allowed_can_be_made(fake_sidecar):
    fake_sidecar("ok")
    viewer = Viewer(width=SIDE_MAX, height=SIDE_MAX)
    try:
        assert (viewer.width, viewer.height) == (SIDE_MAX, SIDE_MAX)
        assert viewer.sidecar.request("history", {})[0]["history"][:2] == ["start", "create_view"]
    finally:
        viewer.close()


@pytest.mark.parametrize("trait", ["width", "height"])
@pytest.mark.parametrize("value", [SIDE_MIN - 1, SIDE_MAX + 1])
def test_a_viewer_side_past_the_limits_is_refused_before_the_renderer_starts(fake_sidecar, trait, value):
    fake_sidecar("ok")
    expected = f"{trait} must be a whole number of pixels from {SIDE_MIN} to {SIDE_MAX}; got {value}"
    with pytest.raises(ValueError, match=re.escape(expected)):
        Viewer(**{trait: value})
    assert _sidecar.current() is None


def test_a_viewer_side_past_the_limit_is_refused_on_assignment(fake_sidecar):
    fake_sidecar("ok")
    viewer = Viewer(width=64, height=48)
    try:
        with pytest.raises(ValueError, match=f"height must be a whole number of pixels from {SIDE_MIN} to {SIDE_MAX}"):
            viewer.height = SIDE_MAX + 1
        viewer.width = SIDE_MAX
        assert (viewer.width, viewer.height) == (SIDE_MAX, 48)
    finally:
        viewer.close()


@pytest.mark.parametrize("backend", BACKENDS)
def test_every_backend_is_accepted(monkeypatch, backend):
    monkeypatch.delenv("GLSTREAM_FORCE_HEADLESS", raising=False)
    monkeypatch.setenv("GLSTREAM_BACKEND", backend)
    assert _sidecar.start_params() == {"backend": backend}


def test_another_backend_is_refused_naming_them_all(monkeypatch):
    other = "-".join(BACKENDS)
    monkeypatch.setenv("GLSTREAM_BACKEND", other)
    with pytest.raises(ValueError, match=f"^GLSTREAM_BACKEND must be {' or '.join(BACKENDS)}; got {other!r}$"):
        _sidecar.start_params()


@pytest.mark.parametrize("transport", ["auto", *TRANSPORTS])
def test_every_transport_is_accepted(fake_sidecar, transport):
    fake_sidecar("ok")
    viewer = Viewer(transport=transport)
    try:
        assert viewer.transport == transport
    finally:
        viewer.close()


def test_another_transport_is_refused_naming_them_all(fake_sidecar, monkeypatch):
    fake_sidecar("ok")
    other = "-".join(TRANSPORTS)
    allowed = ", ".join(["auto", *TRANSPORTS])
    with pytest.raises(ValueError, match=f"^transport must be one of {allowed}; got {other!r}$"):
        Viewer(transport=other)
    monkeypatch.setenv("GLSTREAM_TRANSPORT", other)
    with pytest.raises(ValueError, match=f"^GLSTREAM_TRANSPORT must be one of {allowed}; got {other!r}$"):
        Viewer()
    assert _sidecar.current() is None


def test_every_input_type_is_forwarded_and_nothing_else(fake_sidecar):
    fake_sidecar("ok")
    viewer = Viewer(width=64, height=48)
    try:
        for kind in [*INPUT_TYPES, "-".join(INPUT_TYPES)]:
            viewer._handle_custom_msg({"type": kind, "width": 32, "height": 24}, [])
        history = viewer.sidecar.request("history", {})[0]["history"]
        assert [entry["type"] for entry in history if isinstance(entry, dict)] == list(INPUT_TYPES)
    finally:
        viewer.close()
