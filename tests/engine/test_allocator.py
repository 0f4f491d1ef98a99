"""engine/allocator.py: freed arrays stay in malloc's heap, so a training step reuses them instead of faulting in
fresh pages. Checked in a fresh process (the setting is process-wide), by counting page faults, not by timing."""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
from pathlib import Path

import pytest

from engine import allocator

ROOT = Path(__file__).resolve().parents[2]

glibc_only = pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="mallopt is glibc's")

STEPS = """
import json, resource, numpy as np
import engine
from engine.presets import build_preset
model = build_preset("lenet").train()
rng = np.random.default_rng(0)
x, y = rng.random((64, 1, 28, 28), dtype=np.float32), rng.integers(0, 10, 64)
for _ in range(5):  # warm-up: the heap grows to what a step needs
    model.loss_and_grads(x, y, input_grad=False)
before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
for _ in range(10):
    model.loss_and_grads(x, y, input_grad=False)
print(json.dumps((resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before) / 10))
"""


def faults_per_step(**env: str) -> float:
    run = subprocess.run(
        [sys.executable, "-c", STEPS], cwd=ROOT, env={**os.environ, **env}, capture_output=True, text=True, check=True
    )
    return json.loads(run.stdout)


@glibc_only
def test_a_training_step_reuses_freed_memory_instead_of_faulting_in_new_pages():
    # without the setting, this machine measured ~1,000 page faults per LeNet step (batch 64)
    assert faults_per_step() < 50


@glibc_only
def test_the_setting_applies_on_glibc_and_can_be_turned_off(monkeypatch):
    assert allocator.keep_freed_memory() is True
    monkeypatch.setenv(allocator.ENV_VAR, "0")
    assert allocator.keep_freed_memory() is False
