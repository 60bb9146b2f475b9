"""glstream.run() and glstream.show() of X programs, against the real sidecar, a real Xvfb and real glxgears."""

import os
import signal
import subprocess
import sys
import textwrap

import numpy as np
import pytest
from _helpers import process_exists, wait_for_trait, wait_until
from _png import decode_png

import glstream
from glstream import SourceGoneError, _sidecar


@pytest.fixture
def gears(real_sidecar):
    app = glstream.run(["glxgears", "-geometry", "300x200"])
    yield app
    app.terminate()


def test_run_starts_the_program_on_the_sidecars_display_and_finds_its_window_by_pid(gears):
    window = gears.main_window()
    assert window.pid == gears.pid and window.id > 0
    assert (window.width, window.height) == (300, 200)
    assert gears.display == _sidecar.current().display
    assert window in glstream.windows() and gears.windows() == [window]


def test_show_of_an_app_captures_its_window_at_its_own_size(gears):
    view = glstream.show(gears)
    try:
        assert (view.width, view.height) == (300, 200)
        first = decode_png(view.snapshot())[..., :3].astype(int)
        assert first.shape == (200, 300, 3)
        assert first.std() > 10, "the captured window is blank"

        def turned():
            frame = decode_png(view.snapshot())[..., :3].astype(int)
            return np.abs(frame - first).mean() > 0.5

        wait_until(turned, what="glxgears to turn its gears in the captured frames")
    finally:
        view.close()


def test_a_killed_program_makes_its_view_say_so_and_the_sidecar_goes_on(gears):
    view = glstream.show(gears)
    other = glstream.Viewer(width=64, height=48)
    try:
        os.kill(gears.pid, signal.SIGKILL)
        message = wait_for_trait(view, "error", bool, timeout=15)
        assert "closed" in message or "gone" in message, message
        with pytest.raises(SourceGoneError):
            view.snapshot()
        assert decode_png(other.snapshot()).shape[:2] == (48, 64), "another view keeps working"
        assert _sidecar.current() is not None
    finally:
        view.close()
        other.close()


@pytest.mark.parametrize("target", [3.5, "glxgears", object(), True, None, [1]])
def test_show_of_anything_else_is_a_type_error_naming_the_accepted_kinds(real_sidecar, target):
    with pytest.raises(TypeError, match=r"vtkRenderWindow.*X window id.*glstream\.run"):
        glstream.show(target)
    assert _sidecar.current() is None, "a bad target is refused before the renderer starts"


def test_show_of_a_window_that_does_not_exist_is_a_clear_error(real_sidecar):
    with pytest.raises(ValueError, match="window"):
        glstream.show(0x7FFFFFF)
    with pytest.raises(ValueError, match="positive"):
        glstream.show(-3)


def test_run_refuses_a_string_and_names_a_missing_program(real_sidecar):
    with pytest.raises(TypeError, match="list of strings"):
        glstream.run("glxgears")
    with pytest.raises(FileNotFoundError, match="no-such-program"):
        glstream.run(["no-such-program-of-glstream"])


def test_a_program_that_exits_before_its_window_is_reported_with_its_output(real_sidecar):
    app = glstream.run([sys.executable, "-c", "print('cannot open the data file'); raise SystemExit(3)"])
    with pytest.raises(glstream.GlstreamError, match=r"(?s)exit code 3.*cannot open the data file"):
        app.main_window(timeout=15)


def test_the_program_ends_with_its_kernel_even_when_the_kernel_is_killed(real_sidecar, tmp_path):
    pid_file = tmp_path / "gears.pid"
    kernel = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(f"""
                import pathlib, threading, glstream
                app = glstream.run(["glxgears"])
                app.main_window()
                pathlib.Path({str(pid_file)!r}).write_text(str(app.pid))
                threading.Event().wait()
            """),
        ],
        env=os.environ,
    )
    try:
        gears_pid = int(
            wait_until(lambda: pid_file.exists() and pid_file.read_text(), 60, "the kernel to start glxgears")
        )
        assert process_exists(gears_pid)
        kernel.kill()
        kernel.wait()
        wait_until(lambda: not process_exists(gears_pid), 15, "glxgears to end with its kernel")
    finally:
        kernel.kill()
        kernel.wait()
