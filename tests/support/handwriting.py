"""A made-up class handwriting for tests and benchmarks: digits typed in Pillow's default font, thick, shifted and
tilted, drawn dark on white like a phone's canvas. The bundled LeNet reads about 3 in 4 of them (it takes the serif
1 for a 7, the round 6 and 9 for 8s): a class whose handwriting the network can learn."""

from __future__ import annotations

import base64
import io

import numpy as np
from PIL import Image, ImageDraw, ImageFont


def font_digit(digit: int, variant: int, size: int = 280) -> np.ndarray:
    """A (size, size) uint8 picture of ``digit``: white paper, black ink; ``variant`` picks the size, place, stroke
    and tilt (the same variant always gives the same picture)."""
    rng = np.random.default_rng(variant * 10 + digit)
    s = size / 280
    img = Image.new("L", (size, size), 255)
    draw = ImageDraw.Draw(img)
    font = ImageFont.load_default(size=int(rng.integers(150, 220) * s))
    draw.text(
        (int(rng.integers(40, 110) * s), int(rng.integers(0, 40) * s)),
        str(digit),
        fill=0,
        font=font,
        stroke_width=max(1, int(rng.integers(2, 8) * s)),
        stroke_fill=0,
    )
    return np.asarray(img.rotate(float(rng.uniform(-15, 15)), fillcolor=255))


def font_digit_url(digit: int, variant: int) -> str:
    buf = io.BytesIO()
    Image.fromarray(font_digit(digit, variant)).save(buf, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")
