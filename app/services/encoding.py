"""NumPy arrays -> compact JSON values (ARCHITECTURE.md, "JSON conventions of the REST API").

* arrays become plain nested lists rounded to 4 significant digits (float32 only holds ~7, and 4 are plenty to
  read a number on screen; this shrinks a LeNet trace to about a third);
* a parameter or gradient becomes ``{"shape", "values" (null above 20,000 entries), "stats"}``.

Small answers go through pydantic as Python lists (:func:`to_list`). The traces (/api/forward, /api/backward:
~40,000 numbers) are written by orjson straight from NumPy arrays (:class:`ArrayJSONResponse`), after one
rounding pass over all their arrays at once (:class:`RoundingBatch`): the same JSON, several times faster. They
are also gzip-compressed here, with ISA-L (:func:`gzip_compress`), rather than by the app's GZip middleware.
"""

from __future__ import annotations

import base64
import io
from typing import TYPE_CHECKING, Any

import numpy as np
import orjson
from fastapi import Request
from fastapi.responses import JSONResponse
from PIL import Image

from ..core.errors import ApiError

if TYPE_CHECKING:
    from ..core.config import Settings

try:  # ISA-L's deflate: ~4x faster than zlib's fastest level on a trace, and it compresses a little better
    from isal import isal_zlib as deflate
except ImportError:  # pragma: no cover - isal is a dependency; zlib writes the same format, slower
    import zlib as deflate

SIGNIFICANT_DIGITS = 4
_POWERS_OF_TEN = 10.0 ** np.arange(301)  # 10ⁿ for n = 0..300, exact up to n = 22
MAX_INLINE_VALUES = 20_000
STAT_NAMES = ("min", "max", "mean", "std", "abs_max")


def overflow_error() -> ApiError:
    return ApiError.invalid_input("numerical_overflow", "error.numerical_overflow")


def round_significant(a, digits: int = SIGNIFICANT_DIGITS) -> np.ndarray:
    """Round every entry to ``digits`` significant digits (vectorised), as float64.

    x = 0.012345678 -> 0.01235. The result is k / 10ⁿ or k · 10ⁿ with an exact power of ten, so it is the double
    nearest the decimal number and JSON prints it short ("0.01235", not "0.012350000000000001")."""
    a = np.asarray(a, dtype=np.float64)
    shape = a.shape
    a = a.reshape(-1)  # 1-D: ufunc out=/where= need arrays, also for a single number
    if not np.isfinite(a).all():
        # JSON has no NaN/Infinity: a result that overflowed is the input's fault (huge values), never a 500
        raise overflow_error()
    magnitude = np.abs(a)
    magnitude[magnitude == 0] = 1.0  # log10(0) would be -inf (and warn)
    # decimals kept (clipped so that 10**decimals never overflows; those extremes are redone below)
    decimals = np.clip(digits - 1 - np.floor(np.log10(magnitude)), -300, 300)
    scale = _POWERS_OF_TEN[np.abs(decimals).astype(np.intp)]  # a table look-up: np.power costs ~10x more
    keep_decimals = decimals >= 0
    # round(x · 10ⁿ) / 10ⁿ for |x| < 10^digits, round(x / 10ⁿ) · 10ⁿ above (each branch only where it applies,
    # so that neither overflows)
    scaled = np.divide(a, scale)
    np.multiply(a, scale, out=scaled, where=keep_decimals)
    np.round(scaled, out=scaled)
    rounded = scaled * scale
    np.divide(scaled, scale, out=rounded, where=keep_decimals)
    # 10ⁿ is exact only up to n = 22: the rare numbers beyond (|x| < 1e-19 or > 1e25) are rounded by Python
    extreme = np.abs(decimals) > 22
    if extreme.any():
        rounded[extreme] = [float(f"{v:.{digits}g}") for v in a[extreme].tolist()]
    return (rounded + 0.0).reshape(shape)  # + 0.0 turns -0.0 into 0.0


def to_list(a, digits: int | None = SIGNIFICANT_DIGITS) -> Any:
    """Nested Python lists (or a scalar) of ``a`` rounded to ``digits`` significant digits (None: exact)."""
    a = np.asarray(a)
    if a.dtype.kind in "biu":
        return a.tolist()
    if not digits:
        a = a.astype(np.float64)
        if not np.isfinite(a).all():
            raise overflow_error()
        return a.tolist()
    return round_significant(a, digits).tolist()


def round_number(x: float, digits: int | None = SIGNIFICANT_DIGITS) -> float:
    return float(to_list(np.float64(x), digits))


def tensor_stats(a, digits: int | None = SIGNIFICANT_DIGITS) -> dict[str, float]:
    return dict(zip(STAT_NAMES, to_list(stats_vector(a), digits)))


def tensor_summary(a, max_values: int = MAX_INLINE_VALUES, digits: int | None = SIGNIFICANT_DIGITS) -> dict[str, Any]:
    """``{"shape", "values", "stats"}``; ``values`` is None when the tensor has more than ``max_values`` entries
    (fetch those by rows from ``GET /api/models/{id}/params/{layer}/{param}?row=k``)."""
    a = np.asarray(a)
    return {
        "shape": list(a.shape),
        "values": to_list(a, digits) if a.size <= max_values else None,
        "stats": tensor_stats(a, digits),
    }


def tensor_dict(arrays: dict[str, np.ndarray], **kw) -> dict[str, dict[str, Any]]:
    return {name: tensor_summary(value, **kw) for name, value in arrays.items()}


def stats_vector(a) -> np.ndarray:
    """min, max, mean, std, abs_max of ``a`` (float64), unrounded, in :data:`STAT_NAMES` order."""
    a = np.asarray(a, dtype=np.float64)
    if a.size == 0:
        return np.zeros(len(STAT_NAMES))
    lo, hi = a.min(), a.max()
    return np.array([lo, hi, a.mean(), a.std(), max(-lo, hi)])


class RoundingBatch:
    """Fills JSON-bound dicts with arrays rounded to 4 significant digits, all rounded in one vectorised pass.

    Rounding costs ~15 NumPy operations whatever the size of the array; a trace holds ~40 arrays plus ~100 small
    tensors, statistics and numbers, so rounding them one by one spends most of its time in call overheads.
    Usage: ``put(target, key, array)`` / ``put_tensor(...)`` / ``put_number(...)`` while building the answer,
    then ``run()`` once: every ``target[key]`` then holds its rounded value — a float64 array (orjson writes it
    as nested lists, exactly like :func:`to_list`'s lists through pydantic), or a float for a number. Integer
    and boolean arrays are passed through unrounded, as by :func:`to_list`. A NaN or an infinity anywhere is an
    :func:`overflow_error`, as with :func:`to_list`.
    """

    def __init__(self, digits: int = SIGNIFICANT_DIGITS):
        self.digits = digits
        self._slots: list[tuple[dict, str, tuple[int, ...]]] = []
        self._values: list[np.ndarray] = []
        self._stats: list[tuple[dict, np.ndarray]] = []

    def put(self, target: dict, key: str, array) -> None:
        a = np.asarray(array)
        if a.dtype.kind in "biu":
            target[key] = np.ascontiguousarray(a) if a.ndim else a.item()
            return
        target[key] = None  # a placeholder, so that the keys keep the order they are put in
        self._slots.append((target, key, a.shape))
        self._values.append(a.reshape(-1))

    def put_number(self, target: dict, key: str, value: float) -> None:
        self.put(target, key, np.float64(value))

    def put_tensor(self, target: dict, key: str, array, max_values: int = MAX_INLINE_VALUES) -> None:
        """``target[key] = {"shape", "values", "stats"}`` as :func:`tensor_summary` makes it."""
        a = np.asarray(array)
        summary: dict[str, Any] = {"shape": list(a.shape), "values": None, "stats": None}
        if a.size <= max_values:
            self.put(summary, "values", a)
        self._stats.append((summary, stats_vector(a)))
        target[key] = summary

    def put_tensors(
        self, target: dict, key: str, arrays: dict[str, np.ndarray], max_values: int = MAX_INLINE_VALUES
    ) -> None:
        """``target[key] = {name: tensor}`` as :func:`tensor_dict` makes it."""
        tensors: dict[str, Any] = {}
        for name, value in arrays.items():
            self.put_tensor(tensors, name, value, max_values)
        target[key] = tensors

    def run(self) -> None:
        arrays = self._values + [v for _, v in self._stats]
        if not arrays:
            return
        rounded = round_significant(np.concatenate(arrays), self.digits)
        start = 0
        for target, key, shape in self._slots:
            size = int(np.prod(shape, dtype=np.int64))
            part = rounded[start : start + size]
            target[key] = part.reshape(shape) if shape else float(part[0])
            start += size
        for summary, vector in self._stats:
            summary["stats"] = dict(zip(STAT_NAMES, rounded[start : start + len(vector)].tolist()))
            start += len(vector)
        self._slots, self._values, self._stats = [], [], []


def array_json(content: Any) -> bytes:
    """JSON written by orjson, which writes NumPy arrays (C-contiguous; int, bool, float64) as nested lists itself:
    no Python list or float object is ever built for the ~40,000 numbers of a trace. Float64 numbers come out
    exactly as pydantic writes them (both print the shortest representation that reads back the same double)."""
    return orjson.dumps(content, option=orjson.OPT_SERIALIZE_NUMPY)


def gzip_compress(data: bytes, level: int) -> bytes:
    """``data`` in the gzip format (RFC 1952), with ISA-L when it is installed. ``level`` is zlib's 1–9
    (``CONVSTEP_GZIP_LEVEL``); ISA-L's levels stop at 3, its best, so 3–9 all mean 3 there."""
    if deflate.__name__ != "zlib":
        level = min(level, deflate.ISAL_BEST_COMPRESSION)
    compressor = deflate.compressobj(level, deflate.DEFLATED, 16 + deflate.MAX_WBITS)  # 16 + : gzip header
    return compressor.compress(data) + compressor.flush()


class ArrayJSONResponse(JSONResponse):
    """A JSON answer that may hold NumPy arrays (see :func:`array_json`)."""

    def render(self, content: Any) -> bytes:
        return array_json(content)

    def compressed_for(self, request: Request, settings: Settings) -> ArrayJSONResponse:
        """Gzip the body now if the client accepts it, following the GZip middleware's rules (over
        ``gzip_min_bytes``, ``gzip_level``) but with ISA-L and in the route's worker thread: a 300 kB trace takes
        ~1 ms instead of ~5. The middleware passes an answer that already has a Content-Encoding through (and
        adds ``Vary: Accept-Encoding`` to the others)."""
        if len(self.body) >= settings.gzip_min_bytes and "gzip" in request.headers.get("accept-encoding", ""):
            self.body = gzip_compress(self.body, settings.gzip_level)
            self.headers["content-encoding"] = "gzip"
            self.headers["content-length"] = str(len(self.body))
            self.headers.add_vary_header("Accept-Encoding")
        return self


def to_uint8(image) -> np.ndarray:
    """A [0, 1] float image -> uint8 grey levels 0..255."""
    return np.clip(np.rint(np.asarray(image, dtype=np.float64) * 255.0), 0, 255).astype(np.uint8)


def png_data_url(image) -> str:
    """A 2-D image (uint8, or floats in [0, 1]) as a ``data:image/png;base64,...`` URL."""
    a = np.asarray(image)
    if a.dtype != np.uint8:
        a = to_uint8(a)
    buf = io.BytesIO()
    Image.fromarray(a).save(buf, format="PNG", optimize=True)
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")
