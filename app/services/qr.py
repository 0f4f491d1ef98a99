"""QR codes of join links, made on the server (segno, pure Python: no network, no image library) as SVG."""

from __future__ import annotations

import functools
import io

import segno


@functools.lru_cache(maxsize=256)
def qr_svg(text: str) -> bytes:
    """An SVG QR code of ``text``: black modules on white, a quiet zone of 4 modules, scalable (no fixed size)."""
    qr = segno.make(text, error="m", micro=False)
    buf = io.BytesIO()
    qr.save(buf, kind="svg", scale=1, dark="#000", light="#fff", border=4, xmldecl=False, omitsize=True)
    return buf.getvalue()
