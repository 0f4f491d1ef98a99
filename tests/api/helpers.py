"""Helpers for the API tests: apps built with chosen settings, clients that fail on any 5xx, test images."""

from __future__ import annotations

import base64
import io
import struct
import zlib

import numpy as np
from fastapi.testclient import TestClient
from PIL import Image, ImageDraw

from app.core.config import Settings
from app.main import create_app


class StrictClient(TestClient):
    """A TestClient for which any 5xx answer is a test failure (bad input must never cause a 500)."""

    def request(self, *args, **kwargs):
        response = super().request(*args, **kwargs)
        assert response.status_code < 500, f"server error {response.status_code}: {response.text[:500]}"
        return response


def make_client(**settings) -> StrictClient:
    return StrictClient(create_app(Settings(**settings)))


def assert_error(response, status: int, code: str | None = None) -> dict:
    """The common error shape: {"error": {"code", "message", "detail"}} with a readable message."""
    assert response.status_code == status, response.text[:800]
    assert response.headers["content-type"].startswith("application/json")
    error = response.json()["error"]
    assert set(error) == {"code", "message", "detail"}
    assert isinstance(error["message"], str) and len(error["message"]) > 10
    if code is not None:
        assert error["code"] == code, error
    return error


def png_bytes(array: np.ndarray) -> bytes:
    buf = io.BytesIO()
    Image.fromarray(np.asarray(array, dtype=np.uint8)).save(buf, format="PNG")
    return buf.getvalue()


def data_url(data: bytes, mime: str = "image/png") -> str:
    return f"data:{mime};base64," + base64.b64encode(data).decode("ascii")


def drawn_digit(size: int = 280, background: int = 255) -> np.ndarray:
    """A canvas-like drawing of a "7": dark strokes on a white background (or light on black)."""
    img = Image.new("L", (size, size), background)
    draw = ImageDraw.Draw(img)
    s = size / 280
    draw.line(
        [(70 * s, 60 * s), (210 * s, 60 * s), (120 * s, 230 * s)], fill=255 - background, width=max(1, int(18 * s))
    )
    return np.asarray(img)


def bomb_png(width: int = 30000, height: int = 30000) -> bytes:
    """A tiny PNG whose header declares a huge image (a decompression bomb)."""

    def chunk(kind: bytes, payload: bytes) -> bytes:
        return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + chunk(b"IEND", b"")
    )
