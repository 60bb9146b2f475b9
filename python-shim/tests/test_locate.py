"""Finding the sidecar: $GLSTREAM_SIDECAR, then {sys.prefix}/bin/glstream, then PATH; .js runs under node."""

import os
import sys

import pytest

from glstream import SidecarError
from glstream._locate import sidecar_command


@pytest.fixture
def nowhere(tmp_path, monkeypatch):
    """No sidecar anywhere: empty PATH, a sys.prefix without bin/glstream, no env overrides."""
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    monkeypatch.setattr(sys, "prefix", str(tmp_path / "prefix"))
    monkeypatch.delenv("GLSTREAM_SIDECAR", raising=False)
    monkeypatch.delenv("GLSTREAM_NODE", raising=False)
    return tmp_path


def executable(path):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("#!/bin/sh\n")
    path.chmod(0o755)
    return path


def test_missing_sidecar_names_every_place_searched_and_the_fix(nowhere):
    with pytest.raises(SidecarError) as caught:
        sidecar_command()
    message = str(caught.value)
    assert "$GLSTREAM_SIDECAR (not set)" in message
    assert f"{nowhere / 'prefix' / 'bin' / 'glstream'} (not found)" in message
    assert "`glstream` on PATH (not found)" in message
    assert f"npm install --global --prefix {nowhere / 'prefix'} @glstream/sidecar" in message


def test_env_pointing_at_a_js_file_runs_it_with_node_after_resolving_links(nowhere, monkeypatch):
    cli = nowhere / "pkg" / "dist" / "cli.js"
    cli.parent.mkdir(parents=True)
    cli.write_text("")
    link = nowhere / "glstream-link"
    link.symlink_to(cli)
    node = executable(nowhere / "bin" / "node")
    monkeypatch.setenv("GLSTREAM_SIDECAR", str(link))
    monkeypatch.setenv("GLSTREAM_NODE", str(node))
    assert sidecar_command() == [str(node), str(cli)]


def test_node_is_taken_from_path_and_its_absence_is_explained(nowhere, monkeypatch):
    cli = nowhere / "cli.js"
    cli.write_text("")
    monkeypatch.setenv("GLSTREAM_SIDECAR", str(cli))
    with pytest.raises(SidecarError, match="`node` is not on PATH and GLSTREAM_NODE is not set"):
        sidecar_command()
    node = executable(nowhere / "empty" / "node")
    assert sidecar_command() == [str(node), str(cli)]


def test_env_pointing_nowhere_is_an_error(nowhere, monkeypatch):
    monkeypatch.setenv("GLSTREAM_SIDECAR", str(nowhere / "missing.js"))
    with pytest.raises(SidecarError, match=r"missing\.js', which is not a file"):
        sidecar_command()


def test_prefix_bin_wins_over_path_and_npm_links_resolve_to_cli_js(nowhere, monkeypatch):
    cli = nowhere / "prefix" / "lib" / "node_modules" / "@glstream" / "sidecar" / "dist" / "cli.js"
    cli.parent.mkdir(parents=True)
    cli.write_text("")
    (nowhere / "prefix" / "bin").mkdir()
    os.symlink(os.path.relpath(cli, nowhere / "prefix" / "bin"), nowhere / "prefix" / "bin" / "glstream")
    executable(nowhere / "empty" / "glstream")
    node = executable(nowhere / "empty" / "node")
    assert sidecar_command() == [str(node), str(cli)]


def test_an_executable_on_path_runs_directly(nowhere):
    program = executable(nowhere / "empty" / "glstream")
    assert sidecar_command() == [str(program)]
