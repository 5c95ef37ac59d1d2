"""The `digitlab` command: one subcommand per job, each a small function here.

`digitlab data fetch` (lesson 01), `train` and `evaluate` (lessons 02-04), `predict`
(lesson 05), `course run` (README). Each `_add_*` function registers one subcommand and
points it at a handler `_cmd_*(args) -> int`; the handlers import what they need lazily so
`digitlab --help` never loads TensorFlow.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence


def _cmd_data_fetch(args: argparse.Namespace) -> int:
    from digitlab.data import fetch_mnist

    folder = fetch_mnist(args.data_dir)
    print(f"MNIST is ready in {folder}")
    return 0


def _add_data(sub: argparse._SubParsersAction) -> None:
    data = sub.add_parser("data", help="get the MNIST files")
    data_sub = data.add_subparsers(dest="data_command", required=True)
    fetch = data_sub.add_parser(
        "fetch", help="download (or find) the four MNIST IDX files and verify their sha256"
    )
    fetch.add_argument("--data-dir", help="cache folder (default: $DIGITLAB_DATA or data/mnist)")
    fetch.set_defaults(handler=_cmd_data_fetch)


def _cmd_predict(args: argparse.Namespace) -> int:
    from digitlab.predict import Predictor, format_file_result, predict_files

    results = predict_files(args.images, Predictor.load(args.model, threshold=args.threshold))
    for result in results:
        print(format_file_result(result))
    return 0 if all(result.ok for result in results) else 1


def _add_predict(sub: argparse._SubParsersAction) -> None:
    predict = sub.add_parser(
        "predict", help="recognise the digit in image files (photos or scans, PNG/JPG)"
    )
    predict.add_argument("images", nargs="+", metavar="IMAGE", help="image files to read")
    predict.add_argument("--model", help="a saved .keras model (default: the shipped one)")
    predict.add_argument(
        "--threshold",
        type=float,
        default=0.5,
        help="lowest probability reported as a digit rather than 'not sure' (default 0.5)",
    )
    predict.set_defaults(handler=_cmd_predict)


def _cmd_train(args: argparse.Namespace) -> int:
    import numpy as np

    from digitlab.data import load_mnist, validation_split
    from digitlab.evaluate import evaluate
    from digitlab.models import build
    from digitlab.saving import save_model
    from digitlab.train import train

    model = build(args.model, seed=args.seed)
    (x_train, y_train), (x_test, y_test) = load_mnist(n_train=args.n_train, seed=args.seed)
    (x_train, y_train), validation = validation_split(x_train, y_train, seed=args.seed)
    augment = bool(args.augment)
    if args.augment == "drawing":
        from digitlab.augment import DrawingAugment

        augment = DrawingAugment(args.seed)
    if args.drawn:
        from digitlab.drawn import training_drawn

        drawn = training_drawn(args.drawn, (x_train, y_train), seed=args.seed)
        x_train = np.concatenate([x_train / np.float32(255), drawn.images])
        y_train = np.concatenate([y_train, drawn.labels])
    result = train(
        model,
        x_train,
        y_train,
        epochs=args.epochs,
        batch_size=args.batch_size,
        learning_rate=args.learning_rate,
        augment=augment,
        seed=args.seed,
        validation_data=validation,
    )
    report = evaluate(model, x_test, y_test)
    info = {
        "command": "digitlab " + " ".join(sys.argv[1:]),
        "model": args.model,
        "seed": args.seed,
        "epochs": args.epochs,
        "augment": args.augment,
        "drawn_training_digits": args.drawn,
        "validation_accuracy": result.history["val_accuracy"][-1],
        "test_accuracy": report.accuracy,
        "training_seconds": round(result.seconds, 1),
        "machine": describe_machine(),
    }
    if args.drawn:
        from digitlab.drawn import held_out_drawn

        held_out = held_out_drawn()
        info["drawn_held_out_accuracy"] = evaluate(model, held_out.images, held_out.labels).accuracy
    out = save_model(model, args.out or f"models/{args.model}.keras", info=info)
    print(
        f"{args.model}: {report.accuracy:.2%} test accuracy on {report.n:,} images after "
        f"{len(result.epoch_seconds)} epochs, {result.seconds:.0f} s of training; "
        f"saved to {out}"
    )
    return 0


def describe_machine() -> str:
    """The CPU model, core count and load: training times mean little without them."""
    import os
    import platform
    from pathlib import Path

    cpuinfo = Path("/proc/cpuinfo")
    names = [line.split(":", 1)[1].strip() for line in
             (cpuinfo.read_text().splitlines() if cpuinfo.is_file() else [])
             if line.startswith("model name")]
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return f"{names[0] if names else platform.processor()}, {os.cpu_count()} CPUs, load {load}"


def _add_train(sub: argparse._SubParsersAction) -> None:
    train = sub.add_parser("train", help="train a model on MNIST and save it as .keras")
    train.add_argument(
        "--model",
        default="cnn",
        help="a name from digitlab.models.MODELS: dense, cnn (default, the course CNN), "
        "cnn_plus (the shipped model), tfjs_cnn, assignment_cnn, browser_cnn, "
        "own_images_cnn, keras_example",
    )
    train.add_argument("--epochs", type=int, default=6)
    train.add_argument("--n-train", type=int, help="train on a stratified subset of this size")
    train.add_argument(
        "--augment",
        nargs="?",
        const="basic",
        choices=["basic", "drawing"],
        help="distort the training images: basic (rotation/shift/zoom, the default with no "
        "value) or drawing (also pen width, slant, elastic wobble: digitlab.augment)",
    )
    train.add_argument(
        "--drawn", type=int, default=0, help="add this many pen-drawn digits (digitlab.drawn)"
    )
    train.add_argument("--batch-size", type=int, default=128)
    train.add_argument(
        "--learning-rate", type=float, default=3e-3, help="peak of the warm-up + cosine schedule"
    )
    train.add_argument("--seed", type=int, default=0)
    train.add_argument("--out", help="where to save the model (default: models/MODEL.keras)")
    train.set_defaults(handler=_cmd_train)


def _cmd_evaluate(args: argparse.Namespace) -> int:
    import json

    from digitlab.data import load_mnist
    from digitlab.evaluate import evaluate
    from digitlab.saving import PRETRAINED_PATH, load_model

    path = args.path or PRETRAINED_PATH
    _, (x_test, y_test) = load_mnist()
    report = evaluate(load_model(path), x_test, y_test)
    print(
        json.dumps({"model": str(path), **report.as_dict()}) if args.json else f"{path}: {report}"
    )
    return 0


def _add_evaluate(sub: argparse._SubParsersAction) -> None:
    evaluate = sub.add_parser("evaluate", help="test accuracy of a .keras model on MNIST")
    evaluate.add_argument("path", nargs="?", help="model file (default: the shipped model)")
    evaluate.add_argument("--json", action="store_true", help="print one JSON object")
    evaluate.set_defaults(handler=_cmd_evaluate)


def _cmd_course(args: argparse.Namespace) -> int:
    from digitlab.course import format_summary, run_course

    mode = "fast mode (DIGITLAB_FAST=1)" if args.fast else "full mode"
    print(f"Running the lessons in {args.notebooks} in {mode}; executed copies go to {args.out}",
          flush=True)
    runs = run_course(
        args.notebooks, args.out, fast=args.fast, timeout=args.timeout,
        on_lesson=lambda run: print(f"{run.lesson}: {run.status} in {run.seconds:.0f} s",
                                    flush=True),
    )
    print()
    print(format_summary(runs))
    return 0 if all(run.ok for run in runs) else 1


def _add_course(sub: argparse._SubParsersAction) -> None:
    from digitlab.course import CELL_TIMEOUT, DEFAULT_OUT, LESSONS_DIR

    course = sub.add_parser("course", help="the lesson notebooks")
    course_sub = course.add_subparsers(dest="course_command", required=True)
    run = course_sub.add_parser(
        "run", help="execute every lesson headless, in order, and print a summary table"
    )
    run.add_argument("--fast", action="store_true",
                     help="set DIGITLAB_FAST=1 for the lessons: tiny training, a few minutes")
    run.add_argument("--out", default=str(DEFAULT_OUT),
                     help=f"folder for the executed notebooks (default: {DEFAULT_OUT})")
    run.add_argument("--notebooks", default=str(LESSONS_DIR),
                     help="folder of the lesson notebooks (default: the course's notebooks/)")
    run.add_argument("--timeout", type=int, default=CELL_TIMEOUT,
                     help=f"seconds one cell may run (default: {CELL_TIMEOUT})")
    run.set_defaults(handler=_cmd_course)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand registered."""
    parser = argparse.ArgumentParser(
        prog="digitlab", description="Handwritten digit recognition course: tools."
    )
    sub = parser.add_subparsers(dest="command", required=True)
    for add in (_add_data, _add_train, _add_evaluate, _add_predict, _add_course):
        add(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; known errors become one clear line on stderr and exit code 1."""
    args = build_parser().parse_args(argv)
    try:
        return args.handler(args)
    except (ValueError, OSError, RuntimeError) as exc:
        print(f"digitlab: error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
