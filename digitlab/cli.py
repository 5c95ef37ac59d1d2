"""The `digitlab` command: one subcommand per job, each a small function here.

`digitlab data fetch` (lesson 01), `train` and `evaluate` (lessons 02-04), `predict`
(lesson 05), `course run` (README). Each `_add_*` function registers one subcommand and
points it at a handler `_cmd_*(args) -> int`. Handlers check every argument and output path
first and import TensorFlow (through `_tensorflow(args)`) only then, so a mistake is
reported at once and `digitlab --help` never loads it. Errors are one line on stderr with
exit code 1; usage errors exit 2 (argparse).
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
from collections.abc import Callable, Sequence

from digitlab import __version__
from digitlab.machine import describe_machine

TRAINABLE = (
    "dense", "cnn", "cnn_plus", "tfjs_cnn", "assignment_cnn", "browser_cnn",
    "own_images_cnn", "keras_example",
)
"""The names in `digitlab.models.MODELS` (a test keeps them equal), known without TensorFlow."""


class _HelpFormatter(argparse.HelpFormatter):
    """Appends `(default: ...)` to every option with a default its help does not state."""

    def _get_help_string(self, action: argparse.Action) -> str:
        text = action.help or ""
        if "default" in text or any(action.default is d for d in (None, False, argparse.SUPPRESS)):
            return text
        return f"{text} (default: %(default)s)"


def _positive(kind: Callable[[str], float]) -> Callable[[str], float]:
    """An argparse type: `kind(text)` if it is above zero, else a usage error."""

    def parse(text: str) -> float:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
        if not value > 0:  # also refuses NaN
            raise argparse.ArgumentTypeError(f"must be a positive number, got {text}")
        return value

    parse.__name__ = kind.__name__
    return parse


def _probability(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
    if not 0 <= value <= 1:
        raise argparse.ArgumentTypeError(f"must be between 0 and 1, got {text}")
    return value


def _tensorflow(args: argparse.Namespace) -> None:
    """Import TensorFlow, its C++ start-up log hidden unless `--verbose`."""
    if args.verbose:
        import tensorflow  # noqa: F401
        return
    from digitlab.tflog import import_tensorflow_quietly

    # Set before the import (TensorFlow reads it once): its C++ log, a CUDA "error" on every
    # machine without a GPU included; failures still reach us as Python exceptions.
    os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
    import_tensorflow_quietly()


def _model_file(path: str | None) -> str | None:
    """`path` if it is an existing `.keras` file (or None), else a one-line error."""
    if path is not None:
        if not path.endswith(".keras"):
            raise ValueError(f"{path}: expected a .keras model file")
        if not os.path.isfile(path):
            raise FileNotFoundError(f"{path}: no such model file (train one with `digitlab train`)")
    return path


def _cmd_data_fetch(args: argparse.Namespace) -> int:
    from digitlab.config import data_dir
    from digitlab.data import fetch_mnist

    folder = data_dir(args.data_dir)
    print(f"Fetching MNIST into {folder}", flush=True)
    fetch_mnist(folder)
    print(f"MNIST is ready in {folder}")
    return 0


def _add_data(sub: argparse._SubParsersAction) -> None:
    data = sub.add_parser("data", help="get the MNIST files", formatter_class=_HelpFormatter)
    data_sub = data.add_subparsers(dest="data_command", required=True)
    fetch = data_sub.add_parser(
        "fetch", help="download (or find) the four MNIST IDX files and verify their sha256",
        formatter_class=_HelpFormatter,
    )
    fetch.add_argument(
        "--data-dir",
        help="folder for MNIST (default: $DIGITLAB_DATA, else data/mnist in a source checkout, "
        "else the user cache folder)",
    )
    fetch.set_defaults(handler=_cmd_data_fetch)


def _cmd_predict(args: argparse.Namespace) -> int:
    _model_file(args.model)
    _tensorflow(args)
    from digitlab.predict import Predictor, format_file_result, predict_files

    results = predict_files(args.images, Predictor.load(args.model, threshold=args.threshold))
    for result in results:
        print(format_file_result(result), file=sys.stdout if result.ok else sys.stderr)
    return 0 if all(result.ok for result in results) else 1


def _add_predict(sub: argparse._SubParsersAction) -> None:
    predict = sub.add_parser(
        "predict", help="recognise the digit in image files (photos or scans, PNG/JPG)",
        formatter_class=_HelpFormatter,
    )
    predict.add_argument("images", nargs="+", metavar="IMAGE", help="image files to read")
    predict.add_argument("--model", help="a saved .keras model (default: the shipped one)")
    predict.add_argument(
        "--threshold",
        type=_probability,
        default=0.5,
        help="lowest probability reported as a digit rather than 'not sure'",
    )
    predict.set_defaults(handler=_cmd_predict)


def _cmd_train(args: argparse.Namespace) -> int:
    import time

    import numpy as np

    from digitlab.atomic import check_writable
    from digitlab.data import load_mnist, stratified_indices, validation_split
    from digitlab.recipes import recipe

    chosen = recipe(args.model)  # what an option leaves unsaid comes from the model's recipe
    epochs = args.epochs or int(chosen["epochs"])
    learning_rate = args.learning_rate or chosen["learning_rate"]
    out = args.out or f"{args.model}.keras"
    if not out.endswith(".keras"):
        raise ValueError(f"{out}: a model file must end in .keras (the Keras 3 format)")
    check_writable(out)
    if args.drawn < 0:
        raise ValueError(f"--drawn must be 0 or more pen-drawn digits, got {args.drawn}")
    (x_train, y_train), (x_test, y_test) = load_mnist()
    (x_train, y_train), (x_val, y_val) = validation_split(
        x_train, y_train, n_val=args.n_val, seed=args.seed
    )
    if args.n_train is not None:
        if args.n_train > len(y_train):
            raise ValueError(
                f"--n-train {args.n_train} is more than the {len(y_train):,} training images "
                f"left after holding out {args.n_val:,} for validation"
            )
        keep = stratified_indices(y_train, args.n_train, np.random.default_rng(args.seed))
        x_train, y_train = x_train[keep], y_train[keep]

    _tensorflow(args)
    from digitlab.evaluate import evaluate
    from digitlab.models import build
    from digitlab.saving import save_model
    from digitlab.train import train

    model = build(args.model, seed=args.seed)
    augment: object = args.augment == "basic"
    if args.augment == "drawing":
        from digitlab.augment import DrawingAugment

        augment = DrawingAugment(args.seed)
    if args.drawn:
        from digitlab.drawn import training_drawn

        drawn = training_drawn(args.drawn, (x_train, y_train), seed=args.seed)
        x_train = np.concatenate([x_train / np.float32(255), drawn.images])
        y_train = np.concatenate([y_train, drawn.labels])
    started = time.perf_counter()
    result = train(
        model,
        x_train,
        y_train,
        epochs=epochs,
        batch_size=args.batch_size,
        learning_rate=learning_rate,
        augment=augment,
        seed=args.seed,
        validation_data=(x_val, y_val),
    )
    seconds = time.perf_counter() - started
    val_accuracy = result.history["val_accuracy"][-1]
    report = evaluate(model, x_test, y_test)  # the test set, once, at the end
    info = {
        "command": "digitlab " + " ".join(sys.argv[1:]),
        "model": args.model, "seed": args.seed, "epochs": epochs,
        "n_train": len(y_train), "n_val": len(y_val), "augment": args.augment,
        "drawn_training_digits": args.drawn,
        "batch_size": args.batch_size, "learning_rate": learning_rate,
        "val_accuracy": round(val_accuracy, 6), "test_accuracy": round(report.accuracy, 6),
        "training_seconds": round(seconds, 1), "machine": describe_machine(),
        "digitlab_version": __version__,
    }
    if args.drawn:
        from digitlab.drawn import held_out_drawn

        held_out = held_out_drawn()
        accuracy = evaluate(model, held_out.images, held_out.labels).accuracy
        info["drawn_held_out_accuracy"] = round(accuracy, 6)
    saved = save_model(model, out, info=info)
    print(
        f"{args.model}: {val_accuracy:.2%} validation accuracy, {report.accuracy:.2%} test "
        f"accuracy on {report.n:,} images after {epochs} epoch(s) on {len(y_train):,} images, "
        f"{seconds:.0f} s of training; saved to {saved}"
    )
    return 0


def _add_train(sub: argparse._SubParsersAction) -> None:
    train = sub.add_parser(
        "train", help="train a model on MNIST and save it as .keras",
        formatter_class=_HelpFormatter,
    )
    train.add_argument(
        "--model", default="cnn", choices=TRAINABLE, metavar="MODEL",
        help=f"a model of digitlab.models: {', '.join(TRAINABLE)}",
    )
    train.add_argument(
        "--epochs", type=_positive(int),
        help="passes over the data (default: the model's recipe, digitlab.recipes: 10 for cnn)",
    )
    train.add_argument(
        "--n-train", type=_positive(int),
        help="train on a stratified subset of this size (default: all training images)",
    )
    train.add_argument(
        "--n-val", type=_positive(int), default=5000,
        help="training images held out for validation (the test set is used once, at the end)",
    )
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
    train.add_argument("--batch-size", type=_positive(int), default=128, help="images per step")
    train.add_argument(
        "--learning-rate", type=_positive(float),
        help="peak of the warm-up + cosine schedule (default: the model's recipe, "
        "digitlab.recipes: 3e-3 for cnn)",
    )
    train.add_argument("--seed", type=int, default=0, help="fixes the weights and the data order")
    train.add_argument(
        "--out",
        help="where to save the model and its .json record (default: MODEL.keras in the "
        "current folder; the lessons' model is only replaced if you name it here)",
    )
    train.set_defaults(handler=_cmd_train)


def _cmd_evaluate(args: argparse.Namespace) -> int:
    import json

    from digitlab.data import load_mnist

    _model_file(args.path)
    _, (x_test, y_test) = load_mnist()
    _tensorflow(args)
    from digitlab.evaluate import evaluate
    from digitlab.saving import PRETRAINED_PATH, load_model

    path = args.path or PRETRAINED_PATH
    report = evaluate(load_model(path), x_test, y_test)
    print(
        json.dumps({"model": str(path), **report.as_dict()}) if args.json else f"{path}: {report}"
    )
    return 0


def _add_evaluate(sub: argparse._SubParsersAction) -> None:
    evaluate = sub.add_parser(
        "evaluate", help="test accuracy of a .keras model on MNIST", formatter_class=_HelpFormatter
    )
    evaluate.add_argument("path", nargs="?", help="model file (default: the shipped model)")
    evaluate.add_argument("--json", action="store_true", help="print one JSON object")
    evaluate.set_defaults(handler=_cmd_evaluate)


def _cmd_course(args: argparse.Namespace) -> int:
    from digitlab.course import format_summary, lesson_paths, prepare_out_dir, run_course

    lesson_paths(args.notebooks)  # say what is wrong before announcing the run
    prepare_out_dir(args.out)
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

    course = sub.add_parser("course", help="the lesson notebooks", formatter_class=_HelpFormatter)
    course_sub = course.add_subparsers(dest="course_command", required=True)
    run = course_sub.add_parser(
        "run", help="execute every lesson headless, in order, and print a summary table",
        formatter_class=_HelpFormatter,
    )
    run.add_argument("--fast", action="store_true",
                     help="set DIGITLAB_FAST=1 for the lessons: tiny training, a few minutes")
    run.add_argument("--out", default=str(DEFAULT_OUT),
                     help="folder for the executed notebooks")
    run.add_argument("--notebooks", default=str(LESSONS_DIR),
                     help="folder of the lesson notebooks (the course's own, as "
                          "`digitlab lessons` copies them)")
    run.add_argument("--timeout", type=_positive(int), default=CELL_TIMEOUT,
                     help="seconds one cell may run")
    run.set_defaults(handler=_cmd_course)


def _cmd_lessons(args: argparse.Namespace) -> int:
    from digitlab.lesson_files import copy_lessons

    print(copy_lessons(args.folder))
    return 0


def _add_lessons(sub: argparse._SubParsersAction) -> None:
    lessons = sub.add_parser(
        "lessons", help="copy the lesson notebooks to a folder of yours (never overwrites a file)",
        formatter_class=_HelpFormatter,
    )
    lessons.add_argument("folder", metavar="DIR", help="where to put them (created if missing)")
    lessons.set_defaults(handler=_cmd_lessons)


def _cmd_export_web(args: argparse.Namespace) -> int:
    _model_file(args.model)  # before the export fetches anything
    from digitlab.web import export_web, folder_sizes

    out = export_web(args.out, args.model)
    sizes = folder_sizes(out)
    print(f"Wrote the drawing page to {out} ({len(sizes)} files, "
          f"{sum(sizes.values()) / 1e6:.1f} MB). Open it with:\n"
          f"  python -m http.server -d {out}\nthen visit http://localhost:8000/")
    return 0


def _add_export(sub: argparse._SubParsersAction) -> None:
    export = sub.add_parser("export", help="turn a trained model into something to share")
    export_sub = export.add_subparsers(dest="export_command", required=True)
    web = export_sub.add_parser(
        "web", help="a static web page (model as ONNX + ONNX Runtime Web) to draw digits on"
    )
    web.add_argument("out", metavar="OUT", help="folder to write the page into")
    web.add_argument("--model", help="a saved .keras model (default: the shipped one)")
    web.set_defaults(handler=_cmd_export_web)


# --- digitlab grade / digitlab teach (docs/teachers.md) --------------------------------------


def _cmd_grade(args: argparse.Namespace) -> int:
    from digitlab import grade as grading
    from digitlab.atomic import atomic_write_bytes, check_writable

    limits = grading.Limits(args.max_mb, args.load_seconds, args.score_seconds)
    submissions, others = grading.find_submissions(args.path)
    for out, suffix in ((args.csv, ".csv"), (args.json, ".json")):
        if out is not None:
            if not out.endswith(suffix):
                raise ValueError(f"{out}: expected a file name ending in {suffix}")
            check_writable(out)
    from digitlab.data import load_mnist

    load_mnist()  # MNIST is there and sound, before any submission is looked at
    if others:
        print("Not graded (not ending in .keras): " + ", ".join(p.name for p in others))
    machine = describe_machine()
    print(f"Grading {len(submissions)} submission(s) on MNIST test, {args.drawn:,} held-out "
          f"drawn digits and {grading.N_PAD} pad drawings ({machine})", flush=True)
    grades = grading.grade_submissions(
        submissions, lambda: grading.reference_data(n_drawn=args.drawn), limits,
        workers=args.workers,
        on_grade=lambda g: print(f"{g.submission}: {g.status}", flush=True),
    )
    print()
    print(grading.format_table(grades))
    print(grading.summary(grades))
    if args.csv:
        atomic_write_bytes(args.csv, grading.csv_text(grades).encode())
    if args.json:
        atomic_write_bytes(args.json, grading.json_text(grades, limits, machine).encode())
    return 0


def _add_grade(sub: argparse._SubParsersAction) -> None:
    from digitlab.grade import Limits
    from digitlab.recipes import ASSIGNMENT_BAR

    grade = sub.add_parser(
        "grade", help=f"grade submitted .keras models (write-up B: >= {100 * ASSIGNMENT_BAR:.1f}%% "
        "MNIST test accuracy), one row each", formatter_class=_HelpFormatter,
    )
    grade.add_argument("path", metavar="PATH", help="a .keras file or a folder of them")
    grade.add_argument("--csv", metavar="FILE", help="also write the rows to this .csv file")
    grade.add_argument("--json", metavar="FILE", help="also write the rows to this .json file")
    limits = Limits()
    grade.add_argument("--max-mb", type=_positive(float), default=limits.max_megabytes,
                       help="largest submission file, in megabytes")
    grade.add_argument("--load-seconds", type=_positive(float), default=limits.load_seconds,
                       help="time one submission may take to load")
    grade.add_argument("--score-seconds", type=_positive(float), default=limits.predict_seconds,
                       help="time one submission may take to score (test, drawn, pad)")
    grade.add_argument("--workers", type=_positive(int), default=min(2, os.cpu_count() or 1),
                       help="grading processes, each grading one submission at a time")
    grade.add_argument("--drawn", type=_positive(int), default=3000,
                       help="held-out drawn digits to score (lesson 06 reports on 3,000)")
    grade.set_defaults(handler=_cmd_grade)


def _cmd_teach(args: argparse.Namespace) -> int:
    from digitlab.teach import nbgrader_course

    print(nbgrader_course(args.out, args.notebooks, tuple(args.lessons) if args.lessons else None))
    return 0


def _add_teach(sub: argparse._SubParsersAction) -> None:
    from digitlab.lesson_files import LESSONS_DIR

    teach = sub.add_parser("teach", help="the course for a class", formatter_class=_HelpFormatter)
    teach_sub = teach.add_subparsers(dest="teach_command", required=True)
    nbgrader = teach_sub.add_parser(
        "nbgrader", help="an nbgrader course (source folder) from the lessons' exercises and "
        "their solutions", formatter_class=_HelpFormatter,
    )
    nbgrader.add_argument("out", metavar="OUT", help="the nbgrader course folder to write into")
    nbgrader.add_argument("--notebooks", default=str(LESSONS_DIR),
                          help="folder of the lesson notebooks and their solutions/")
    nbgrader.add_argument("--lessons", nargs="+", metavar="NN",
                          help="only these lessons, e.g. 01 02 (default: all with exercises)")
    nbgrader.set_defaults(handler=_cmd_teach)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand registered."""
    parser = argparse.ArgumentParser(
        prog="digitlab", description="Handwritten digit recognition course: tools.",
        formatter_class=_HelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"digitlab {__version__}")
    parser.add_argument("--verbose", action="store_true",
                        help="show TensorFlow's own start-up log and warnings")
    sub = parser.add_subparsers(dest="command", required=True)
    for add in (_add_data, _add_train, _add_evaluate, _add_predict, _add_lessons, _add_course,
                _add_export):
        add(sub)
    for add in (_add_grade, _add_teach):  # the teacher's kit
        add(sub)
    return parser


class _Terminated(Exception):
    """SIGTERM arrived: raised so that every `with`/`finally` cleans up on the way out."""


def _on_sigterm(signum: int, frame: object) -> None:
    raise _Terminated


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; known errors become one clear line on stderr and exit code 1.

    Ctrl-C and SIGTERM stop it with one line (exit 130 and 143) after temporary files are
    removed.
    """
    args = build_parser().parse_args(argv)
    in_main_thread = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _on_sigterm) if in_main_thread else None
    try:
        return args.handler(args)
    except KeyboardInterrupt:
        print("digitlab: interrupted", file=sys.stderr)
        return 130
    except _Terminated:
        print("digitlab: terminated", file=sys.stderr)
        return 143
    except (ValueError, OSError, RuntimeError) as exc:
        print(f"digitlab: error: {exc}", file=sys.stderr)
        return 1
    finally:
        if in_main_thread:
            signal.signal(signal.SIGTERM, previous)


if __name__ == "__main__":
    sys.exit(main())
