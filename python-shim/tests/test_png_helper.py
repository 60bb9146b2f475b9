"""The test PNG decoder handles every filter type (checked against hand-built images)."""

import struct
import zlib

import numpy as np
import pytest
from _png import decode_png


def encode_png(pixels, filter_type):
    height, width, channels = pixels.shape
    color_type = {1: 0, 3: 2, 4: 6}[channels]
    rows = pixels.reshape(height, width * channels).astype(np.int32)
    raw = b""
    for y in range(height):
        above = rows[y - 1] if y else np.zeros_like(rows[y])
        left = np.concatenate([np.zeros(channels, np.int32), rows[y][:-channels]])
        upper_left = np.concatenate([np.zeros(channels, np.int32), above[:-channels]])
        predictor = [np.zeros_like(left), left, above, (left + above) // 2, None][filter_type]
        if filter_type == 4:
            p = left + above - upper_left
            pa, pb, pc = abs(p - left), abs(p - above), abs(p - upper_left)
            predictor = np.where((pa <= pb) & (pa <= pc), left, np.where(pb <= pc, above, upper_left))
        raw += bytes([filter_type]) + ((rows[y] - predictor) % 256).astype(np.uint8).tobytes()

    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", width, height, 8, color_type, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


@pytest.mark.parametrize("filter_type", range(5))
@pytest.mark.parametrize("channels", [1, 3, 4])
def test_decode_png_inverts_every_filter(filter_type, channels):
    pixels = np.random.default_rng(filter_type).integers(0, 256, size=(5, 7, channels), dtype=np.uint8)
    np.testing.assert_array_equal(decode_png(encode_png(pixels, filter_type)), pixels)
