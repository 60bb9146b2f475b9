"""Shared fixtures: a fresh sidecar state for every test, and fake sidecars."""

import pathlib
import stat
import sys

import pytest

from glstream import _sidecar

FAKE = pathlib.Path(__file__).with_name("fake_sidecar.py")
CLI = pathlib.Path(__file__).resolve().parents[2] / "packages" / "sidecar" / "dist" / "cli.js"


@pytest.fixture
def real_sidecar(monkeypatch):
    """Point GLSTREAM_SIDECAR at the built Node sidecar; `make test` builds it, so its absence is a failure."""
    assert CLI.exists(), f"the sidecar is not built ({CLI} is missing): run `make setup`"
    monkeypatch.setenv("GLSTREAM_SIDECAR", str(CLI))
    return CLI


@pytest.fixture(autouse=True)
def fresh_sidecar():
    """Every test starts without a sidecar and leaves none behind."""
    _sidecar.stop_current()
    yield
    _sidecar.stop_current()


@pytest.fixture
def fake_sidecar(tmp_path, monkeypatch):
    """use(mode) points GLSTREAM_SIDECAR at the fake sidecar in that mode; returns the path of its pid file."""

    def use(mode):
        script = tmp_path / "glstream-fake"
        script.write_text(f"#!{sys.executable}\nimport runpy\nrunpy.run_path({str(FAKE)!r}, run_name='__main__')\n")
        script.chmod(script.stat().st_mode | stat.S_IXUSR)
        monkeypatch.setenv("GLSTREAM_SIDECAR", str(script))
        monkeypatch.setenv("GLSTREAM_FAKE_MODE", mode)
        monkeypatch.setenv("GLSTREAM_FAKE_PIDFILE", str(tmp_path / "pid"))
        return tmp_path / "pid"

    return use
