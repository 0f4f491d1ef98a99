"""Which language to answer in: ``?lang=fr|en`` wins, then the ``Accept-Language`` header, then English."""

from __future__ import annotations

from typing import Literal

from starlette.requests import HTTPConnection

Lang = Literal["en", "fr"]
SUPPORTED: tuple[Lang, ...] = ("en", "fr")
DEFAULT: Lang = "en"


def parse_accept_language(header: str | None) -> Lang:
    """The supported language with the highest quality in an ``Accept-Language`` header.

    ``"fr-FR,fr;q=0.9,en;q=0.8"`` -> ``"fr"``; ``"de, en;q=0.5"`` -> ``"en"``; ties go to the first listed."""
    best: tuple[float, int, Lang] | None = None
    for position, part in enumerate((header or "").split(",")):
        tag, _, params = part.strip().partition(";")
        primary = tag.strip().lower().split("-")[0]
        if primary not in SUPPORTED:
            continue
        quality = 1.0
        params = params.strip()
        if params.startswith("q="):
            try:
                quality = float(params[2:])
            except ValueError:
                quality = 0.0
        if quality <= 0:
            continue
        candidate = (quality, -position, primary)
        if best is None or candidate[:2] > best[:2]:
            best = candidate  # type: ignore[assignment]
    return best[2] if best else DEFAULT


def request_language(conn: HTTPConnection) -> Lang:
    lang = conn.query_params.get("lang", "").lower()
    if lang in SUPPORTED:
        return lang  # type: ignore[return-value]
    return parse_accept_language(conn.headers.get("accept-language"))
