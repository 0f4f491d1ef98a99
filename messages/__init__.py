"""Every sentence the server writes, in one catalogue per language, keyed by code; and one way to write numbers.

``messages/en.py`` and ``messages/fr.py`` map the same keys (a test checks the parity) to templates whose
``{placeholders}`` are filled by :func:`message`. The engine (worked example, preprocessing step titles, the
CLI's tables), the API's errors and the services all take their words from here; the browser's words live in
``static/js/i18n/``.

Numbers are written by :func:`format_number` in the reader's language: ``0.469`` and ``-0.67`` in English,
``0,469`` and ``−0,67`` in French (decimal comma, the true minus sign U+2212, a narrow no-break space as the
thousands separator). French templates get French typography when the catalogue loads
(:func:`french_typography`): a no-break space before ``; : ? ! %`` and inside « guillemets ».

Usage::

    message("error.not_found", "fr", what="Modèle")     -> "Modèle introuvable."
    both("worked.step.relu.title")                      -> {"en": "ReLU activation", "fr": "Activation ReLU"}
    format_number(-1234567.891, "fr")                   -> "−1 234 567,891"
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from . import en as _en
from . import fr as _fr

Lang = Literal["en", "fr"]
LANGS: tuple[Lang, ...] = ("en", "fr")

NBSP = "\u00a0"  # no-break space: before « : » and %, inside guillemets
NNBSP = "\u202f"  # narrow no-break space: before ; ? ! and between groups of thousands
MINUS = "\u2212"  # the true minus sign


def french_typography(text: str) -> str:
    """French spacing: the space before ``; ? !`` becomes narrow and no-break, before ``:`` and ``%`` no-break,
    and inside « guillemets » no-break. Text that already has the right spaces is left unchanged."""
    text = re.sub(r" ([;?!])", NNBSP + r"\1", text)
    text = re.sub(r" ([:%])", NBSP + r"\1", text)
    text = text.replace("« ", "«" + NBSP).replace(" »", NBSP + "»")
    return text


CATALOGUES: dict[Lang, dict[str, str]] = {
    "en": dict(_en.MESSAGES),
    "fr": {key: french_typography(text) for key, text in _fr.MESSAGES.items()},
}


@dataclass(frozen=True)
class Num:
    """A number to write with a given number of decimals (default for plain floats: 4)."""

    value: float
    digits: int = 4


def _group(int_part: str, sep: str) -> str:
    if len(int_part) <= 4:  # 4-digit numbers stay whole (1234), as French and English typesetters allow
        return int_part
    groups = []
    while int_part:
        groups.insert(0, int_part[-3:])
        int_part = int_part[:-3]
    return sep.join(groups)


def format_number(x: Any, lang: Lang | str = "en", digits: int = 4) -> str:
    """``x`` for a reader: at most ``digits`` decimals, trailing zeros dropped, never "-0"; thousands grouped from
    10 000 on. English: ``-1,234,567.5``; French: ``−1 234 567,5`` (U+2212, U+202F, decimal comma).
    Booleans are ``true``/``false``; NaN and infinities are written as such."""
    if hasattr(x, "item") and getattr(x, "ndim", 0) == 0:
        x = x.item()
    if isinstance(x, bool):
        return str(x).lower()
    fr = lang == "fr"
    if isinstance(x, int):  # exact, however large (a hostile 10^150 row index must not overflow a float)
        body = _group(str(abs(x)), NNBSP if fr else ",")
        return ((MINUS if fr else "-") + body) if x < 0 else body
    v = float(x)
    if not math.isfinite(v):
        return "NaN" if math.isnan(v) else ("" if v > 0 else ("−" if lang == "fr" else "-")) + "∞"
    text = f"{abs(v):.{digits}f}".rstrip("0").rstrip(".") if digits > 0 else f"{abs(v):.0f}"
    if text in ("", "0"):
        return "0"
    int_part, _, frac = text.partition(".")
    body = _group(int_part, NNBSP if fr else ",") + ((("," if fr else ".") + frac) if frac else "")
    return ((MINUS if fr else "-") + body) if v < 0 else body


def format_value(value: Any, lang: Lang | str = "en", digits: int = 4) -> str:
    """A number, or a (nested) list / array of numbers, written for a reader: ``[0.469, -0.67]`` in English,
    ``[0,469 ; −0,67]`` in French (a semicolon separates numbers that have a decimal comma)."""
    if isinstance(value, Num):
        return format_number(value.value, lang, value.digits)
    if hasattr(value, "tolist"):
        value = value.tolist()
    if isinstance(value, (list, tuple)):
        sep = NNBSP + "; " if lang == "fr" else ", "
        return "[" + sep.join(format_value(v, lang, digits) for v in value) + "]"
    if isinstance(value, str):
        return value
    return format_number(value, lang, digits)


def _param(value: Any, lang: Lang) -> Any:
    if isinstance(value, Mapping) and set(value) == set(LANGS):  # already written in each language
        return value[lang]
    if isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return format_number(value, lang, 0)
    return format_value(value, lang)


def message(key: str, lang: Lang | str = "en", **params: Any) -> str:
    """The catalogue's sentence ``key`` in ``lang`` (English for an unknown language), placeholders filled:
    numbers and arrays written in that language, ``{"en": ..., "fr": ...}`` values picked by language."""
    lang = lang if lang in CATALOGUES else "en"
    template = CATALOGUES[lang][key]  # type: ignore[index]
    if not params:
        return template
    return template.format(**{k: _param(v, lang) for k, v in params.items()})  # type: ignore[arg-type]


def both(key: str, **params: Any) -> dict[str, str]:
    """``{"en": ..., "fr": ...}``: the sentence in every language (what API answers carry for the page)."""
    return {lang: message(key, lang, **params) for lang in LANGS}


__all__ = [
    "CATALOGUES",
    "LANGS",
    "Lang",
    "MINUS",
    "NBSP",
    "NNBSP",
    "Num",
    "both",
    "format_number",
    "format_value",
    "french_typography",
    "message",
]
