"""Tests for engine.augment: vectorised random distortions of digit batches."""

import numpy as np
import pytest

from engine.augment import affine_grid, augment_batch, bilinear_sample

NO_CHANGE = dict(max_shift=0, max_rotation_deg=0, scale_range=(1, 1), thickness_prob=0)


def make_digits(n=32, seed=0):
    """Synthetic MNIST-like digits: random thick strokes in the middle."""
    rng = np.random.default_rng(seed)
    x = np.zeros((n, 28, 28), np.float32)
    rows, cols = np.indices((28, 28))
    for i in range(n):  # building the test data; the code under test has no loops
        a, b = rng.uniform(8, 20, 2), rng.uniform(8, 20, 2)
        t = np.clip(
            ((rows - a[0]) * (b[0] - a[0]) + (cols - a[1]) * (b[1] - a[1])) / max(np.sum((b - a) ** 2), 1), 0, 1
        )
        d = np.hypot(rows - a[0] - t * (b[0] - a[0]), cols - a[1] - t * (b[1] - a[1]))
        x[i] = np.clip(2.0 - d, 0, 1)  # a stroke ~3 px wide with soft edges
    return x


def test_shape_dtype_range():
    x = make_digits()
    for batch in (x, x[:, None]):
        out = augment_batch(batch, np.random.default_rng(0))
        assert out.shape == batch.shape and out.dtype == np.float32
        assert out.min() >= 0.0 and out.max() <= 1.0
        assert not np.array_equal(out, batch)


def test_input_is_not_modified():
    x = make_digits()
    before = x.copy()
    augment_batch(x, np.random.default_rng(0), elastic=True, thickness_prob=1.0)
    np.testing.assert_array_equal(x, before)


def test_same_seed_same_result():
    x = make_digits()
    for kw in ({}, {"elastic": True}, {"thickness_prob": 1.0}):
        a = augment_batch(x, np.random.default_rng(7), **kw)
        b = augment_batch(x, np.random.default_rng(7), **kw)
        np.testing.assert_array_equal(a, b)
        c = augment_batch(x, np.random.default_rng(8), **kw)
        assert not np.array_equal(a, c)
    np.testing.assert_array_equal(augment_batch(x, 3), augment_batch(x, 3))  # int seed


def test_result_does_not_depend_on_chunking(monkeypatch):
    import engine.augment as A

    x = make_digits(40)
    whole = augment_batch(x, np.random.default_rng(1), elastic=True)
    monkeypatch.setattr(A, "_CHUNK", 7)  # process 7 images at a time instead
    chunked = augment_batch(x, np.random.default_rng(1), elastic=True)
    np.testing.assert_array_equal(whole, chunked)


def test_identity_when_all_ranges_are_zero():
    x = make_digits()
    out = augment_batch(x, np.random.default_rng(0), **NO_CHANGE)
    np.testing.assert_allclose(out, x, atol=1e-6)
    out = augment_batch(x[:, None], np.random.default_rng(0), **NO_CHANGE)
    np.testing.assert_allclose(out[:, 0], x, atol=1e-6)


def test_mass_roughly_preserved():
    x = make_digits(200)
    out = augment_batch(x, np.random.default_rng(0), thickness_prob=0, scale_range=(1, 1))
    ratio = out.sum(axis=(1, 2)) / x.sum(axis=(1, 2))
    assert np.all(np.abs(ratio - 1) < 0.1)
    # zooming changes the mass by about scale²
    out = augment_batch(x, np.random.default_rng(0), **{**NO_CHANGE, "scale_range": (1.1, 1.1)})
    assert out.sum() / x.sum() == pytest.approx(1.21, rel=0.05)


def test_thickness_changes_the_mass_both_ways():
    x = make_digits(400)
    out = augment_batch(x, np.random.default_rng(0), **{**NO_CHANGE, "thickness_prob": 1.0})
    ratio = out.sum(axis=(1, 2)) / x.sum(axis=(1, 2))
    assert (ratio > 1.1).mean() > 0.3  # thicker pens
    assert (ratio < 0.9).mean() > 0.3  # thinner pens
    out = augment_batch(x, np.random.default_rng(0), **{**NO_CHANGE, "thickness_prob": 0.3})
    unchanged = np.all(out == x, axis=(1, 2)).mean()
    assert 0.55 < unchanged < 0.85


def test_integer_shift_moves_pixels_exactly():
    x = make_digits(4)
    src_y, src_x = affine_grid(x.shape, np.zeros(4), np.ones(4), np.tile([2.0, -3.0], (4, 1)))
    out = bilinear_sample(x, src_y, src_x)
    np.testing.assert_allclose(out[:, 2:, :-3], x[:, :-2, 3:], atol=1e-6)
    assert np.all(out[:, :2] == 0) and np.all(out[:, :, -3:] == 0)  # zeros come in


def test_rotation_by_90_degrees():
    x = make_digits(3)
    src_y, src_x = affine_grid(x.shape, np.full(3, np.pi / 2), np.ones(3), np.zeros((3, 2)))
    out = bilinear_sample(x, src_y, src_x)
    np.testing.assert_allclose(out, np.rot90(x, k=-1, axes=(1, 2)), atol=1e-5)  # clockwise


def test_half_pixel_shift_is_the_average():
    x = make_digits(2)
    src_y, src_x = affine_grid(x.shape, np.zeros(2), np.ones(2), np.tile([0.0, 0.5], (2, 1)))
    out = bilinear_sample(x, src_y, src_x)
    np.testing.assert_allclose(out[:, :, 1:], 0.5 * (x[:, :, 1:] + x[:, :, :-1]), atol=1e-6)


def test_bad_arguments():
    x = make_digits(2)
    with pytest.raises(ValueError):
        augment_batch(x[0], 0)  # missing batch axis
    with pytest.raises(ValueError):
        augment_batch(x, 0, scale_range=(1.2, 0.8))
    with pytest.raises(ValueError):
        augment_batch(x, 0, thickness_prob=1.5)
    with pytest.raises(ValueError):
        augment_batch(x, 0, max_shift=-1)
