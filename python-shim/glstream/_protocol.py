"""The stdio framing between the shim and the sidecar; mirrors packages/protocol/src byte for byte.

offset size  field
0      4     MAGIC           ASCII "GLST"
4      1     kind            one of Kind
5      1     flags           reserved, 0
6      2     reserved        0
8      4     meta length     bytes of UTF-8 JSON that follow the header
12     4     payload length  raw bytes that follow the JSON
All integers little-endian.
"""

from __future__ import annotations

import enum
import json
import struct
from typing import Any, BinaryIO, NamedTuple

from ._errors import GlstreamError

PROTOCOL_VERSION = 2
MAGIC = 0x5453_4C47
HEADER_SIZE = 16
MAX_META_BYTES = 1 << 20
MAX_PAYLOAD_BYTES = 1 << 30

_HEADER = struct.Struct("<IBBHII")


class Kind(enum.IntEnum):
    """Message kinds on the stdio channel."""

    HELLO = 1
    REQUEST = 2
    REPLY = 3
    EVENT = 4
    FRAME = 5
    NOTICE = 6
    CAPTURE = 7


_KINDS = frozenset(int(kind) for kind in Kind)


class ProtocolError(GlstreamError):
    """Bytes on the channel are not a glstream message."""


class Header(NamedTuple):
    """A decoded frame header."""

    kind: Kind
    meta_length: int
    payload_length: int


class Message(NamedTuple):
    """One message on the stdio channel."""

    kind: Kind
    meta: dict
    payload: bytes


def _check_lengths(meta_length: int, payload_length: int, error: type[Exception]) -> None:
    for part, length, limit in (
        ("Metadata", meta_length, MAX_META_BYTES),
        ("Payload", payload_length, MAX_PAYLOAD_BYTES),
    ):
        if length > limit:
            raise error(f"{part} of {length} bytes exceeds the limit of {limit}")


def encode_header(kind: int, meta_length: int, payload_length: int) -> bytes:
    """The header bytes of a message of this kind and these lengths; ValueError past the limits."""
    if kind not in _KINDS:
        raise TypeError(f"Unknown message kind: {kind!r}")
    _check_lengths(meta_length, payload_length, ValueError)
    return _HEADER.pack(MAGIC, kind, 0, 0, meta_length, payload_length)


def decode_header(data: bytes) -> Header:
    """Read and check the header in the first HEADER_SIZE bytes of `data`; ProtocolError if it is not one."""
    if len(data) < HEADER_SIZE:
        raise ProtocolError(f"A header needs {HEADER_SIZE} bytes, got {len(data)}")
    magic, kind, flags, reserved, meta_length, payload_length = _HEADER.unpack_from(data)
    if magic != MAGIC:
        raise ProtocolError(
            f"Bad magic 0x{magic:08x}: the peer is not speaking the glstream protocol "
            "(is something else writing to stdout?)"
        )
    if kind not in _KINDS:
        raise ProtocolError(f"Unknown message kind {kind}")
    if flags != 0 or reserved != 0:
        raise ProtocolError(f"Header flags {flags} and reserved {reserved} must both be 0")
    _check_lengths(meta_length, payload_length, ProtocolError)
    return Header(Kind(kind), meta_length, payload_length)


def encode_meta(meta: dict[str, Any]) -> bytes:
    """Compact UTF-8 JSON, keys in insertion order, as JSON.stringify writes it."""
    return json.dumps(meta, separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode("utf-8")


def encode_message(kind: int, meta: dict[str, Any], payload: bytes = b"") -> bytes:
    """Encode one message: header, compact JSON metadata, raw payload."""
    meta_bytes = encode_meta(meta)
    return encode_header(kind, len(meta_bytes), len(payload)) + meta_bytes + bytes(payload)


def _decode_meta(data: bytes | bytearray) -> dict:
    try:
        meta = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as error:
        raise ProtocolError("Message metadata is not valid UTF-8 JSON") from error
    if not isinstance(meta, dict):
        raise ProtocolError("Message metadata must be a JSON object")
    return meta


def decode_message(data: bytes) -> Message:
    """Decode exactly one message from `data`."""
    header = decode_header(data)
    meta_end = HEADER_SIZE + header.meta_length
    total = meta_end + header.payload_length
    if len(data) != total:
        raise ProtocolError(f"Message should be {total} bytes, got {len(data)}")
    return Message(header.kind, _decode_meta(bytes(data[HEADER_SIZE:meta_end])), bytes(data[meta_end:total]))


class MessageReader:
    """Reads whole messages from a binary file object; read() returns None at a clean end of stream."""

    def __init__(self, stream: BinaryIO) -> None:
        self._stream = stream

    def read(self) -> Message | None:
        """Block until the next whole message arrives; None if the stream ends between messages."""
        head = self._read_exact(HEADER_SIZE, at_boundary=True)
        if head is None:
            return None
        header = decode_header(head)
        meta = self._read_exact(header.meta_length)
        payload = self._read_exact(header.payload_length)
        return Message(header.kind, _decode_meta(meta), bytes(payload))

    def _read_exact(self, size: int, at_boundary: bool = False) -> bytearray | None:
        buffer = bytearray(size)
        view = memoryview(buffer)
        filled = 0
        while filled < size:
            count = self._read_into(view[filled:])
            if not count:
                if at_boundary and filled == 0:
                    return None
                raise ProtocolError(f"The stream ended in the middle of a message ({filled} of {size} bytes read)")
            filled += count
        return buffer

    def _read_into(self, view: memoryview) -> int:
        readinto = getattr(self._stream, "readinto", None)
        if readinto is not None:
            return readinto(view) or 0
        chunk = self._stream.read(len(view))
        view[: len(chunk)] = chunk
        return len(chunk)
