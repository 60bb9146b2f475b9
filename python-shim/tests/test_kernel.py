"""Inside a real IPython kernel: comm messages reach the sidecar as events, frames come back as binary
buffers, and the sidecar does not outlive the kernel."""

import json
import os
import select
import signal

import pytest
from jupyter_client.manager import start_new_kernel

CELL = "import os\nfrom glstream import Viewer\nv = Viewer(width=300, height=150)\nprint(os.getpid(), v.sidecar.pid)\n"


def run_cell(client, code):
    """Execute `code`; return (stdout text, iopub messages) once the kernel is idle again."""
    msg_id = client.execute(code)
    messages, text = [], ""
    while True:
        message = client.get_iopub_msg(timeout=60)
        if message["parent_header"].get("msg_id") != msg_id:
            continue
        messages.append(message)
        if message["msg_type"] == "error":
            pytest.fail("\n".join(message["content"]["traceback"]))
        if message["msg_type"] == "stream":
            text += message["content"]["text"]
        if message["msg_type"] == "status" and message["content"]["execution_state"] == "idle":
            return text, messages


def wait_for_exit(pid, timeout):
    """True if process `pid` exits within `timeout` seconds."""
    try:
        fd = os.pidfd_open(pid)
    except ProcessLookupError:
        return True
    try:
        return bool(select.select([fd], [], [], timeout)[0])
    finally:
        os.close(fd)


@pytest.fixture(params=["fake", "real"])
def sidecar_env(request, fake_sidecar):
    if request.param == "fake":
        fake_sidecar("ok")
    else:
        request.getfixturevalue("real_sidecar")
    return request.param


def test_events_and_frames_cross_the_comm_and_the_sidecar_dies_with_the_kernel(sidecar_env):
    manager, client = start_new_kernel(kernel_name="python3", env=dict(os.environ))
    try:
        text, messages = run_cell(client, CELL)
        kernel_pid, sidecar_pid = (int(word) for word in text.split())
        opened = [
            m
            for m in messages
            if m["msg_type"] == "comm_open"
            and m["content"]["data"]["state"].get("_anywidget_id") == "glstream.viewer.Viewer"
        ]
        assert len(opened) == 1
        state = opened[0]["content"]["data"]["state"]
        # anywidget's model, carrying glstream's front end: no labextension of glstream's is needed
        assert (state["_model_module"], state["_model_name"], state["_view_name"]) == (
            "anywidget",
            "AnyModel",
            "AnyView",
        )
        assert "export" in state["_esm"] and ".glstream-viewer" in state["_css"]
        assert (state["width"], state["height"], state["error"]) == (300, 150, "")
        comm_id = opened[0]["content"]["comm_id"]

        resize = {"type": "resize", "width": 300, "height": 150, "dpr": 1}
        client.shell_channel.send(
            client.session.msg("comm_msg", {"comm_id": comm_id, "data": {"method": "custom", "content": resize}})
        )
        while True:
            message = client.get_iopub_msg(timeout=60)
            data = message["content"].get("data", {}) if message["msg_type"] == "comm_msg" else {}
            if data.get("method") == "custom" and data["content"].get("type") == "frame":
                break
        frame = data["content"]
        assert frame["mime"] in ("image/jpeg", "image/png") and "view" not in frame
        assert (frame["width"], frame["height"]) == (300, 150), json.dumps(frame)
        assert len(message["buffers"]) == 1 and len(message["buffers"][0]) > 0
        magic = bytes(message["buffers"][0][:2])
        assert magic == (b"\xff\xd8" if frame["mime"] == "image/jpeg" else b"\x89P")

        os.kill(kernel_pid, signal.SIGKILL)
        assert wait_for_exit(sidecar_pid, 20), "the sidecar outlived its kernel"
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)
