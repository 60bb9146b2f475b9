"""A view's acks and input from the browser, handled as they arrive and, where ipykernel allows, while a cell runs.

A widget's comm messages wait for the kernel's main thread: while a cell runs, a view on the comm would stop at its
frame window (no acks come) and ignore the mouse. ipykernel >= 7 reads shell messages on a thread of its own and
hands each to the main thread or to a subshell (JEP 91: a thread with its own event loop); from 7.4 it asks the comm
of a comm message which subshell gets it (`_reply_subshell_for(data, default)`, the hook ipykernel itself uses to
send a widget's reply to the subshell that asked). glstream makes one subshell per kernel and names it for its own
acks and input, which then reach the renderer whatever the main thread is doing. Everything else (state updates,
clicks, which run the user's callbacks, ticket requests) stays on the main thread. A kernel without the hook keeps
every message on the main thread, as before.

Either way an ack or input message is taken from the comm before ipywidgets sees it and forwarded as it is, without
the comm's pre_execute and post_execute events: hooks such as matplotlib's figure flush must not run on another
thread in the middle of a cell, and need not run for a pointer move.
"""

from __future__ import annotations

import concurrent.futures
import logging
import threading
from typing import Any, Callable

from ._limits import INPUT_TYPES, PIGGYBACK_ACKS_MAX

log = logging.getLogger("glstream")

SUBSHELL_TIMEOUT = 10.0

_lock = threading.Lock()
_subshell: dict[str, str | None] = {}


def fast_events(content: Any) -> list[dict] | None:
    """The events in a custom message's `content` if it is input (an ack too), else None: the message is for the
    main thread. An event may carry the acks of other frames (`acks`, at most PIGGYBACK_ACKS_MAX): they follow it,
    each an ack of its own; the renderer checks every event."""
    if not isinstance(content, dict) or content.get("type") not in INPUT_TYPES:
        return None
    event = {key: value for key, value in content.items() if key != "acks"}
    acks = content.get("acks")
    return [
        event,
        *({"type": "ack", "seq": seq} for seq in (acks if isinstance(acks, list) else [])[:PIGGYBACK_ACKS_MAX]),
    ]


def _custom_content(data: Any) -> Any:
    return data.get("content") if isinstance(data, dict) and data.get("method") == "custom" else None


def install(comm: Any, forward: Callable[[dict], None]) -> bool:
    """Send `comm`'s acks and input to `forward` (one event at a time) as they arrive; True when they arrive on
    glstream's subshell, off the main thread."""
    handle = comm.handle_msg

    def handle_msg(msg: dict) -> None:
        events = fast_events(_custom_content(msg.get("content", {}).get("data")))
        if events is None:
            handle(msg)
            return
        for event in events:
            forward(event)

    comm.handle_msg = handle_msg
    route = getattr(comm, "_reply_subshell_for", None)
    subshell = _glstream_subshell() if route is not None else None
    if route is None or subshell is None:
        return False

    def reply_subshell_for(data: Any, default: str | None) -> str | None:
        return subshell if fast_events(_custom_content(data)) is not None else route(data, default)

    comm._reply_subshell_for = reply_subshell_for
    return True


def _glstream_subshell() -> str | None:
    """The id of glstream's subshell in this kernel, made on first use; None where there can be none."""
    with _lock:
        if "id" not in _subshell:
            _subshell["id"] = _create_subshell()
        return _subshell["id"]


def _create_subshell() -> str | None:
    try:
        from ipykernel.kernelbase import Kernel
    except ImportError:
        return None
    if not Kernel.initialized():
        return None
    thread = getattr(Kernel.instance(), "shell_channel_thread", None)
    if thread is None:
        return None
    # A subshell is made on the shell channel thread (ipykernel's create_subshell_request does the same through its
    # control socket, which belongs to the control thread).
    created: concurrent.futures.Future = concurrent.futures.Future()

    def create() -> None:
        try:
            created.set_result(thread.manager._create_subshell())
        except BaseException as error:
            created.set_exception(error)

    try:
        thread.io_loop.add_callback(create)
        return created.result(timeout=SUBSHELL_TIMEOUT)
    except Exception as error:
        log.warning("glstream: no subshell for the views' input (%s); it waits while a cell runs", error)
        return None
