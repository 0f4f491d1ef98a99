"""French output reads as a French mathematics teacher writes (issue 14.4): every French string of the server's
catalogues and of the browser's dictionaries, and the French output of the CLI, scanned for dot decimals, a
hyphen-minus before a number, an ordinary space before ; : ? ! %, English vocabulary, and strings left identical
to the English ones (outside formulas and a short reviewed list)."""

from __future__ import annotations

import functools
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from engine.cli import main as cli_main
from messages import CATALOGUES

ROOT = Path(__file__).resolve().parents[2]
DICTIONARIES = [("en.js", "fr.js"), ("classroom.en.js", "classroom.fr.js"), ("train.en.js", "train.fr.js")]

PLACEHOLDER = re.compile(r"\{[^{}]*\}")
IDENTIFIER = re.compile(r"\b\w*_\w*\b|\b\w+\.\w+\(|`[^`]*`")  # code names: dl_dw, y_true.shape, np.log(...)
DOT_DECIMAL = re.compile(r"(?<![\w.\[/])\d+\.\d+(?![\w.])")
HYPHEN_MINUS = re.compile(r"(?<![\w\])}′])-\s?\d")
PLAIN_SPACE_BEFORE = re.compile(r"\S [;:?!%]")
ENGLISH = re.compile(
    r"\bbatch(es)?\b|\bpadding\b|\bcliquez (?!sur|pour)\w|produit extérieur|\bimprime|from scratch|"
    r"\bone-hot\b|\bused in\b|\(drawing\)|\bthe\b",
    re.I,
)
# reviewed: the same word in both languages (names of functions and layers, brands, units)
SAME_IN_BOTH = {
    "Animation",
    "Pause",
    "convolution",
    "Convolution",
    "ReLU",
    "tanh",
    "softmax",
    "Softmax",
    "dropout",
    "max pooling",
    "Transparent",
    "Image",
    "Pooling",
    "Activations",
    "Sobel X",
    "Sobel Y",
    "notation",
    "Photo…",
    "Trace (JSON)",
    "Photo / image…",
    "Position ({i}, {j})",
    "Section",
    "Document",
    "Sobel √(gx² + gy²)",
    "ok",
    "API",
    "Architectures",
    "5. Architectures",
    "same",
    "ELU",
    "Leaky ReLU",
    "α",
    "x",
    "Max",
    "dense",
    "Total",
    "constant",
    "valid (0)",
}
FORMULA = re.compile(r"[=∂Σ·×→√←≥≤∗ŷθη⌊]|^\W*$|^[\w\s{}()\[\],.+−/′-]*\{\w+\}[\w\s{}()\[\],.+−/′-]*$")


@functools.cache
def _dictionary(name: str) -> dict[str, str]:
    script = f"import d from '{(ROOT / 'static/js/i18n' / name).as_posix()}'; console.log(JSON.stringify(d))"
    out = subprocess.run(["node", "--input-type=module", "-e", script], capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def _pairs():
    pairs = [("messages", CATALOGUES["en"], CATALOGUES["fr"])]
    if shutil.which("node"):
        pairs += [(fr, _dictionary(en), _dictionary(fr)) for en, fr in DICTIONARIES]
    return pairs


def french_problems(text: str) -> list[str]:
    """What a French teacher would correct in ``text`` (placeholders and code names left aside)."""
    prose = IDENTIFIER.sub("", PLACEHOLDER.sub("", text))
    problems = []
    for name, pattern in (("dot decimal", DOT_DECIMAL), ("hyphen-minus", HYPHEN_MINUS), ("English", ENGLISH)):
        if match := pattern.search(prose):
            problems.append(f"{name}: {match.group(0)!r}")
    if match := PLAIN_SPACE_BEFORE.search(text):
        problems.append(f"ordinary space before punctuation: {match.group(0)!r}")
    return problems


def test_the_scanner_finds_what_it_looks_for():
    assert french_problems("la perte vaut 0.48") and french_problems("un gradient de -0,67")
    assert french_problems("Attention : ici") and french_problems("un batch de 64")
    assert not french_problems("la perte vaut 0,48 et le gradient −0,67\u202f; np.log(x) et dl_dw.")


@pytest.mark.parametrize("source", ["messages", "fr.js", "classroom.fr.js", "train.fr.js"])
def test_french_strings_read_as_french(source):
    pairs = {name: (en, fr) for name, en, fr in _pairs()}
    if source not in pairs:
        pytest.skip("node is needed to read the browser's dictionaries")
    en, fr = pairs[source]
    problems = {key: french_problems(text) for key, text in fr.items() if isinstance(text, str)}
    assert {k: v for k, v in problems.items() if v} == {}


@pytest.mark.parametrize("source", ["messages", "fr.js", "classroom.fr.js", "train.fr.js"])
def test_no_french_string_is_left_in_english(source):
    pairs = {name: (en, fr) for name, en, fr in _pairs()}
    if source not in pairs:
        pytest.skip("node is needed to read the browser's dictionaries")
    en, fr = pairs[source]
    same = {
        key: text
        for key, text in fr.items()
        if isinstance(text, str)
        and text == en.get(key)
        and text not in SAME_IN_BOTH
        and not FORMULA.search(text)
        and not key.startswith(("worked.quote.", "perceptron.quote."))  # quotes of the (French) course, verbatim
    }
    assert same == {}


def test_french_cli_output_reads_as_french(capsys):
    assert cli_main(["example", "--lang", "fr", "--width", "120"]) == 0
    out = capsys.readouterr().out
    # the quotes of the document keep its notation only in its code names (dl_dw, np.log...)
    bad = [line for line in out.splitlines() if french_problems(line)]
    assert bad == []
    assert "X[i+m, j+n]" in out  # formulas keep their notation: only lists of numbers take semicolons
    assert "[[0\u202f; 9]\u202f; [10\u202f; 3]]" in out and "hauteur" in out and "height" not in out
