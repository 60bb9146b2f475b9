"""Start-up failures: each gives a clear error, leaves no process behind, and keeps no state."""

import pytest
from _helpers import process_exists

import glstream
from glstream import SidecarError, Viewer, _sidecar
from glstream._protocol import PROTOCOL_VERSION


def read_pid(pidfile):
    return int(pidfile.read_text())


def test_protocol_mismatch_names_both_versions_and_the_fix(fake_sidecar):
    pidfile = fake_sidecar("version")
    with pytest.raises(SidecarError) as caught:
        Viewer()
    message = str(caught.value)
    assert "protocol version 999" in message and f"protocol version {PROTOCOL_VERSION}." in message
    assert "Reinstall so that the Python package and the Node sidecar come from the same release" in message
    assert not process_exists(read_pid(pidfile))
    assert _sidecar.current() is None


def test_a_sidecar_that_exits_at_once_reports_its_stderr(fake_sidecar):
    pidfile = fake_sidecar("exit")
    with pytest.raises(SidecarError) as caught:
        Viewer()
    message = str(caught.value)
    assert "exited before it was ready (exit code 3)" in message
    assert "fake: cannot open display :42 (no X server)" in message
    assert "doctor" in message
    assert not process_exists(read_pid(pidfile))


def test_a_sidecar_that_never_says_hello_hits_the_start_timeout_and_is_killed(fake_sidecar, monkeypatch):
    pidfile = fake_sidecar("silent")
    # long enough for the fake (a Python that imports glstream, about 0.5 s on a loaded 2-core machine) to log
    monkeypatch.setenv("GLSTREAM_START_TIMEOUT", "3")
    with pytest.raises(SidecarError, match=r"did not say HELLO within 3 s, so it was stopped") as caught:
        Viewer()
    assert "fake sidecar silent starting with ['serve', '--stdio']" in str(caught.value)
    assert not process_exists(read_pid(pidfile))
    assert _sidecar.current() is None


def test_non_protocol_output_is_a_clear_error(fake_sidecar):
    pidfile = fake_sidecar("garbage")
    with pytest.raises(SidecarError, match="not speaking the glstream protocol"):
        Viewer()
    assert not process_exists(read_pid(pidfile))


def test_a_start_error_reply_is_raised_with_its_hint(fake_sidecar):
    pidfile = fake_sidecar("start-error")
    with pytest.raises(SidecarError, match=r"could not start: no X server \(install Xvfb\)"):
        Viewer()
    assert not process_exists(read_pid(pidfile))


def test_a_failed_start_is_retried_by_the_next_viewer(fake_sidecar):
    fake_sidecar("exit")
    with pytest.raises(SidecarError):
        Viewer()
    fake_sidecar("ok")
    viewer = Viewer()
    try:
        assert _sidecar.current() is viewer.sidecar and viewer.sidecar.alive
        assert viewer.status == "" and viewer.error == ""
    finally:
        viewer.close()


def test_a_bad_start_timeout_setting_is_named(fake_sidecar, monkeypatch):
    fake_sidecar("ok")
    monkeypatch.setenv("GLSTREAM_START_TIMEOUT", "soon")
    with pytest.raises(ValueError, match="GLSTREAM_START_TIMEOUT must be a number of seconds; got 'soon'"):
        Viewer()


def test_stopping_closes_stdin_and_the_sidecar_exits_cleanly(fake_sidecar):
    fake_sidecar("ok")
    sidecar = _sidecar.get()
    assert sidecar.display == ":99" and sidecar.xserver_pid is None and sidecar.hello["protocol"] == PROTOCOL_VERSION
    _sidecar.stop_current()
    assert sidecar.returncode == 0
    assert _sidecar.current() is None
    assert glstream.__version__ == "0.1.0"
