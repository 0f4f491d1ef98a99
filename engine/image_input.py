"""Reading an uploaded image safely: PNG/JPEG bytes or a ``data:`` URL (what a canvas gives) -> a PIL image.

Never touches the disk. Bombs (a tiny file that claims 30000×30000 pixels) are refused before decompression;
corrupt, truncated or unknown data is an :class:`ImageDecodeError`. :mod:`engine.preprocess` then turns the image
into an MNIST-like 28×28 input.
"""

from __future__ import annotations

import base64
import binascii
import io
import re
import struct
import warnings

from PIL import Image, ImageOps

__all__ = ["DEFAULT_MAX_PIXELS", "ImageDecodeError", "ImageTooLargeError", "decode_data_url", "decode_image_bytes"]

DEFAULT_MAX_PIXELS = 4096 * 4096  # refuse anything bigger (memory / CPU guard)


class ImageDecodeError(ValueError):
    """The bytes / data URL could not be decoded as an image."""


class ImageTooLargeError(ValueError):
    """The image has more pixels than we accept (e.g. a decompression bomb)."""


ALLOWED_FORMATS = ("PNG", "JPEG", "WEBP", "GIF", "BMP")


def decode_image_bytes(data: bytes, max_pixels: int = DEFAULT_MAX_PIXELS) -> Image.Image:
    """Decode PNG/JPEG (also WEBP, GIF, BMP) bytes into a PIL image, safely.

    * The size in the header is checked **before** the pixels are
      decompressed, so a tiny file that claims to be 30000×30000 (a
      "decompression bomb") is refused → :class:`ImageTooLargeError`.
    * Corrupt, truncated or unknown data → :class:`ImageDecodeError`.
    * Phone photos are rotated upright according to their EXIF tag.
    """
    if not isinstance(data, (bytes, bytearray, memoryview)) or len(data) == 0:
        raise ImageDecodeError("no image data received")
    try:
        with warnings.catch_warnings():
            # Pillow only *warns* between its limit and 2× its limit: make it fail.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            img = Image.open(io.BytesIO(bytes(data)), formats=ALLOWED_FORMATS)
            w, h = img.size
            if w * h > max_pixels:
                raise ImageTooLargeError(f"image too large: {w}×{h} = {w * h:,} pixels (limit {max_pixels:,})")
            if w == 0 or h == 0:
                raise ImageDecodeError("the image has no pixels")
            img.load()  # the actual decompression happens here
            img = ImageOps.exif_transpose(img) or img
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as e:
        raise ImageTooLargeError(f"image too large (decompression bomb?): {e}") from None
    except (ImageTooLargeError, ImageDecodeError):
        raise
    except Image.UnidentifiedImageError:
        raise ImageDecodeError("not a recognised image (expected PNG or JPEG)") from None
    except (OSError, SyntaxError, ValueError, EOFError, IndexError, struct.error) as e:
        raise ImageDecodeError(f"corrupt or truncated image: {e}") from None
    return img


_DATA_URL = re.compile(r"^data:(?P<mime>[\w.+-]+/[\w.+-]+)?(?P<params>(;[^,;]*)*),", re.I)


def decode_data_url(s: str, max_pixels: int = DEFAULT_MAX_PIXELS) -> Image.Image:
    """Decode ``"data:image/png;base64,iVBOR…"`` (or bare base64) to a PIL image.

    Invalid base64 or a non-image media type → :class:`ImageDecodeError`;
    then see :func:`decode_image_bytes`.
    """
    if not isinstance(s, str) or not s.strip():
        raise ImageDecodeError("empty image data")
    s = s.strip()
    m = _DATA_URL.match(s)
    if m:
        mime = (m.group("mime") or "").lower()
        if mime and not mime.startswith("image/"):
            raise ImageDecodeError(f"expected an image data URL, got media type '{mime}'")
        if ";base64" not in m.group("params").lower():
            raise ImageDecodeError("the data URL is not base64-encoded")
        s = s[m.end() :]
    elif s.lower().startswith("data:"):
        raise ImageDecodeError("malformed data URL (missing ',')")
    payload = "".join(s.split())  # base64 may be wrapped over several lines
    try:
        data = base64.b64decode(payload, validate=True)
    except (binascii.Error, ValueError):
        raise ImageDecodeError("invalid base64 image data") from None
    return decode_image_bytes(data, max_pixels=max_pixels)
