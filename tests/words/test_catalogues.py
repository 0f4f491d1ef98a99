"""The server-side catalogues (messages/): key parity, placeholders, French typography, one way to write numbers."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from messages import CATALOGUES, MINUS, NBSP, NNBSP, Num, both, format_number, format_value, french_typography, message

ROOT = Path(__file__).resolve().parents[2]


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_english_and_french_have_the_same_keys():
    assert set(CATALOGUES["en"]) == set(CATALOGUES["fr"])


def test_each_key_has_the_same_placeholders_in_both_languages():
    for key, english in CATALOGUES["en"].items():
        assert _fields(english) == _fields(CATALOGUES["fr"][key]), key


@pytest.mark.parametrize(
    ("value", "lang", "digits", "text"),
    [
        (0.469, "en", 4, "0.469"),
        (0.469, "fr", 4, "0,469"),
        (-0.67, "fr", 4, f"{MINUS}0,67"),
        (-0.67, "en", 4, "-0.67"),
        (-0.00001, "fr", 4, "0"),  # never "−0"
        (1234.5, "fr", 4, "1234,5"),  # four-digit numbers stay whole
        (-1234567.891, "fr", 3, f"{MINUS}1{NNBSP}234{NNBSP}567,891"),
        (1234567, "en", 0, "1,234,567"),
        (12.345678, "fr", 6, "12,345678"),
        (3, "fr", 4, "3"),
        (-(10**30), "fr", 4, MINUS + NNBSP.join(["1"] + ["000"] * 10)),  # exact, no float overflow
    ],
)
def test_format_number(value, lang, digits, text):
    assert format_number(value, lang, digits) == text


def test_vectors_in_french_separate_numbers_with_a_semicolon():
    assert format_value([0.469, -0.67], "en") == "[0.469, -0.67]"
    assert format_value([[1, 0], [2, -1.5]], "fr") == f"[[1{NNBSP}; 0]{NNBSP}; [2{NNBSP}; {MINUS}1,5]]"


def test_french_typography_puts_no_break_spaces_before_double_punctuation():
    text = french_typography("Attention : le pas vaut 0,5 ; trop grand ? Oui ! 10 % « convolution »")
    assert text == (
        f"Attention{NBSP}: le pas vaut 0,5{NNBSP}; trop grand{NNBSP}? Oui{NNBSP}! 10{NBSP}% «{NBSP}convolution{NBSP}»"
    )


def test_message_fills_numbers_in_the_readers_language():
    assert message("worked.update_W.explanation", "fr", eta=Num(0.01, 6)).endswith("η = 0,01 fois celui-ci.")
    assert message("worked.update_W.explanation", "en", eta=Num(0.01, 6)).endswith("η = 0.01 times it.")
    assert both("worked.relu.title") == {"en": "ReLU activation", "fr": "Activation ReLU"}


def test_no_french_words_inside_the_engine():
    """The engine writes no French: its words are the catalogue's (accented letters are the tell-tale)."""
    offenders = [
        f"{path.relative_to(ROOT)}:{n}"
        for path in sorted((ROOT / "engine").rglob("*.py"))
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"[éèàçêùâîôûÉÈÀ]", line)
    ]
    assert offenders == []
