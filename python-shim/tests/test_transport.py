"""How a Viewer's frames travel: the transport choice and the renderer's direct websocket (real sidecar).

The way to the renderer is offered to the front end by custom messages, never synced state: a single-use ticket per
connection, handed out by the kernel when the widget is created, when a view asks, and when the transport changes.
"""

import asyncio
import json

import pytest
from tornado.httpclient import HTTPClientError
from tornado.websocket import websocket_connect

from glstream import Viewer
from glstream._live import LiveWidget
from glstream._protocol import PROTOCOL_VERSION, Kind, decode_message


def first_message(url):
    async def read():
        connection = await websocket_connect(url)
        try:
            return await asyncio.wait_for(connection.read_message(), 30)
        finally:
            connection.close()

    data = asyncio.run(read())
    return decode_message(data)


def url(offer, key=None):
    return f"ws://127.0.0.1:{offer['port']}/view/{offer['view']}?key={key or offer['key']}"


@pytest.fixture
def offers(monkeypatch):
    """The "direct" custom messages widgets send to the front end, in order."""
    sent = []
    send = LiveWidget.send

    def record(self, content, buffers=None):
        if isinstance(content, dict) and content.get("type") == "direct":
            sent.append(content)
        return send(self, content, buffers)

    monkeypatch.setattr(LiveWidget, "send", record)
    return sent


def test_a_viewer_offers_a_single_use_ticket_by_message_and_never_in_its_state(real_sidecar, offers):
    viewer = Viewer(width=64, height=48)
    try:
        assert viewer.transport == "auto"
        [offer] = offers
        assert set(offer) == {"type", "port", "key", "view"} and offer["view"] == viewer._view_id
        assert len(offer["key"]) >= 32
        assert "_direct" not in viewer.keys
        assert offer["key"] not in json.dumps(viewer.get_state(), default=repr)
        hello = first_message(url(offer))
        assert hello.kind == Kind.HELLO and hello.meta["protocol"] == PROTOCOL_VERSION
        with pytest.raises(HTTPClientError, match="403"):
            first_message(url(offer))
        with pytest.raises(HTTPClientError, match="403"):
            first_message(url(offer, "wrong"))
        assert first_message(url(offer, hello.meta["key"])).kind == Kind.HELLO, "the HELLO's ticket opens the next"

        viewer._forward_input(viewer, {"type": "direct", "asker": "view-1"}, [])
        answer = offers[-1]
        assert answer["asker"] == "view-1" and answer["key"] != offer["key"]
        assert first_message(url(answer)).kind == Kind.HELLO

        second = Viewer(width=64, height=48)
        assert offers[-1]["port"] == offer["port"] and offers[-1]["view"] == second._view_id
        with pytest.raises(HTTPClientError, match="403"):
            first_message(url({**offers[-1], "view": viewer._view_id}))
        second.close()
    finally:
        viewer.close()


def test_comm_offers_no_ticket_and_revokes_those_handed_out_before(real_sidecar, monkeypatch, offers):
    monkeypatch.setenv("GLSTREAM_TRANSPORT", "comm")
    viewer = Viewer(width=64, height=48)
    try:
        assert viewer.transport == "comm" and offers == [{"type": "direct", "port": None}]
        viewer.transport = "proxy"
        offer = offers[-1]
        assert offer["view"] == viewer._view_id and offer["key"]
        viewer.transport = "comm"
        assert offers[-1] == {"type": "direct", "port": None}
        with pytest.raises(HTTPClientError, match="403"):
            first_message(url(offer))
    finally:
        viewer.close()


def test_an_unknown_transport_is_refused_naming_the_choices(real_sidecar, monkeypatch):
    with pytest.raises(ValueError, match="transport must be one of auto, comm, loopback, proxy; got 'udp'"):
        Viewer(transport="udp")
    monkeypatch.setenv("GLSTREAM_TRANSPORT", "websocket")
    with pytest.raises(
        ValueError, match="GLSTREAM_TRANSPORT must be one of auto, comm, loopback, proxy; got 'websocket'"
    ):
        Viewer()
