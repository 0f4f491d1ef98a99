"""Numbers of the worked example: parsing the document's printed digits, writing ours for people, NumPy -> JSON."""

from __future__ import annotations

import re
from typing import Any

import numpy as np

from messages import LANGS, MINUS, format_number, format_value, french_typography

Text = dict[str, str]


def _decimals(text: str) -> int:
    return len(text.split(".")[1]) if "." in text else 0


def _tolerance(text: str) -> float:
    """Half a unit of the last printed digit; integers are printed for exact values only."""
    d = _decimals(text)
    return 1e-9 if d == 0 else 0.5 * 10.0 ** (-d) + 1e-12


def _parse(printed) -> Any:
    if isinstance(printed, str):
        return float(printed)
    return [_parse(p) for p in printed]


def _flat_printed(printed) -> list[tuple[tuple[int, ...], str]]:
    """[(index, text)] of a printed scalar/vector/matrix; the index is () for a scalar."""
    if isinstance(printed, str):
        return [((), printed)]
    out = []
    for i, item in enumerate(printed):
        out += [((i, *idx), text) for idx, text in _flat_printed(item)]
    return out


def fmt(value, digits: int = 4, lang: str = "en") -> str:
    """A number (or nested list) for people, in ``lang``: at most ``digits`` decimals, trailing zeros dropped, no −0
    (:func:`messages.format_value`)."""
    if isinstance(value, (bool, np.bool_)):
        return str(bool(value)).lower()
    return format_value(value, lang, digits)


def _py(value) -> Any:
    """NumPy -> plain Python floats/lists (full precision), JSON-able."""
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, dict):
        return {k: _py(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_py(v) for v in value]
    return value


def par(value, lang: str = "en") -> str:
    """A number as written in a sum: negative ones in parentheses, ``8 × (-0.3)`` (``8 × (−0,3)`` in French)."""
    return format_number(value, lang) if float(value) >= 0 else f"({format_number(value, lang)})"


def written_neuron(i: int, x, W, b, z, lang: str = "en") -> str:
    """``z1 = (10 × 0.5) + (8 × (-0.3)) + 1.2 = 3.8`` for neuron ``i`` (0-based), numbers in ``lang``."""
    n = lambda v: format_number(v, lang)  # noqa: E731
    return f"z{i + 1} = ({n(x[0])} × {par(W[i, 0], lang)}) + ({n(x[1])} × {par(W[i, 1], lang)}) + {par(b[i], lang)} = {n(z[i])}"


def in_each_language(write) -> dict[str, str]:
    """``{"en": write("en"), "fr": write("fr")}``: a formula written with each language's numbers."""
    return {lang: write(lang) for lang in LANGS}


def _positions(mask: np.ndarray) -> list[list[int]]:
    return [list(map(int, p)) for p in np.argwhere(mask)]


_BRACKETED = re.compile(r"\[[\d\s.,;−⟦⟧-]*\]")  # a list of numbers only (not X[i+m, j+n])
_DECIMAL = re.compile(r"(?<![\w.])([-−]?)(\d+)(?:\.(\d+))?(?![\w.])")


def localize_numbers(text: str, lang: str) -> str:
    """A quote or formula written with the document's dot decimals, for ``lang``'s reader: in French ``0.469`` ->
    ``0,469``, ``-1`` -> ``−1``, and the items of a bracketed list separated by semicolons (the comma is taken)."""
    if lang != "fr":
        return text
    previous = None
    while previous != text:  # innermost brackets first, then outwards
        previous = text
        text = _BRACKETED.sub(
            lambda m: m.group(0).replace(", ", "\u202f;\u00a0").replace("[", "⟦").replace("]", "⟧"), text
        )
    text = text.replace("⟦", "[").replace("⟧", "]").replace("\u202f;\u00a0", "\u202f; ")

    def number(m: re.Match) -> str:
        sign = MINUS if m.group(1) else ""
        return sign + m.group(2) + ("," + m.group(3) if m.group(3) else "")

    return french_typography(_DECIMAL.sub(number, text))
