"""Fixtures for the API tests (helpers are in helpers.py)."""

from __future__ import annotations

import pytest

from .helpers import StrictClient, data_url, drawn_digit, make_client, png_bytes


@pytest.fixture(scope="session")
def client() -> StrictClient:
    return make_client()


@pytest.fixture
def small_client() -> StrictClient:
    """Tight limits, to test them without huge requests."""
    return make_client(
        max_body_bytes=4096,
        max_image_pixels=100 * 100,
        max_batch_images=3,
        max_conv_input_side=8,
        max_kernel_size=5,
        default_detail_positions=4,
        max_detail_positions=6,
    )


@pytest.fixture(scope="session")
def digit_url() -> str:
    return data_url(png_bytes(drawn_digit()))


@pytest.fixture(scope="session")
def mnist_digits():
    """A few real MNIST test digits (evaluation data: only used to compare two ways of computing the same thing)."""
    from engine.data import MNIST_TEST_DIR, load_idx_pair

    if MNIST_TEST_DIR is None:
        pytest.skip("MNIST test set not found")
    images = MNIST_TEST_DIR / "t10k-images-idx3-ubyte.gz"
    labels = MNIST_TEST_DIR / "t10k-labels-idx1-ubyte.gz"
    if not images.is_file() or not labels.is_file():
        pytest.skip("MNIST test files not found")
    x, y = load_idx_pair(images, labels)
    return x[:12], y[:12]
