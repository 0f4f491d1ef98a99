"""Plain-text tables for a terminal (``convstep example``)."""

from __future__ import annotations

import textwrap
from typing import Any

from messages import LANGS, message

from .compute import compute_worked_example
from .numbers import fmt, localize_numbers

#: the table's words: catalogue keys ``worked.table.<name>``
_LABEL_NAMES = (
    "quantity",
    "computed",
    "document",
    "match",
    "rounding",
    "mismatch",
    "errata",
    "section",
    "what",
    "correct",
    "edited",
    "title",
)


def _labels(lang: str) -> dict[str, str]:
    return {"status": "", **{name: message(f"worked.table.{name}", lang) for name in _LABEL_NAMES}}


def render_table(
    headers: list[str], rows: list[list[str]], widths: list[int], notes: list[str | None] | None = None, indent: int = 5
) -> str:
    """A plain-text table; cells wrap inside their column width. ``notes[k]`` (optional) is printed under row k,
    wrapped to the table's width — for long explanations that would not fit in a column."""
    total = sum(widths) + 2 * (len(widths) - 1)

    def line(cells: list[str]) -> list[str]:
        wrapped = [textwrap.wrap(c, w) or [""] for c, w in zip(cells, widths)]
        height = max(len(w) for w in wrapped)
        return [
            "  ".join(f"{(col[k] if k < len(col) else ''):<{w}}" for col, w in zip(wrapped, widths)).rstrip()
            for k in range(height)
        ]

    out = line(headers)
    out.append("  ".join("─" * w for w in widths))
    for k, row in enumerate(rows):
        out += line(row)
        if notes and notes[k]:
            out += textwrap.wrap(notes[k], total, initial_indent=" " * indent, subsequent_indent=" " * indent)
    return "\n".join(out)


def _value_text(value, lang: str = "en") -> str:
    if isinstance(value, dict):
        return ("\u202f; " if lang == "fr" else "; ").join(f"{k} = {_value_text(v, lang)}" for k, v in value.items())
    if isinstance(value, str):  # a quote of the document or a formula: its numbers in the reader's language
        return localize_numbers(value, lang)
    return fmt(value, lang=lang)


#: values shown by the web page (window by window) but too detailed for a terminal table
_TERMINAL_HIDDEN = ("positions", "terms", "bias", "exp_z")


def _step_rows(step: dict[str, Any], L: dict[str, str], lang: str) -> list[list[str]]:
    """[quantity, computed, document, status] rows: each computed value, with the document's printed version(s)
    beside it; printed values of a step's inputs (e.g. the gradient an update used) come first."""
    comparisons = step["comparisons"]
    shown = [k for k in step["values"] if k not in _TERMINAL_HIDDEN]
    rows = [
        [c["label"][lang], _value_text(c["computed"], lang), _value_text(c["document"], lang), L[c["status"]]]
        for c in comparisons
        if c["key"] not in shown
    ]
    no_print = "—" if step["document"] is not None else ""
    for key in shown:
        printed = [c for c in comparisons if c["key"] == key]
        if not printed:
            rows.append([key, _value_text(step["values"][key], lang), no_print, ""])
        for n, c in enumerate(printed):
            name = c["label"][lang] if c["name"] == key else f"{key} ({c['label'][lang]})"
            value = _value_text(step["values"][key], lang) if n == 0 else "″"
            rows.append([name, value, _value_text(c["document"], lang), L[c["status"]]])
    return rows


def format_tables(result: dict[str, Any] | None = None, lang: str = "en", width: int = 100) -> str:
    """The whole example, then its errata, as plain-text tables (what ``convstep example`` prints).

    ``result``: from :func:`compute_worked_example` (default: the document's example); ``lang``: "en" or "fr";
    ``width``: the terminal width the tables fit in (at least 80)."""
    result = compute_worked_example() if result is None else result
    lang = lang if lang in LANGS else "en"
    L = _labels(lang)
    width = max(int(width), 80)
    blocks = [L["title"]]
    if not result["uses_document_inputs"]:
        blocks.append(L["edited"])
    compared = result["uses_document_inputs"]
    free = width - 6 - 11  # three gaps of two, the status column
    step_widths = [free * 26 // 100, free * 42 // 100, 0, 9]
    step_widths[2] = free - step_widths[0] - step_widths[1]
    headers = [L["quantity"], L["computed"], L["document"], L["status"]]
    if not compared:  # nothing printed to compare with: two columns
        step_widths, headers = [step_widths[0], width - step_widths[0] - 2], headers[:2]
    for step in result["steps"]:
        explanation = textwrap.fill(step["explanation"][lang], width, initial_indent="    ", subsequent_indent="    ")
        head = f"{step['section']}  {step['title'][lang]}\n    {localize_numbers(step['formula'], lang)}\n{explanation}"
        rows = [row[: len(headers)] for row in _step_rows(step, L, lang)]
        table = render_table(headers, rows, step_widths)
        blocks.append(head + "\n" + table)
    if result["errata"]:
        free = width - 8 - 3 - 11
        widths = [3, 11, free * 24 // 100, free * 38 // 100, 0]
        widths[4] = free - widths[2] - widths[3]
        rows, notes = [], []
        for e in result["errata"]:
            what = e["label"][lang] + (f" {e['index']}" if e.get("index") else "")
            row = [str(e["id"]), e["section"], what, _value_text(e["document"], lang), _value_text(e["computed"], lang)]
            rows.append(row)
            notes.append(e["explanation"][lang])
        blocks.append(
            L["errata"]
            + "\n"
            + render_table(["#", L["section"], L["what"], L["document"], L["correct"]], rows, widths, notes)
        )
    return "\n\n".join(blocks) + "\n"
