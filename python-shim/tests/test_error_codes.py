"""Error replies cross from the sidecar by code, never by class name; the renderer's own failures carry its log."""

import pytest

from glstream import SidecarError, SourceGoneError, _sidecar
from glstream._limits import ERROR_CODES

LOG = "\nThe renderer's log ends with:\n"
FIRST_LOG_LINE = "fake sidecar ok starting with ['serve', '--stdio']"
TRACE = [
    "TypeError: Cannot read properties of undefined (reading 'shape')",
    "    at buildMesh (/glstream/sidecar/dist/scene.js:41:17)",
]
# the class a caller catches for each code: its own mistakes as Python's built-in classes, a closed window as
# SourceGoneError, the rest as SidecarError
EXPECTED = {
    "invalid_argument": ValueError,
    "invalid_type": TypeError,
    "out_of_range": IndexError,
    "not_found": ValueError,
    "display_unavailable": SidecarError,
    "source_gone": SourceGoneError,
    "protocol": SidecarError,
    "internal": SidecarError,
}


@pytest.fixture
def sidecar(fake_sidecar):
    fake_sidecar("ok")
    return _sidecar.get()


def fail(sidecar, error, logged=()):
    """What request() raises when the fake logs the lines `logged`, then answers with `error`."""
    with pytest.raises(Exception) as caught:
        sidecar.request("fail", {"error": error, "stderr": "".join(line + "\n" for line in logged)})
    return caught.value


def test_every_shared_code_has_a_class():
    assert set(_sidecar._ERROR_CLASSES) == set(ERROR_CODES) == set(EXPECTED)


@pytest.mark.parametrize("code", ERROR_CODES)
def test_each_code_raises_its_class_with_the_message_and_hint(sidecar, code):
    error = fail(sidecar, {"code": code, "message": "it broke", "hint": "try again"})
    assert type(error) is EXPECTED[code]
    assert str(error).startswith("fail: it broke (try again)")
    assert (LOG in str(error)) is (EXPECTED[code] is SidecarError)
    assert sidecar.alive


def test_an_internal_error_carries_the_stack_trace_the_sidecar_logged_and_the_sidecar_goes_on(sidecar):
    error = fail(sidecar, {"code": "internal", "message": "Cannot read properties of undefined"}, TRACE)
    assert type(error) is SidecarError
    message, log = str(error).split(LOG)
    assert message == "fail: Cannot read properties of undefined"
    assert log.splitlines()[-2:] == ["    " + line for line in TRACE]
    result, _ = sidecar.request("history", {})
    assert result["history"] == ["start", "fail"]
    assert sidecar.alive


@pytest.mark.parametrize("code, error_class", [("invalid_argument", ValueError), ("not_found", ValueError)])
def test_a_callers_mistake_leaves_the_log_out(sidecar, code, error_class):
    error = fail(sidecar, {"code": code, "message": "no view 'v9'", "hint": "create it first"}, TRACE)
    assert type(error) is error_class
    assert str(error) == "fail: no view 'v9' (create it first)"


@pytest.mark.parametrize(
    "error",
    [{"name": "TypeError", "message": "it broke"}, {"code": "type_error", "message": "it broke"}, {}],
    ids=["a class name and no code", "an unknown code", "nothing"],
)
def test_a_reply_without_a_known_code_is_a_sidecar_error_with_the_log(sidecar, error):
    raised = fail(sidecar, error)
    assert type(raised) is SidecarError
    assert FIRST_LOG_LINE in str(raised).split(LOG)[1]


def test_the_real_sidecar_answers_by_code(real_sidecar):
    sidecar = _sidecar.get()
    with pytest.raises(ValueError, match=r"^snapshot: no view nope: it was closed") as missing:
        sidecar.request("snapshot", {"view": "nope"})
    assert LOG not in str(missing.value)
    with pytest.raises(TypeError, match=r'"view" must be a non-empty string'):
        sidecar.request("snapshot", {"view": 3})
    with pytest.raises(SidecarError, match=r'unknown method "no_such_method"') as unknown:
        sidecar.request("no_such_method", {})
    assert "\nThe renderer's log" in str(unknown.value), "a glstream bug comes with the renderer's log"
    with pytest.raises(ValueError, match=r"^direct: no view nope"):
        sidecar.request("direct", {"view": "nope"})
    assert sidecar.alive, "and the sidecar goes on"
