"""Static assets (app/services/assets.py): cached for a year under a URL that changes with them, revalidated
under /static/, pages revalidated, text compressed once at the best level."""

from __future__ import annotations

import gzip
import re

from app.pages import STATIC_DIR
from app.services.assets import build_id

GZIP = {"accept-encoding": "gzip"}


def test_pages_link_versioned_assets_and_are_revalidated(client):
    page = client.get("/steps", headers=GZIP)
    assert page.headers["cache-control"] == "no-cache"
    build = client.app.state.assets_build
    links = re.findall(r'(?:src|href)="(/assets/[^"]+)"', page.text)
    assert f"/assets/{build}/js/views/steps.js" in links and f"/assets/{build}/css/base.css" in links
    assert '"/static/' not in page.text
    for url in links:
        answer = client.get(url, headers=GZIP)
        assert answer.status_code == 200, url
        assert answer.headers["cache-control"] == "public, max-age=31536000, immutable", url


def test_javascript_is_gzipped_once_at_the_best_level_and_byte_for_byte(client):
    build = client.app.state.assets_build
    source = (STATIC_DIR / "js" / "lib" / "tensor.js").read_bytes()
    answer = client.get(f"/assets/{build}/js/lib/tensor.js", headers=GZIP)
    assert answer.headers["content-encoding"] == "gzip" and answer.headers["vary"] == "Accept-Encoding"
    assert answer.headers["content-type"].startswith("text/javascript")
    assert answer.content == source  # httpx decompressed it
    assert int(answer.headers["content-length"]) == len(gzip.compress(source, 9, mtime=0))
    plain = client.get(f"/assets/{build}/js/lib/tensor.js", headers={"accept-encoding": "identity"})
    assert "content-encoding" not in plain.headers and plain.content == source


def test_stable_urls_are_revalidated_with_an_etag(client):
    for headers in (GZIP, {"accept-encoding": "identity"}):
        first = client.get("/static/css/base.css", headers=headers)
        assert first.headers["cache-control"] == "no-cache"
        again = client.get("/static/css/base.css", headers={**headers, "if-none-match": first.headers["etag"]})
        assert again.status_code == 304, headers
    assert client.get("/static/no-such-file.js").status_code == 404
    assert client.get(f"/assets/{'0' * 12}/js/lib/tensor.js").status_code == 404  # an unknown build


def test_pictures_are_not_recompressed(client):
    answer = client.get("/static/img/favicon.svg", headers=GZIP)
    assert answer.status_code == 200  # SVG is text: compressed if large enough, never a 500
    png = next(STATIC_DIR.rglob("*.png"), None)
    if png is not None:
        answer = client.get("/static/" + png.relative_to(STATIC_DIR).as_posix(), headers=GZIP)
        assert "content-encoding" not in answer.headers


def test_the_build_id_changes_with_any_file(tmp_path):
    (tmp_path / "js").mkdir()
    (tmp_path / "js" / "a.js").write_text("export const a = 1;\n")
    first = build_id(tmp_path)
    assert build_id(tmp_path) == first
    (tmp_path / "js" / "a.js").write_text("export const a = 2;\n")
    assert build_id(tmp_path) != first
