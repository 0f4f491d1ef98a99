"""Tests for engine.image_input: PNG/JPEG bytes and data URLs -> PIL images, bombs and corrupt files refused."""

import base64
import io
import struct
import zlib

import pytest
from PIL import Image

from engine.image_input import ImageDecodeError, ImageTooLargeError, decode_data_url, decode_image_bytes
from engine.preprocess import preprocess

from .test_preprocess import corr, draw_digit  # the synthetic digits (tests/engine is on sys.path, like pagetools)


def png_bytes(img):
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


def png_header_only(width, height):
    """A tiny PNG whose header *claims* width × height pixels."""

    def chunk(kind, data):
        crc = zlib.crc32(kind + data)
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 1000)) + chunk(b"IEND", b"")
    )


def test_decode_png_and_jpeg():
    img = draw_digit("7", mode="RGBA", fg=(0, 0, 0, 255), bg=(0, 0, 0, 0))
    decoded = decode_image_bytes(png_bytes(img))
    assert decoded.size == (280, 280) and decoded.mode == "RGBA"
    buf = io.BytesIO()
    draw_digit("7", mode="RGB", fg=(0, 0, 0), bg=(255, 255, 255)).save(buf, "JPEG")
    jpeg = decode_image_bytes(buf.getvalue())
    assert jpeg.size == (280, 280)
    ref = preprocess(draw_digit("7")).image
    assert corr(preprocess(decoded).image, ref) > 0.95
    assert corr(preprocess(jpeg).image, ref) > 0.9


@pytest.mark.parametrize(
    "data, error",
    [
        (b"", ImageDecodeError),
        (b"hello, I am not an image" * 4, ImageDecodeError),
        (png_header_only(30000, 30000), ImageTooLargeError),  # Pillow's bomb guard
        (png_header_only(5000, 5000), ImageTooLargeError),  # our own limit
    ],
)
def test_decode_rejects(data, error):
    with pytest.raises(error):
        decode_image_bytes(data)


def test_decode_truncated_png():
    data = png_bytes(draw_digit("1"))
    with pytest.raises(ImageDecodeError, match="truncated|corrupt"):
        decode_image_bytes(data[: len(data) // 2])


def test_decode_respects_max_pixels():
    data = png_bytes(Image.new("L", (100, 100)))
    with pytest.raises(ImageTooLargeError):
        decode_image_bytes(data, max_pixels=50 * 50)


def test_decode_data_url():
    data = png_bytes(draw_digit("0", mode="RGBA", fg=(0, 0, 0, 255), bg=(0, 0, 0, 0)))
    b64 = base64.b64encode(data).decode()
    assert decode_data_url("data:image/png;base64," + b64).size == (280, 280)
    assert decode_data_url(b64).size == (280, 280)  # raw base64 is fine too
    wrapped = "\n".join(b64[i : i + 76] for i in range(0, len(b64), 76))
    assert decode_data_url("data:image/png;base64," + wrapped).size == (280, 280)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "data:image/png;base64,@@@not base64@@@",
        "!!!",
        "data:text/plain;base64,aGVsbG8=",
        "data:image/png,rawbytes",
        "data:image/png;base64",
        "data:image/png;base64,aGVsbG8gd29ybGQ=",  # valid base64, not an image
    ],
)
def test_decode_data_url_rejects(text):
    with pytest.raises(ImageDecodeError):
        decode_data_url(text)
