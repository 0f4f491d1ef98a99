"""The model registry: every model the server can use, by id.

Sources, in order:

1. the bundled models in ``engine/weights`` (``lenet``, the default, and ``seed``); when a weights file is missing
   the preset is served freshly initialised, marked ``"trained": false``, so the app still runs;
2. the ``worked-example`` preset (the course's hand-worked 3×3 example, with the course's weights);
3. the ``.npz`` files of the configured folder (``CONVSTEP_MODEL_DIR``) and file (``CONVSTEP_MODEL_FILE``);
4. models registered at run time (live training: :meth:`ModelRegistry.register`);
5. with a shared training queue (Redis), the models trained by any process: :attr:`ModelRegistry.remote` looks up
   an id this registry does not hold (loaded on first use, cached by the job backend).

Ids are slugs (``[a-z0-9][a-z0-9_-]*``): nothing a request sends is ever used as a path. Files load with
``allow_pickle=False`` (``Sequential.load``); a corrupt file at start-up is logged and skipped.

Models are shared and read-only: request code runs passes on ``entry.model.fork()`` (own caches, same weights)
so any number of threads can use one model at once.
"""

from __future__ import annotations

import json
import logging
import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import engine
from engine import PRESETS, ModelFileError, Sequential, build_preset

from ..core.errors import ApiError

log = logging.getLogger("convstep.models")

WEIGHTS_DIR = Path(engine.__file__).resolve().parent / "weights"
BUNDLED = ("lenet", "seed", "mlp")
SLUG = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
SLUG_PATTERN = SLUG.pattern

Source = Literal["bundled", "preset", "folder", "training"]
# "mnist": 28×28 grey levels in [0, 1] (arrays in 0..255 are scaled); "raw": numbers used exactly as sent
InputKind = Literal["mnist", "raw"]


def is_slug(value: str) -> bool:
    return isinstance(value, str) and SLUG.match(value) is not None


def _json_safe(metadata: dict[str, Any]) -> dict[str, Any]:
    return json.loads(json.dumps(metadata, default=str))


@dataclass(frozen=True)
class ModelEntry:
    id: str
    model: Sequential
    description: str
    source: Source
    metadata: dict[str, Any] = field(default_factory=dict)
    input_kind: InputKind = "mnist"

    @property
    def trained(self) -> bool:
        return bool(self.metadata.get("trained", True))

    @property
    def test_accuracy(self) -> float | None:
        acc = self.metadata.get("test_accuracy")
        return float(acc) if isinstance(acc, (int, float)) and not isinstance(acc, bool) else None

    def layer(self, name: str):
        """The layer called ``name``; an unknown name is a 404 ApiError listing the layers."""
        try:
            return self.model.layer(name)
        except KeyError:
            names = [layer.name for layer in self.model.layers]
            raise ApiError.keyed(
                404,
                "unknown_layer",
                "error.unknown_layer",
                {"layers": names},
                model=repr(self.id),
                layer=repr(name),
                layers=", ".join(names),
            ) from None

    def param(self, layer_name: str, param: str):
        """The parameter array ``layer_name.param`` (K, W or b); unknown names are 404 ApiErrors."""
        layer = self.layer(layer_name)
        if param not in layer.params:
            have = ", ".join(layer.params)
            raise ApiError.keyed(
                404,
                "unknown_param",
                "error.unknown_param" if have else "error.unknown_param_none",
                {"params": list(layer.params)},
                layer=repr(layer_name),
                param=repr(param),
                have=have,
            )
        return layer.params[param]

    def check_label(self, label: int) -> int:
        """A true label for this model's classes (0–9, or 0–1 for the worked example), else a 422 ApiError."""
        classes = self.model.num_classes
        if not 0 <= label < classes:
            raise ApiError.invalid_input(
                "invalid_label", "error.invalid_label", max_label=classes - 1, model=repr(self.id)
            )
        return label

    def fork(self) -> Sequential:
        """A private view of the model for one request (shared weights, own caches), in inference mode."""
        return self.model.fork().eval()


class ModelRegistry:
    def __init__(self, default_id: str = "lenet"):
        self._entries: dict[str, ModelEntry] = {}
        self._lock = threading.Lock()
        self._default_id = default_id
        self.load_errors: list[str] = []
        #: id -> entry or None, asked for ids this registry does not hold (the Redis job backend's trained models)
        self.remote = None

    # -- building ---------------------------------------------------------------------------------------
    @classmethod
    def from_settings(cls, settings) -> ModelRegistry:
        registry = cls(settings.default_model or "lenet")
        registry.load_bundled()
        if settings.model_dir is not None:
            registry.load_folder(settings.model_dir)
        if settings.model_file is not None:
            entry = registry.load_file(settings.model_file)
            if entry is not None and settings.default_model is None:
                registry._default_id = entry.id
        if registry._default_id not in registry._entries:
            log.error("default model %r is not available; serving 'lenet' by default", registry._default_id)
            registry.load_errors.append(f"default model {registry._default_id!r} not found")
            registry._default_id = "lenet"
        return registry

    def load_bundled(self, weights_dir: Path = WEIGHTS_DIR) -> None:
        for name in BUNDLED:
            description = PRESETS[name][2]
            path = weights_dir / f"{name}.npz"
            model = None
            if path.is_file():
                try:
                    model = Sequential.load(path)
                except ModelFileError as exc:
                    self._record_error(f"bundled weights {path.name} unreadable ({exc}); serving an untrained {name}")
            if model is None:
                model = build_preset(name)
                model.metadata.update(trained=False, note="untrained: freshly initialised weights (no weights file)")
            self._add(
                ModelEntry(
                    name,
                    model.eval(),
                    description,  # the preset's words, not those saved with older weights files
                    "bundled",
                    _json_safe(model.metadata),
                )
            )
        example = build_preset("worked-example")
        example.metadata.update(trained=False, note="the course's hand-worked example, with the course's weights")
        self._add(
            ModelEntry(
                "worked-example",
                example.eval(),
                PRESETS["worked-example"][2],
                "preset",
                _json_safe(example.metadata),
                input_kind="raw",
            )
        )

    def load_folder(self, folder: Path) -> list[ModelEntry]:
        folder = Path(folder)
        if not folder.is_dir():
            self._record_error(f"model folder {folder} does not exist")
            return []
        loaded = []
        for path in sorted(folder.glob("*.npz")):
            entry = self.load_file(path)
            if entry is not None:
                loaded.append(entry)
        return loaded

    def load_file(self, path: Path) -> ModelEntry | None:
        """Load one configured ``.npz`` (id = file name); problems are logged and the file skipped."""
        path = Path(path)
        model_id = path.stem.lower()
        if not is_slug(model_id):
            self._record_error(f"{path.name}: skipped, its name is not a valid model id (letters, digits, - and _)")
            return None
        if model_id in self._entries:
            self._record_error(f"{path.name}: skipped, the id {model_id!r} is already taken")
            return None
        try:
            model = Sequential.load(path)
        except ModelFileError as exc:
            self._record_error(f"{path.name}: skipped ({exc})")
            return None
        entry = ModelEntry(
            model_id,
            model.eval(),
            str(model.metadata.get("description", f"model from {path.name}")),
            "folder",
            _json_safe(model.metadata),
        )
        self._add(entry)
        log.info("loaded model %r from %s", model_id, path)
        return entry

    def _record_error(self, message: str) -> None:
        log.warning("%s", message)
        self.load_errors.append(message)

    def _add(self, entry: ModelEntry) -> None:
        with self._lock:
            # copy-on-write: readers iterate over a dict nobody mutates
            self._entries = {**self._entries, entry.id: entry}

    # -- run-time API -----------------------------------------------------------------------------------
    def register(
        self,
        model_id: str,
        model: Sequential,
        metadata: dict[str, Any] | None = None,
        source: Source = "training",
        description: str | None = None,
        input_kind: InputKind = "mnist",
    ) -> ModelEntry:
        """Add (or replace) a model at run time, e.g. one produced by a live training job.

        The registry keeps ``model`` as is: do not change its arrays afterwards (requests share them)."""
        if not is_slug(model_id):
            raise ValueError(f"invalid model id {model_id!r}: use lowercase letters, digits, '-' and '_'")
        if model_id in BUNDLED or model_id == "worked-example":
            raise ValueError(f"the id {model_id!r} belongs to a bundled model")
        meta = _json_safe({**model.metadata, **(metadata or {})})
        entry = ModelEntry(
            model_id, model.eval(), description or str(meta.get("description", model_id)), source, meta, input_kind
        )
        self._add(entry)
        return entry

    def remove(self, model_id: str) -> bool:
        """Forget a run-time model (bundled ones stay). Returns whether it was there."""
        with self._lock:
            entry = self._entries.get(model_id)
            if entry is None or entry.source in ("bundled", "preset"):
                return False
            self._entries = {k: v for k, v in self._entries.items() if k != model_id}
            return True

    def get(self, model_id: str | None = None) -> ModelEntry:
        """The model called ``model_id`` (the default one when None); unknown ids are a 404 ApiError."""
        if model_id is None:
            model_id = self._default_id
        entry = self._entries.get(model_id) if is_slug(model_id) else None
        if entry is None and self.remote is not None and is_slug(model_id):
            entry = self.remote(model_id)
        if entry is None:
            shown = model_id if is_slug(model_id) else "(invalid id)"
            raise ApiError.keyed(
                404,
                "unknown_model",
                "error.unknown_model",
                {"available": self.ids()},
                model=repr(shown),
                available=", ".join(self.ids()),
            )
        return entry

    @property
    def default_id(self) -> str:
        return self._default_id

    def ids(self) -> list[str]:
        return list(self._entries)

    def entries(self) -> Iterable[ModelEntry]:
        return list(self._entries.values())

    def __contains__(self, model_id: object) -> bool:
        return model_id in self._entries
