"""A stand-in for the Node sidecar, for unit tests; behaviour picked by $GLSTREAM_FAKE_MODE.

ok: speaks the protocol (plus test-only methods history/requests/fail/hang/die; requests answers every other request
so far with its params and buffer sizes; fail writes params["stderr"] to stderr, then answers with the error
params["error"]); version: says HELLO with protocol 999;
exit: writes to stderr and exits 3; silent: never says anything; garbage: writes non-protocol bytes;
start-error: answers "start" with an error.
add_object checks its buffers against its arrays; get_camera and pick give canned answers (a hit left of x = 10).
The "start" reply is merged with the JSON object in $GLSTREAM_FAKE_START, and echoes the params and the DISPLAY
the fake was started with; `doctor [--json]` prints $GLSTREAM_FAKE_DOCTOR (or a small report) and exits.
"""

import json
import math
import os
import sys
import threading

from glstream._protocol import PROTOCOL_VERSION, Kind, MessageReader, encode_message

MODE = os.environ.get("GLSTREAM_FAKE_MODE", "ok")
OUT = sys.stdout.buffer
history = []
requests = []
ITEM_SIZES = {"float32": 4, "uint32": 4, "uint8": 1}


def send(kind, meta, payload=b""):
    OUT.write(encode_message(kind, meta, payload))
    OUT.flush()


def reply(request, result=None, payload=b"", error=None):
    meta = {"id": request["id"], "ok": error is None}
    meta.update({"result": result or {}} if error is None else {"error": error})
    send(Kind.REPLY, meta, payload)


def handle_request(meta, payload):
    method, params = meta["method"], meta["params"]
    history.append(method)
    if method != "requests":
        requests.append({"method": method, "params": params, "buffers": meta["buffers"]})
    if method == "start":
        if MODE == "start-error":
            error = {"code": "display_unavailable", "message": "no X server", "hint": "install Xvfb"}
            return reply(meta, error=error)
        result = {
            "display": ":99",
            "display_source": "xvfb",
            "xserver_pid": None,
            "gl": {"vendor": "fake", "renderer": "fake", "version": "WebGL 1.0"},
            "gl_env": {},
            "gl_preload": [],
            "steps": [{"step": "xvfb", "status": "ok", "reason": "fake"}],
            "params": params,
            "inherited_display": os.environ.get("DISPLAY"),
        }
        result.update(json.loads(os.environ.get("GLSTREAM_FAKE_START", "{}")))
        return reply(meta, result)
    if method == "add_object":
        sizes = [ITEM_SIZES[spec["dtype"]] * math.prod(spec["shape"]) for spec in params["arrays"]]
        if meta["buffers"] != sizes or len(payload) != sum(sizes):
            return reply(meta, error={"code": "protocol", "message": f"buffers {meta['buffers']}, arrays {sizes}"})
        return reply(meta, {"object": params["object"], "kind": params["kind"]})
    elif method == "get_camera":
        return reply(meta, {"position": [0, 0, 5], "target": [0, 0, 0], "up": [0, 1, 0], "fov": 30, "auto": True})
    elif method == "pick":
        # something is drawn left of x = 10, nothing right of it
        hit = {"object": "o1", "name": "hit", "kind": "mesh", "index": 0, "vertex": 2, "position": [1, 2, 3]}
        return reply(meta, {"pick": {**hit, "value": None} if params["x"] < 10 else None})
    elif method == "snapshot":
        size = {"width": params.get("width", 800), "height": params.get("height", 500)}
        return reply(meta, size, b"\x89PNG\r\n\x1a\n" + str(size).encode())
    elif method == "history":
        return reply(meta, {"history": history[:-1]})
    elif method == "requests":
        return reply(meta, {"requests": requests})
    elif method == "direct":
        return reply(meta, {"port": 1, "key": "fake-key"})
    elif method == "fail":
        # the sidecar logs a failure before it reports it, as the Node one does with its stack traces
        sys.stderr.write(params.get("stderr", ""))
        sys.stderr.flush()
        return reply(meta, error=params["error"])
    elif method == "hang":
        return None
    elif method == "die":
        sys.stderr.write("fake: dying on request\n")
        sys.stderr.flush()
        os._exit(7)
    return reply(meta)


def handle_event(meta):
    history.append(meta)
    if meta.get("type") == "resize":
        send(
            Kind.FRAME,
            {
                "view": meta["view"],
                "seq": 1,
                "mime": "image/jpeg",
                "width": meta["width"],
                "height": meta["height"],
                "still": False,
                "input_seq": 0,
            },
            b"\xff\xd8fake",
        )
    elif meta.get("type") == "key" and meta.get("key") == "notice":
        send(Kind.NOTICE, {"level": "error", "message": "render failed", "view": meta["view"]})


def main():
    if os.environ.get("GLSTREAM_FAKE_PIDFILE"):
        with open(os.environ["GLSTREAM_FAKE_PIDFILE"], "w") as pidfile:
            pidfile.write(str(os.getpid()))
    sys.stderr.write(f"fake sidecar {MODE} starting with {sys.argv[1:]}\n")
    sys.stderr.flush()
    if sys.argv[1:2] == ["doctor"]:
        report = {"glstream": "0.1.0", "display": {"name": ":99", "source": "xvfb"}, "problems": []}
        text = os.environ.get("GLSTREAM_FAKE_DOCTOR", json.dumps(report))
        print(text if "--json" in sys.argv else "glstream 0.1.0 (fake)\ndisplay:  :99 (xvfb)\nno problems found")
        sys.exit(0)
    if MODE == "exit":
        sys.stderr.write("fake: cannot open display :42 (no X server)\n")
        sys.exit(3)
    if MODE == "silent":
        threading.Event().wait()
    if MODE == "garbage":
        OUT.write(b"Debugger listening on ws://127.0.0.1:9229\n" * 2)
        OUT.flush()
        sys.stdin.buffer.read()
        return
    send(
        Kind.HELLO,
        {
            "protocol": 999 if MODE == "version" else PROTOCOL_VERSION,
            "name": "glstream-sidecar",
            "version": "0.1.0",
            "pid": os.getpid(),
        },
    )
    reader = MessageReader(sys.stdin.buffer)
    message = reader.read()
    while message is not None:
        if message.kind == Kind.REQUEST:
            handle_request(message.meta, message.payload)
        elif message.kind == Kind.EVENT:
            handle_event(message.meta)
        message = reader.read()


main()
