"""Inside a real IPython kernel (ipykernel 7.4, with subshells): a comm view answers a drag while a cell keeps the
main thread busy. Its acks and input go to glstream's subshell, so frames showing the input arrive before the cell
ends; a click (the user's callbacks) still waits for the main thread."""

import os
import queue
import time

from jupyter_client.manager import start_new_kernel

SETUP = """
import numpy as np
from glstream import Viewer
v = Viewer(width=160, height=120, transport="comm")
v.add_mesh(np.array([[-1, -1, 0], [1, -1, 0], [0, 1, 0]], dtype=float), np.array([[0, 1, 2]]))
clicks = []
v._clicked = lambda x, y: clicks.append((x, y))
"""
# The workload: a loop that holds the GIL for seconds, not a sleep that gives it away.
BUSY = "import time\nend = time.monotonic() + {seconds}\nwhile time.monotonic() < end:\n    pass\n"
BUSY_SECONDS = 20


def wait_idle(client, msg_id, timeout=120):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        message = client.get_iopub_msg(timeout=timeout)
        if message["msg_type"] == "error" and message["parent_header"].get("msg_id") == msg_id:
            raise AssertionError("\n".join(message["content"]["traceback"]))
        if (
            message["msg_type"] == "status"
            and message["parent_header"].get("msg_id") == msg_id
            and message["content"]["execution_state"] == "idle"
        ):
            return
    raise AssertionError(f"the cell did not end within {timeout} s")


def viewer_comm(client, msg_id):
    """The comm id of the Viewer the cell `msg_id` opened, and the messages of that cell up to its end."""
    comm_id = None
    while True:
        message = client.get_iopub_msg(timeout=120)
        if message["parent_header"].get("msg_id") != msg_id:
            continue
        if message["msg_type"] == "error":
            raise AssertionError("\n".join(message["content"]["traceback"]))
        state = message["content"].get("data", {}).get("state", {}) if message["msg_type"] == "comm_open" else {}
        if state.get("_anywidget_id") == "glstream.viewer.Viewer":
            comm_id = message["content"]["comm_id"]
        if message["msg_type"] == "status" and message["content"]["execution_state"] == "idle":
            assert comm_id is not None, "the cell opened no Viewer"
            return comm_id


def send_custom(client, comm_id, content):
    client.shell_channel.send(
        client.session.msg("comm_msg", {"comm_id": comm_id, "data": {"method": "custom", "content": content}})
    )


def pointer(phase, x, seq):
    flags = {"ctrl": False, "shift": False, "alt": False, "meta": False}
    return {"type": "pointer", "phase": phase, "x": x, "y": 60, "button": 0, "buttons": 1, **flags, "seq": seq, "t": 0}


def frames_until(client, comm_id, done, deadline, busy_id):
    """Read iopub, acking every frame of the view, until `done(frame)`; return
    that frame and whether the busy cell had already ended."""
    while time.monotonic() < deadline:
        try:
            message = client.get_iopub_msg(timeout=max(0.1, deadline - time.monotonic()))
        except queue.Empty:
            break
        ours = message["parent_header"].get("msg_id") == busy_id and message["msg_type"] == "status"
        if ours and message["content"]["execution_state"] == "idle":
            return None, True
        if message["msg_type"] != "comm_msg" or message["content"]["comm_id"] != comm_id:
            continue
        content = message["content"]["data"].get("content", {})
        if content.get("type") != "frame":
            continue
        send_custom(client, comm_id, {"type": "ack", "seq": content["seq"]})
        if done(content):
            return content, False
    raise AssertionError("no frame showed the input in time")


def test_a_comm_view_answers_a_drag_while_a_cell_runs(real_sidecar):
    manager, client = start_new_kernel(kernel_name="python3", env=dict(os.environ))
    try:
        info = client.kernel_info(reply=True)["content"]
        assert "kernel subshells" in info.get("supported_features", []), "this ipykernel has no subshells"
        comm_id = viewer_comm(client, client.execute(SETUP))
        send_custom(client, comm_id, {"type": "resize", "width": 160, "height": 120, "dpr": 1})
        first, _ = frames_until(client, comm_id, lambda frame: True, time.monotonic() + 60, None)
        assert first["still"] is True

        busy_id = client.execute(BUSY.format(seconds=BUSY_SECONDS))
        # The cell has started once the kernel says so; then the main thread is in the loop.
        while True:
            message = client.get_iopub_msg(timeout=60)
            if message["parent_header"].get("msg_id") == busy_id and message["msg_type"] == "execute_input":
                break
        started = time.monotonic()
        send_custom(client, comm_id, pointer("down", 40, 1))
        seq = 1
        for x in range(44, 120, 4):
            seq += 1
            send_custom(client, comm_id, pointer("move", x, seq))
        deadline = started + BUSY_SECONDS - 2
        moved, ended = frames_until(client, comm_id, lambda frame: frame["input_seq"] >= seq, deadline, busy_id)
        assert not ended, "the frame showing the drag came only after the cell ended"
        assert moved is not None and moved["still"] is False
        # A click runs the user's callback: on the main thread, so after the cell.
        send_custom(client, comm_id, {"type": "click", "x": 10, "y": 20})
        wait_idle(client, busy_id)
        reply = client.execute("assert clicks == [(10, 20)], clicks", reply=True, timeout=60)
        assert reply["content"]["status"] == "ok"
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)
