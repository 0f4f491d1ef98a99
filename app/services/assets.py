"""Static files (JS, CSS, pictures) with the caching and compression a classroom's Wi-Fi needs.

Two URLs serve the same ``static/`` folder:

* ``/assets/<build>/…`` — what the pages link to. ``<build>`` is a hash of every file's path and bytes
  (:func:`build_id`), so a changed file gets a new URL: browsers keep these for a year without asking again
  (``Cache-Control: public, max-age=31536000, immutable``). The ES modules import each other by relative paths,
  so the whole module graph of a page stays inside one build.
* ``/static/…`` — the stable URLs (API docs, old links, external tools): ``Cache-Control: no-cache``, i.e. kept
  but revalidated (ETag → 304 Not Modified).

Text files (JS, CSS, SVG, JSON, HTML) are sent gzip-compressed when the browser accepts it, compressed once at the
best level and kept in memory (:class:`AssetFiles`), instead of at the app's fast level on every request.
Pages themselves (app/pages.py) are ``no-cache``: they name the current build.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import threading
from pathlib import Path

from starlette.datastructures import Headers
from starlette.responses import Response
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"
COMPRESSIBLE_SUFFIXES = {".js", ".mjs", ".css", ".svg", ".json", ".html", ".txt", ".map"}
MIN_COMPRESS_BYTES = 512


def build_id(directory: Path) -> str:
    """A short hash of every file under ``directory`` (relative path and content): a new one whenever any changes."""
    digest = hashlib.sha256()
    for path in sorted(p for p in Path(directory).rglob("*") if p.is_file()):
        digest.update(path.relative_to(directory).as_posix().encode() + b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


class AssetFiles(StaticFiles):
    """StaticFiles with a ``Cache-Control`` of its own and gzip answers compressed once (see the module docstring)."""

    def __init__(self, *, directory: Path, cache_control: str, **kwargs) -> None:
        super().__init__(directory=directory, **kwargs)
        self.cache_control = cache_control
        self._gzipped: dict[tuple[str, int, int], bytes] = {}
        self._lock = threading.Lock()

    def file_response(self, full_path, stat_result: os.stat_result, scope: Scope, status_code: int = 200) -> Response:
        response = super().file_response(full_path, stat_result, scope, status_code)
        response.headers["cache-control"] = self.cache_control
        if response.status_code != 200 or Path(full_path).suffix.lower() not in COMPRESSIBLE_SUFFIXES:
            return response
        if stat_result.st_size < MIN_COMPRESS_BYTES:
            return response
        request_headers = Headers(scope=scope)
        if "gzip" not in request_headers.get("accept-encoding", ""):
            response.headers["vary"] = "Accept-Encoding"
            return response
        body = self._compressed(str(full_path), stat_result)
        headers = {k: v for k, v in response.headers.items() if k not in ("content-length", "etag")}
        etag = response.headers.get("etag", "").rstrip('"') + '-gz"' if response.headers.get("etag") else None
        if etag:
            headers["etag"] = etag
        headers.update({"content-encoding": "gzip", "vary": "Accept-Encoding", "content-length": str(len(body))})
        if etag and etag in request_headers.get("if-none-match", ""):
            headers.pop("content-encoding")
            return Response(status_code=304, headers=headers)
        return Response(body if scope["method"] != "HEAD" else b"", status_code=200, headers=headers)

    def _compressed(self, path: str, stat_result: os.stat_result) -> bytes:
        key = (path, stat_result.st_mtime_ns, stat_result.st_size)
        body = self._gzipped.get(key)
        if body is None:
            body = gzip.compress(Path(path).read_bytes(), compresslevel=9, mtime=0)
            with self._lock:
                self._gzipped = {k: v for k, v in self._gzipped.items() if k[0] != path}  # an older version goes
                self._gzipped[key] = body
        return body
