"""How a Viewer's frames travel: the transport choice and the renderer's direct websocket (real sidecar)."""

import asyncio

import pytest
from tornado.httpclient import HTTPClientError
from tornado.websocket import websocket_connect

from glstream import Viewer
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


def test_a_viewer_offers_the_renderers_direct_websocket_and_it_answers_with_hello(real_sidecar):
    viewer = Viewer(width=64, height=48)
    try:
        direct = viewer._direct
        assert viewer.transport == "auto"
        assert set(direct) == {"port", "key", "view"} and direct["view"] == viewer._view_id
        assert len(direct["key"]) >= 32
        hello = first_message(f"ws://127.0.0.1:{direct['port']}/view/{direct['view']}?key={direct['key']}")
        assert hello.kind == Kind.HELLO and hello.meta["protocol"] == PROTOCOL_VERSION
        with pytest.raises(HTTPClientError, match="403"):
            first_message(f"ws://127.0.0.1:{direct['port']}/view/{direct['view']}?key=wrong")
        second = Viewer(width=64, height=48)
        assert {k: v for k, v in second._direct.items() if k != "view"} == {
            k: v for k, v in direct.items() if k != "view"
        }
        second.close()
    finally:
        viewer.close()


def test_comm_keeps_the_key_from_the_page_until_another_transport_is_chosen(real_sidecar, monkeypatch):
    monkeypatch.setenv("GLSTREAM_TRANSPORT", "comm")
    viewer = Viewer(width=64, height=48)
    try:
        assert viewer.transport == "comm" and viewer._direct == {}
        viewer.transport = "proxy"
        assert viewer._direct["view"] == viewer._view_id
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
