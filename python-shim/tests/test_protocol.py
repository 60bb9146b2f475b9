"""The Python framing matches the shared vectors byte for byte, and rejects what the TypeScript side rejects."""

import io
import json
import pathlib
import struct

import pytest

from glstream._protocol import (
    HEADER_SIZE,
    MAGIC,
    MAX_META_BYTES,
    MAX_PAYLOAD_BYTES,
    PROTOCOL_VERSION,
    Kind,
    MessageReader,
    ProtocolError,
    decode_message,
    encode_header,
    encode_message,
)

VECTORS = json.loads((pathlib.Path(__file__).parent / "../../packages/protocol/vectors.json").read_text("utf-8"))[
    "vectors"
]
IDS = [vector["name"] for vector in VECTORS]


def test_constants_match_the_typescript_header():
    header = (pathlib.Path(__file__).parent / "../../packages/protocol/src/header.ts").read_text("utf-8")
    version = (pathlib.Path(__file__).parent / "../../packages/protocol/src/version.ts").read_text("utf-8")
    assert "MAGIC = 0x5453_4c47" in header and MAGIC == 0x5453_4C47 and struct.pack("<I", MAGIC) == b"GLST"
    assert f"HEADER_SIZE = {HEADER_SIZE};" in header
    assert "MAX_META_BYTES = 1 << 20;" in header and MAX_META_BYTES == 1 << 20
    assert "MAX_PAYLOAD_BYTES = 1 << 30;" in header and MAX_PAYLOAD_BYTES == 1 << 30
    assert f"PROTOCOL_VERSION = {PROTOCOL_VERSION};" in version
    for kind in Kind:
        assert f"{kind.name}: {kind.value}," in header


@pytest.mark.parametrize("vector", VECTORS, ids=IDS)
def test_encodes_the_shared_vector(vector):
    assert encode_message(vector["kind"], vector["meta"], bytes.fromhex(vector["payload"])).hex() == vector["bytes"]


@pytest.mark.parametrize("vector", VECTORS, ids=IDS)
def test_decodes_the_shared_vector(vector):
    kind, meta, payload = decode_message(bytes.fromhex(vector["bytes"]))
    assert (kind, meta, payload.hex()) == (vector["kind"], vector["meta"], vector["payload"])
    assert isinstance(kind, Kind)


class Trickle(io.RawIOBase):
    """A stream that hands out at most `size` bytes per read, like a pipe."""

    def __init__(self, data, size):
        self._data, self._size, self._offset = data, size, 0

    def readable(self):
        return True

    def readinto(self, buffer):
        chunk = self._data[self._offset : self._offset + min(self._size, len(buffer))]
        buffer[: len(chunk)] = chunk
        self._offset += len(chunk)
        return len(chunk)


@pytest.mark.parametrize("size", [1, 3, 16, 17, 1000])
def test_reader_reassembles_messages_from_short_reads(size):
    stream = b"".join(bytes.fromhex(vector["bytes"]) for vector in VECTORS)
    reader = MessageReader(Trickle(stream, size))
    seen = []
    message = reader.read()
    while message is not None:
        seen.append(message)
        message = reader.read()
    assert [m.meta for m in seen] == [v["meta"] for v in VECTORS]
    assert [m.payload.hex() for m in seen] == [v["payload"] for v in VECTORS]


def test_reader_works_with_read_only_streams():
    class ReadOnly:
        def __init__(self, data):
            self._stream = io.BytesIO(data)

        def read(self, n):
            return self._stream.read(n)

    reader = MessageReader(ReadOnly(bytes.fromhex(VECTORS[0]["bytes"])))
    assert reader.read().meta == VECTORS[0]["meta"]
    assert reader.read() is None


def test_reader_rejects_a_stream_that_ends_mid_message():
    data = bytes.fromhex(VECTORS[1]["bytes"])
    with pytest.raises(ProtocolError, match="ended in the middle of a message"):
        MessageReader(io.BytesIO(data[:-5])).read()
    with pytest.raises(ProtocolError, match="ended in the middle"):
        MessageReader(io.BytesIO(data[: HEADER_SIZE - 1])).read()


def test_bad_magic_names_the_likely_cause():
    data = bytearray.fromhex(VECTORS[0]["bytes"])
    data[0] = 0x7B
    with pytest.raises(ProtocolError, match="not speaking the glstream protocol"):
        decode_message(bytes(data))
    with pytest.raises(ProtocolError, match="not speaking"):
        MessageReader(io.BytesIO(bytes(data))).read()


def test_unknown_kinds_and_truncated_messages_are_rejected():
    data = bytearray.fromhex(VECTORS[0]["bytes"])
    with pytest.raises(ProtocolError, match="should be"):
        decode_message(bytes(data[: HEADER_SIZE + 2]))
    with pytest.raises(ProtocolError, match="needs 16 bytes"):
        decode_message(bytes(data[:10]))
    data[4] = 99
    with pytest.raises(ProtocolError, match="Unknown message kind 99"):
        decode_message(bytes(data))
    with pytest.raises(TypeError, match="Unknown message kind"):
        encode_message(42, {})


@pytest.mark.parametrize("offset", [5, 6, 7])
def test_flags_and_reserved_bytes_must_be_zero(offset):
    # as in TypeScript: a header read from the wrong offset is refused rather than trusted for its lengths
    data = bytearray.fromhex(VECTORS[0]["bytes"])
    data[offset] = 1
    with pytest.raises(ProtocolError, match=r"flags .* and reserved .* must both be 0"):
        decode_message(bytes(data))


def test_metadata_must_be_a_json_object_of_valid_utf8():
    for text in (b"[1]", b"{\xff}", b"{nope"):
        data = encode_header(Kind.NOTICE, len(text), 0) + text
        with pytest.raises(ProtocolError, match="JSON"):
            decode_message(data)


def test_limits_are_enforced_both_ways():
    with pytest.raises(ValueError, match="limit"):
        encode_header(Kind.FRAME, MAX_META_BYTES + 1, 0)
    with pytest.raises(ValueError, match="limit"):
        encode_header(Kind.FRAME, 0, MAX_PAYLOAD_BYTES + 1)
    oversized = struct.pack("<IBBHII", MAGIC, Kind.FRAME, 0, 0, 2, MAX_PAYLOAD_BYTES + 1)
    with pytest.raises(ProtocolError, match="exceeds the limit"):
        decode_message(oversized)


def test_json_is_compact_unescaped_and_refuses_nan():
    assert encode_message(Kind.EVENT, {"key": "é", "a": [1, 2]})[HEADER_SIZE:] == '{"key":"é","a":[1,2]}'.encode()
    with pytest.raises(ValueError):
        encode_message(Kind.EVENT, {"x": float("nan")})
