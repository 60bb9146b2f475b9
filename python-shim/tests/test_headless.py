"""glstream.headless() / %load_ext glstream with the fake sidecar: the maps parser, the warning about GL libraries
already loaded, idempotence, undoing only what it did, following a restarted sidecar; and glstream.doctor()."""

import json
import os
import warnings

import pytest

import glstream
from glstream import _environ, _headless, _sidecar

MAPS = """\
55d4c0a00000-55d4c0a2c000 r--p 00000000 08:01 1311 /usr/bin/python3.11
7f10a0000000-7f10a0021000 rw-p 00000000 00:00 0
7f10a1000000-7f10a1200000 r-xp 00000000 08:01 2201 /usr/lib/x86_64-linux-gnu/libglib-2.0.so.0.7400.6
7f10a1200000-7f10a1300000 r-xp 00000000 08:01 2202 /usr/lib/x86_64-linux-gnu/libGL.so.1.7.0
7f10a1300000-7f10a1400000 r--p 00010000 08:01 2202 /usr/lib/x86_64-linux-gnu/libGL.so.1.7.0
7f10a1400000-7f10a1500000 r-xp 00000000 08:01 2203 /usr/lib/x86_64-linux-gnu/dri/swrast_dri.so
7f10a1500000-7f10a1600000 r-xp 00000000 08:01 2204 /opt/my libs/libQt5Gui.so.5.15.2 (deleted)
7f10a1600000-7f10a1700000 r-xp 00000000 08:01 2205 /opt/conda/lib/libQt5Core.so.5
7f10a1700000-7f10a1800000 r-xp 00000000 08:01 2206 /opt/VirtualGL/lib64/libvglfaker.so
7f10a1800000-7f10a1900000 r-xp 00000000 08:01 2207 /venv/vtkmodules/libvtkRenderingOpenGL2-9.3.so
7f10a1900000-7f10a1a00000 r-xp 00000000 08:01 2208 /usr/lib/x86_64-linux-gnu/libEGL_mesa.so.0
7f10a1a00000-7f10a1b00000 r-xp 00000000 08:01 2209 /usr/lib/x86_64-linux-gnu/libOpenGL.so.0
7f10a1b00000-7f10a1c00000 r-xp 00000000 08:01 2210 /usr/lib/x86_64-linux-gnu/libGLU.so.1
7ffd10000000-7ffd10021000 rw-p 00000000 00:00 0 [stack]
"""

GL_IN_MAPS = [
    "/usr/lib/x86_64-linux-gnu/libGL.so.1.7.0",
    "/usr/lib/x86_64-linux-gnu/dri/swrast_dri.so",
    "/opt/my libs/libQt5Gui.so.5.15.2",
    "/opt/VirtualGL/lib64/libvglfaker.so",
    "/venv/vtkmodules/libvtkRenderingOpenGL2-9.3.so",
    "/usr/lib/x86_64-linux-gnu/libEGL_mesa.so.0",
    "/usr/lib/x86_64-linux-gnu/libOpenGL.so.0",
    "/usr/lib/x86_64-linux-gnu/libGLU.so.1",
]


@pytest.fixture
def env(monkeypatch, tmp_path):
    """A clean slate: no DISPLAY, nothing recorded as set by glstream; undone afterwards. Returns maps files."""
    monkeypatch.delenv("DISPLAY", raising=False)
    for name in ("GLFAKE_A", "GLFAKE_B", "GLSTREAM_BACKEND", "GLSTREAM_FORCE_HEADLESS"):
        monkeypatch.delenv(name, raising=False)
    _headless.undo()
    clean, gl = tmp_path / "maps-clean", tmp_path / "maps-gl"
    clean.write_text(MAPS.split("\n")[0] + "\n")
    gl.write_text(MAPS)
    yield {"clean": str(clean), "gl": str(gl)}
    _headless.undo()
    assert _environ.owned() == {}


def start_reply(monkeypatch, **fields):
    monkeypatch.setenv("GLSTREAM_FAKE_START", json.dumps(fields))


def test_maps_parser_lists_each_mapped_file_once_and_finds_the_gl_and_qt_libraries():
    paths = _headless.mapped_libraries(MAPS)
    assert paths[0] == "/usr/bin/python3.11" and paths.count("/usr/lib/x86_64-linux-gnu/libGL.so.1.7.0") == 1
    assert "/opt/my libs/libQt5Gui.so.5.15.2" in paths and "[stack]" not in paths
    found = _headless.gl_libraries(MAPS)
    assert [path for path, _ in found] == GL_IN_MAPS
    assert dict(found)["/opt/VirtualGL/lib64/libvglfaker.so"] == "VirtualGL's faker"
    assert dict(found)["/usr/lib/x86_64-linux-gnu/dri/swrast_dri.so"] == "a Mesa driver"
    assert _headless.gl_libraries("") == []


def test_this_test_process_has_no_gl_library_loaded_so_the_check_is_meaningful():
    # the kernel tests rely on a fresh Python with glstream imported not counting as "GL loaded"
    with open("/proc/self/maps") as maps:
        text = maps.read()
    assert any("libc.so" in path for path in _headless.mapped_libraries(text))


def test_headless_sets_display_and_gl_env_and_is_idempotent(fake_sidecar, env, monkeypatch):
    fake_sidecar("ok")
    start_reply(monkeypatch, display=":42", gl_env={"GLFAKE_A": "1"})
    with warnings.catch_warnings():
        warnings.simplefilter("error", glstream.GlstreamWarning)
        first = glstream.headless(maps=env["clean"])
    assert (os.environ["DISPLAY"], os.environ["GLFAKE_A"]) == (":42", "1")
    assert first["display"] == ":42" and first["changed"] == ["DISPLAY", "GLFAKE_A"]
    assert first["already_loaded"] == [] and first["steps"][0]["step"] == "xvfb"
    pid = _sidecar.current().pid
    before = dict(os.environ)
    with warnings.catch_warnings():
        warnings.simplefilter(
            "error", glstream.GlstreamWarning
        )  # a second call with GL loaded does not warn: it does nothing
        second = glstream.headless(maps=env["gl"])
    assert second == first and dict(os.environ) == before and _sidecar.current().pid == pid


def test_unload_restores_only_what_it_set(fake_sidecar, env, monkeypatch):
    fake_sidecar("ok")
    monkeypatch.setenv("DISPLAY", ":5")
    monkeypatch.setenv("GLFAKE_B", "2")
    start_reply(monkeypatch, display=":42", gl_env={"GLFAKE_A": "1", "GLFAKE_B": "2"})
    result = glstream.headless(maps=env["clean"])
    assert result["changed"] == ["DISPLAY", "GLFAKE_A"]  # GLFAKE_B already had the value
    os.environ["GLFAKE_A"] = "mine"  # the user's now
    glstream.unload_ipython_extension(None)
    assert (os.environ["DISPLAY"], os.environ["GLFAKE_A"], os.environ["GLFAKE_B"]) == (":5", "mine", "2")
    del os.environ["GLFAKE_A"]
    glstream.headless(maps=env["clean"])
    glstream.unload_ipython_extension(None)
    assert os.environ["DISPLAY"] == ":5" and "GLFAKE_A" not in os.environ


def test_a_display_already_right_is_left_alone(fake_sidecar, env, monkeypatch):
    fake_sidecar("ok")
    monkeypatch.setenv("DISPLAY", ":7")
    start_reply(monkeypatch, display=":7", display_source="existing")
    assert glstream.headless(maps=env["clean"])["changed"] == []
    assert _sidecar.current().info["inherited_display"] == ":7"
    assert _headless.undo() == [] and os.environ["DISPLAY"] == ":7"


def test_a_restarted_sidecar_gets_a_clean_environment_and_headless_follows_it(fake_sidecar, env, monkeypatch):
    fake_sidecar("ok")
    start_reply(monkeypatch, display=":42", gl_env={"GLFAKE_A": "1"})
    glstream.headless(maps=env["clean"])
    _sidecar.stop_current()
    start_reply(monkeypatch, display=":43")
    moved = glstream.headless(maps=env["clean"])
    assert moved["display"] == ":43" and os.environ["DISPLAY"] == ":43" and "GLFAKE_A" not in os.environ
    assert _sidecar.current().info["inherited_display"] is None, "the new sidecar inherited the old display"
    glstream.unload_ipython_extension(None)
    assert "DISPLAY" not in os.environ


def test_gl_already_loaded_warns_naming_the_libraries_and_skips_preload(fake_sidecar, env, monkeypatch):
    fake_sidecar("ok")
    start_reply(monkeypatch, display=":42", gl_preload=["/nonexistent/libvglfaker.so"])
    with pytest.warns(glstream.GlstreamWarning) as caught:
        result = glstream.headless(maps=env["gl"])
    [message] = [str(warning.message) for warning in caught if warning.category is glstream.GlstreamWarning]
    assert all(path in message for path in GL_IN_MAPS), message
    assert "did not load /nonexistent/libvglfaker.so" in message and "fresh kernel" in message
    assert result["skipped_preload"] == ["/nonexistent/libvglfaker.so"] and result["preloaded"] == []
    assert os.environ["DISPLAY"] == ":42", "DISPLAY is set even when the GL choice is made"


def test_preload_loads_the_library_globally_and_a_missing_one_is_an_error(fake_sidecar, env, monkeypatch):
    fake_sidecar("ok")
    with open("/proc/self/maps") as maps:
        libc = next(path for path in _headless.mapped_libraries(maps.read()) if "/libc.so" in path)
    start_reply(monkeypatch, display=":42", gl_preload=[libc])
    assert glstream.headless(maps=env["clean"])["preloaded"] == [libc]
    _headless.undo()
    _sidecar.stop_current()
    start_reply(monkeypatch, display=":42", gl_preload=["/nonexistent/libvglfaker.so"])
    with pytest.raises(glstream.SidecarError, match=r"could not load /nonexistent/libvglfaker\.so"):
        glstream.headless(maps=env["clean"])


def test_force_asks_for_a_virtual_display_and_refuses_an_existing_one(fake_sidecar, env, monkeypatch):
    fake_sidecar("ok")
    glstream.headless(force=True, maps=env["clean"])
    params = _sidecar.current().info["params"]
    # the lifeline: the read end of the pipe that keeps the display alive while this process holds its write end
    assert params == {"force_headless": True, "lifeline_fd": params["lifeline_fd"]} and params["lifeline_fd"] > 2
    _headless.undo()
    _sidecar.stop_current()
    monkeypatch.setenv("GLSTREAM_BACKEND", "xpra")
    start_reply(monkeypatch, display=":7", display_source="existing")
    with pytest.raises(glstream.SidecarError, match="already runs on the existing display :7"):
        glstream.headless(force=True, maps=env["clean"])
    params = _sidecar.current().info["params"]
    assert params == {"backend": "xpra", "force_headless": True, "lifeline_fd": params["lifeline_fd"]}
    monkeypatch.setenv("GLSTREAM_BACKEND", "vnc")
    with pytest.raises(ValueError, match="GLSTREAM_BACKEND must be xvfb or xpra; got 'vnc'"):
        _sidecar.start_params()


def test_a_sidecar_that_cannot_start_gives_its_reason_and_fix(fake_sidecar, env):
    fake_sidecar("start-error")
    with pytest.raises(glstream.SidecarError) as raised:
        glstream.headless(maps=env["clean"])
    assert str(raised.value).startswith("glstream could not give this kernel a display: ")
    assert "no X server (install Xvfb)" in str(raised.value)
    assert "DISPLAY" not in os.environ


def test_load_ext_prints_the_display_the_renderer_and_the_chain(fake_sidecar, env, monkeypatch, capsys):
    fake_sidecar("ok")
    start_reply(monkeypatch, display=":42", xserver_pid=4242, gl_env={"GLFAKE_A": "1"})
    monkeypatch.setattr(_headless, "_read_maps", lambda _path: "")
    glstream.load_ipython_extension(None)
    out = capsys.readouterr().out
    assert out.startswith(
        "glstream: this kernel renders on display :42 (an Xvfb started by glstream, pid 4242), OpenGL: fake."
    ), out
    assert "GL environment: GLFAKE_A=1" in out and "display chain: xvfb ok (fake)" in out


def test_doctor_prints_the_report_or_returns_it(fake_sidecar, monkeypatch, capsys):
    fake_sidecar("ok")
    assert glstream.doctor(json=True)["display"] == {"name": ":99", "source": "xvfb"}
    assert glstream.doctor() is None
    assert "display:  :99 (xvfb)" in capsys.readouterr().out
    monkeypatch.setenv("GLSTREAM_FAKE_DOCTOR", "Error: something odd")
    report = glstream.doctor(json=True)
    assert (
        "printed no report" in report["problems"][0]["problem"] and "something odd" in report["problems"][0]["problem"]
    )


def test_doctor_without_a_sidecar_explains_instead_of_raising(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("GLSTREAM_SIDECAR", str(tmp_path / "missing" / "cli.js"))
    assert glstream.doctor() is None
    out = capsys.readouterr().out
    assert out.startswith("glstream doctor: problem: $GLSTREAM_SIDECAR is ") and "not a file" in out
    report = glstream.doctor(json=True)
    assert report["glstream"] is None and "not a file" in report["problems"][0]["problem"]


def test_doctor_of_the_real_sidecar(real_sidecar):
    report = glstream.doctor(json=True)
    assert report["glstream"] == glstream.__version__ and isinstance(report["problems"], list)
