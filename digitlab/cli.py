"""The `digitlab` command: one subcommand per job, each a small function here.

`digitlab data fetch` (lesson 01), `train` and `evaluate` (lessons 02-04), `predict`
(lesson 05), `export web` (the web lesson), `lessons` (copies the notebooks to a folder of
yours) and `course run` (README). Each `_add_*` function registers one subcommand and
points it at a handler `_cmd_*(args) -> int`. Handlers check every argument and output path
first and import TensorFlow (through `_tensorflow(args)`) only then, so a mistake is
reported at once and `digitlab --help` never loads it. Errors are one line on stderr with
exit code 1; usage errors exit 2 (argparse), among them every number outside `BOUNDS`; every
file a user names passes `digitlab.paths.regular_file`. SIGTERM ends any command with exit 143.
`--lang zh` prints what a learner reads (`predict`'s lines, the summaries of `lessons`,
`course run` and `drawings`) in Chinese
(`digitlab.texts`); error messages stay English.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
from collections.abc import Callable, Sequence

from digitlab import __version__
from digitlab.i18n import LANGUAGES, language, set_language, tr
from digitlab.paths import printable, regular_file

TRAINABLE = (
    "dense", "cnn", "cnn_plus", "tfjs_cnn", "assignment_cnn", "browser_cnn",
    "own_images_cnn", "keras_example", "keras_io_convnet",
)
"""The names in `digitlab.models.MODELS` (a test keeps them equal), known without TensorFlow."""


class _HelpFormatter(argparse.HelpFormatter):
    """Appends `(default: ...)` to every option with a default its help does not state."""

    def _get_help_string(self, action: argparse.Action) -> str:
        text = action.help or ""
        if "default" in text or any(action.default is d for d in (None, False, argparse.SUPPRESS)):
            return text
        return f"{text} (default: %(default)s)"


# The bounded-argument rule: every number a user gives is checked by its argparse type, before
# TensorFlow loads, against what makes sense for MNIST on a laptop; a value outside is a usage
# error (exit 2) naming the option as typed. The largest values still fit in memory.
MNIST_TRAINING = 60_000  # images in MNIST's training set: --n-train and --n-val share them
MAX_SEED = 2**32 - 1  # NumPy and TensorFlow take seeds up to this
BOUNDS: dict[str, tuple[float, float]] = {
    "--epochs": (1, 1000),
    "--batch-size": (1, MNIST_TRAINING),
    "--n-train": (1, MNIST_TRAINING - 1),
    "--n-val": (1, MNIST_TRAINING - 1),
    "--drawn": (0, MNIST_TRAINING),  # pen-drawn digits: up to as many again as MNIST's own
    "--seed": (0, MAX_SEED),
    "--learning-rate": (1e-7, 1.0),
    "--timeout": (1, 7 * 24 * 3600),  # seconds one cell may run: up to a week
    "--threshold": (0.0, 1.0),
    "--max-mb": (0.001, 10_000),  # digitlab grade's limits per submission
    "--load-seconds": (1, 3600),
    "--score-seconds": (1, 3600),
    "--workers": (1, 64),
}


def _within(option: str, kind: type[int] | type[float] = int) -> Callable[[str], float]:
    """An argparse type for `option`: a `kind` within `BOUNDS[option]`, else a usage error."""
    low, high = BOUNDS[option]
    what = "a whole number" if kind is int else "a number"

    def parse(text: str) -> float:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected {what}, got {text!r}") from None
        if not low <= value <= high:  # also refuses NaN and infinity
            raise argparse.ArgumentTypeError(f"must be {what} from {low:,} to {high:,}, got {text}")
        return value

    parse.__name__ = kind.__name__  # argparse names the type in its own messages
    return parse


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
            raise ValueError(f"{printable(path)}: expected a .keras model file")
        regular_file(path, "model file", missing_hint="train one with `digitlab train`")
    return path


def _cmd_data_fetch(args: argparse.Namespace) -> int:
    from digitlab.config import data_dir
    from digitlab.data import fetch_mnist

    folder = data_dir(args.data_dir)
    print(f"Fetching MNIST into {printable(folder)}", flush=True)
    fetch_mnist(folder)
    print(f"MNIST is ready in {printable(folder)}")
    return 0


def _nested(
    sub: argparse._SubParsersAction, group: str, group_help: str, name: str, help: str
) -> argparse.ArgumentParser:
    """The parser of `digitlab GROUP NAME` (data fetch, course run, export web, teach ...)."""
    parent = sub.add_parser(group, help=group_help, formatter_class=_HelpFormatter)
    children = parent.add_subparsers(dest=f"{group}_command", required=True)
    return children.add_parser(name, help=help, formatter_class=_HelpFormatter)


def _add_data(sub: argparse._SubParsersAction) -> None:
    fetch = _nested(sub, "data", "get the MNIST files", "fetch",
                    "download (or find) the four MNIST IDX files and verify their sha256")
    fetch.add_argument(
        "--data-dir",
        help="folder for MNIST (default: $DIGITLAB_DATA, else data/mnist in a source checkout, "
        "else the user cache folder)",
    )
    fetch.set_defaults(handler=_cmd_data_fetch)


def _cmd_predict(args: argparse.Namespace) -> int:
    _model_file(args.model)
    for image in args.images:  # a pipe would hang the read, a typo waste TensorFlow's start
        regular_file(image, "image file")
    _tensorflow(args)
    from digitlab.predict import Predictor
    from digitlab.your_images import format_file_result, predict_files

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
        type=_within("--threshold", float),
        default=0.5,
        help="lowest probability reported as a digit rather than 'not sure'",
    )
    predict.set_defaults(handler=_cmd_predict)


def _cmd_train(args: argparse.Namespace) -> int:
    from digitlab.atomic import check_writable
    from digitlab.paths import check_record_replaceable
    from digitlab.recipes import recipe_data, train_shipped, train_with_recipe

    out = args.out or ("course_cnn.keras" if args.recipe == "shipped" else f"{args.model}.keras")
    if not out.endswith(".keras"):
        raise ValueError(f"{out}: a model file must end in .keras (the Keras 3 format)")
    check_writable(out)
    check_record_replaceable(out)
    data = recipe_data(args.n_train, args.n_val, args.seed)  # before TensorFlow loads
    _tensorflow(args)
    from digitlab.saving import save_model

    if args.recipe == "shipped":
        from digitlab.config import MNIST_ONLY_PATH

        model, record = train_shipped(data, MNIST_ONLY_PATH, seed=args.seed)
        epochs = record["teaching"]["epochs"]
    else:
        model, record = train_with_recipe(
            args.model, data, epochs=args.epochs, learning_rate=args.learning_rate,
            batch_size=args.batch_size, augment=args.augment, drawn=args.drawn, seed=args.seed,
        )
        epochs = record["epochs"]
    saved = save_model(
        model, out, info={"command": "digitlab " + " ".join(sys.argv[1:]), **record}
    )
    print(
        f"{record['model']}: {record['val_accuracy']:.2%} validation accuracy, "
        f"{record['test_accuracy']:.2%} test accuracy on {record['n_test']:,} images after "
        f"{epochs} epoch(s) on {record['n_train']:,} images, "
        f"{record['training_seconds']:.0f} s of training; saved to {printable(saved)}"
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
        "--recipe", choices=["shipped"],
        help="shipped: the shipped model's recipe (digitlab.recipes.train_shipped): the "
        "MNIST-only model taught drawn digits; takes no model or training option",
    )
    train.add_argument(
        "--epochs", type=_within("--epochs"),
        help="passes over the data (default: the model's recipe, digitlab.recipes: 10 for cnn)",
    )
    train.add_argument(
        "--n-train", type=_within("--n-train"),
        help="train on a stratified subset of this size (default: all training images)",
    )
    train.add_argument(
        "--n-val", type=_within("--n-val"), default=5000,
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
        "--drawn", type=_within("--drawn"), default=0,
        help="add this many pen-drawn digits (digitlab.drawn)",
    )
    train.add_argument(
        "--batch-size", type=_within("--batch-size"), default=128, help="images per step"
    )
    train.add_argument(
        "--learning-rate", type=_within("--learning-rate", float),
        help="peak of the warm-up + cosine schedule (default: the model's recipe, "
        "digitlab.recipes: 3e-3 for cnn)",
    )
    train.add_argument(
        "--seed", type=_within("--seed"), default=0, help="fixes the weights and the data order"
    )
    train.add_argument(
        "--out",
        help="where to save the model and its .json record (default: MODEL.keras in the "
        "current folder; the lessons' model is only replaced if you name it here)",
    )
    train.set_defaults(handler=_cmd_train, check_usage=lambda args: _check_sizes(train, args))


SHIPPED_FIXES = ("model", "epochs", "n_train", "augment", "drawn", "batch_size",
                 "learning_rate")
"""The training options `--recipe shipped` decides itself (digitlab.recipes.SHIPPED_TEACHING)."""


def _check_sizes(train: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    """What the bounded-argument rule cannot see option by option: the two sizes together,
    and a training option given with `--recipe shipped`, which decides them all."""
    if args.recipe == "shipped":
        given = [f"--{name.replace('_', '-')}" for name in SHIPPED_FIXES
                 if getattr(args, name) != train.get_default(name)]
        if given:
            train.error(f"--recipe shipped decides {', '.join(given)} itself: leave "
                        f"{'it' if len(given) == 1 else 'them'} out")
    if args.n_train is not None and args.n_train + args.n_val > MNIST_TRAINING:
        train.error(f"--n-train {args.n_train:,} and --n-val {args.n_val:,} ask for more than "
                    f"MNIST's {MNIST_TRAINING:,} training images")


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
    print(json.dumps({"model": str(path), **report.as_dict()}) if args.json
          else f"{printable(path)}: {report}")
    return 0


def _add_evaluate(sub: argparse._SubParsersAction) -> None:
    evaluate = sub.add_parser(
        "evaluate", help="test accuracy of a .keras model on MNIST", formatter_class=_HelpFormatter
    )
    evaluate.add_argument("path", nargs="?", help="model file (default: the shipped model)")
    evaluate.add_argument("--json", action="store_true", help="print one JSON object")
    evaluate.set_defaults(handler=_cmd_evaluate)


def _cmd_course(args: argparse.Namespace) -> int:
    from dataclasses import replace

    from digitlab.course import (
        course_editions,
        format_summary,
        lesson_paths,
        prepare_out_dir,
        run_course,
    )

    editions = ([("en", args.notebooks, args.out)] if args.notebooks is not None
                else course_editions(args.edition, out_dir=args.out))
    for _, folder, out in editions:  # say what is wrong before announcing the run
        lesson_paths(folder)
        prepare_out_dir(out, folder)
    mode = tr("cli.course_fast" if args.fast else "cli.course_full")
    runs = []
    for lang, folder, out in editions:
        label = "" if lang == "en" else f"{lang}/"  # zh/01_data in the summary
        print(tr("cli.course_running", folder=printable(folder), mode=mode,
                 out=printable(out)), flush=True)
        runs += [replace(run, lesson=label + run.lesson) for run in run_course(
            folder, out, fast=args.fast, timeout=args.timeout,
            on_lesson=lambda run, label=label: print(
                tr("cli.course_lesson", lesson=label + run.lesson, status=run.status,
                   seconds=f"{run.seconds:.0f}"), flush=True),
        )]
    print()
    print(format_summary(runs))
    return 0 if all(run.ok for run in runs) else 1


def _add_course(sub: argparse._SubParsersAction) -> None:
    from digitlab.course import BOTH, CELL_TIMEOUT, DEFAULT_OUT, EDITION_CHOICES

    run = _nested(sub, "course", "the lesson notebooks", "run",
                  "execute every lesson headless, in order, and print a summary table")
    run.add_argument("--fast", action="store_true",
                     help="set DIGITLAB_FAST=1 for the lessons: tiny training, a few minutes")
    run.add_argument("--out", default=str(DEFAULT_OUT),
                     help="folder for the executed notebooks (the Chinese ones in its zh/)")
    which = run.add_mutually_exclusive_group()
    which.add_argument("--edition", choices=EDITION_CHOICES, default=BOTH,
                       help="the course's own lessons in English (en), Chinese (zh) or both")
    which.add_argument("--notebooks",
                       help="a folder of lesson notebooks instead (as `digitlab lessons` "
                            "copies them)")
    run.add_argument("--timeout", type=_within("--timeout"), default=CELL_TIMEOUT,
                     help="seconds one cell may run")
    run.set_defaults(handler=_cmd_course)


def _cmd_lessons(args: argparse.Namespace) -> int:
    from digitlab.lesson_files import copy_lessons, edition_dir

    print(copy_lessons(args.folder, edition_dir(args.lang)))
    return 0


def _add_lessons(sub: argparse._SubParsersAction) -> None:
    from digitlab.i18n import LANGUAGES

    lessons = sub.add_parser(
        "lessons", help="copy the lesson notebooks to a folder of yours (never overwrites a file)",
        formatter_class=_HelpFormatter,
    )
    lessons.add_argument("folder", metavar="DIR", help="where to put them (created if missing)")
    # The same --lang as before the command (`digitlab --lang zh lessons DIR`): the edition
    # copied and the language of what is printed.
    lessons.add_argument("--lang", choices=LANGUAGES, default=argparse.SUPPRESS,
                         help="the edition: English (en) or Simplified Chinese (zh, 中文)")
    lessons.set_defaults(handler=_cmd_lessons)


def _cmd_export_web(args: argparse.Namespace) -> int:
    _model_file(args.model)  # before the export fetches anything
    from digitlab.web.export import check_export, export_web, folder_sizes

    check_export(args.out)  # OUT and the ONNX tools before TensorFlow loads
    _tensorflow(args)

    out = export_web(args.out, args.model)
    sizes = folder_sizes(out)
    print(f"Wrote the drawing page to {printable(out)} ({len(sizes)} files, "
          f"{sum(sizes.values()) / 1e6:.1f} MB). Open it with:\n"
          f"  python -m http.server -d {printable(out)}\nthen visit http://localhost:8000/ "
          "(the training page: http://localhost:8000/train.html)")
    return 0


def _add_export(sub: argparse._SubParsersAction) -> None:
    web = _nested(sub, "export", "turn a trained model into something to share", "web",
                  "a static web page (model as ONNX + ONNX Runtime Web) to draw digits on")
    web.add_argument("out", metavar="OUT", help="folder to write the page into")
    web.add_argument("--model", help="a saved .keras model (default: the shipped one)")
    web.set_defaults(handler=_cmd_export_web)


def _cmd_drawings(args: argparse.Namespace) -> int:
    """Summarise, export and merge folders of drawings (lesson 10); never loads TensorFlow."""
    from pathlib import Path

    from digitlab.atomic import check_writable
    from digitlab.data import load_drawings, write_idx, write_kaggle_csv
    from digitlab.data.drawings import merge_drawings
    from digitlab.i18n import pad

    for folder in args.folders:
        if not Path(folder).is_dir():
            raise FileNotFoundError(f"{folder}: no such folder of drawings")
    if args.export_csv:
        check_writable(args.export_csv)
    if args.export_idx:
        check_writable(Path(args.export_idx) / "drawings-images-idx3-ubyte")
    if args.merge:
        check_writable(Path(args.merge) / "writer.jsonl")
    drawings = load_drawings(*args.folders)
    for problem in drawings.problems:
        print(f"digitlab: warning: {problem}", file=sys.stderr)
    print(pad(tr("cli.drawings_writer"), 24) + "".join(f"{d:>5}" for d in range(10))
          + pad(tr("cli.drawings_total"), 7, ">"))
    for writer, counts in drawings.counts().items():
        print(f"{writer:<24}" + "".join(f"{n:>5}" for n in counts) + f"{counts.sum():>7}")
    print(tr("cli.drawings_count", n=len(drawings), writers=len(drawings.counts())))
    pixels = (drawings.images * 255).round().astype("uint8")
    if args.export_csv:
        print(tr("cli.wrote_csv",
                 path=write_kaggle_csv(args.export_csv, pixels, drawings.labels)))
    if args.export_idx:
        folder = Path(args.export_idx)
        write_idx(folder / "drawings-images-idx3-ubyte", pixels)
        write_idx(folder / "drawings-labels-idx1-ubyte", drawings.labels)
        print(tr("cli.wrote_idx", folder=folder))
    if args.merge:
        added, _ = merge_drawings(args.folders, args.merge)  # problems printed above
        print(tr("cli.merged", n=added, folder=args.merge))
    return 0


def _add_drawings(sub: argparse._SubParsersAction) -> None:
    drawings = sub.add_parser(
        "drawings", help="your own drawings (lesson 10): summary, export, merge a class",
        formatter_class=_HelpFormatter,
    )
    drawings.add_argument("folders", metavar="FOLDER", nargs="+",
                          help="folders of drawings (from DigitCollector or the web page)")
    drawings.add_argument("--export-csv", metavar="FILE",
                          help="write them as a Kaggle CSV (label,pixel0..pixel783)")
    drawings.add_argument("--export-idx", metavar="DIR",
                          help="write them as MNIST IDX files (drawings-images/labels)")
    drawings.add_argument("--merge", metavar="OUT",
                          help="copy every drawing into one folder (a class's drawings)")
    drawings.set_defaults(handler=_cmd_drawings)


# --- digitlab grade / digitlab teach (docs/teachers.md) --------------------------------------


def _cmd_grade(args: argparse.Namespace) -> int:
    from digitlab import grade as grading
    from digitlab.atomic import atomic_write_bytes, check_writable
    from digitlab.machine import describe_machine

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
    grade.add_argument("--max-mb", type=_within("--max-mb", float),
                       default=limits.max_megabytes,
                       help="largest submission file, in megabytes")
    grade.add_argument("--load-seconds", type=_within("--load-seconds", float),
                       default=limits.load_seconds,
                       help="time one submission may take to load")
    grade.add_argument("--score-seconds", type=_within("--score-seconds", float),
                       default=limits.predict_seconds,
                       help="time one submission may take to score (test, drawn, pad)")
    grade.add_argument("--workers", type=_within("--workers", int),
                       default=min(2, os.cpu_count() or 1),
                       help="grading processes, each grading one submission at a time")
    grade.add_argument("--drawn", type=_within("--drawn", int),
                       default=3000,
                       help="held-out drawn digits to score (lesson 06 reports on 3,000)")
    grade.set_defaults(handler=_cmd_grade)


def _cmd_teach(args: argparse.Namespace) -> int:
    from digitlab.lesson_files import edition_dir
    from digitlab.teach import nbgrader_course

    notebooks = edition_dir(args.lang) if args.notebooks is None else args.notebooks
    print(nbgrader_course(args.out, notebooks, tuple(args.lessons) if args.lessons else None))
    return 0


def _add_teach(sub: argparse._SubParsersAction) -> None:
    from digitlab.i18n import LANGUAGES

    nbgrader = _nested(sub, "teach", "the course for a class", "nbgrader",
                       "an nbgrader course (source folder) from the lessons' exercises and "
                       "their solutions")
    nbgrader.add_argument("out", metavar="OUT", help="the nbgrader course folder to write into")
    which = nbgrader.add_mutually_exclusive_group()
    which.add_argument("--lang", choices=LANGUAGES, default=argparse.SUPPRESS,
                       help="the course's own lessons in English (en) or Chinese (zh)")
    which.add_argument("--notebooks",
                       help="a folder of lesson notebooks and their solutions/ instead")
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
    parser.add_argument("--lang", choices=LANGUAGES, default="en",
                        help="language of what the learner's commands print (zh: Chinese)")
    sub = parser.add_subparsers(dest="command", required=True)
    for add in (_add_data, _add_train, _add_evaluate, _add_predict, _add_lessons, _add_course,
                _add_export, _add_drawings):
        add(sub)
    for add in (_add_grade, _add_teach):  # the teacher's kit
        add(sub)
    return parser


def _in_language(lang: str, handler: Callable[[argparse.Namespace], int],
                 args: argparse.Namespace) -> int:
    """`handler(args)` with the learner's texts in `lang`; the language set before comes back
    after (`main` may run inside a lesson's Python)."""
    previous = language()
    set_language(lang)
    try:
        return handler(args)
    finally:
        set_language(previous)


class Terminated(BaseException):
    """SIGTERM arrived. A BaseException, as KeyboardInterrupt is, so no `except Exception` in
    digitlab or a library (Keras's loader, tf2onnx, AutoGraph) can take it for an error;
    raised so that every `with`/`finally` cleans up on the way out."""


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; known errors become one clear line on stderr and exit code 1.

    Ctrl-C and SIGTERM stop it with one line (exit 130 and 143) after temporary files are
    removed. A SIGTERM ends the command with exit 143 even when library code swallowed the
    exception or turned it into another: the signal itself is remembered.
    """
    args = build_parser().parse_args(argv)
    getattr(args, "check_usage", lambda args: None)(args)  # exit 2, as argparse's own checks
    terminated = []

    def on_sigterm(signum: int, frame: object) -> None:
        terminated.append(signum)
        if len(terminated) == 1:  # a second SIGTERM must not cut the clean-up short
            raise Terminated

    in_main_thread = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, on_sigterm) if in_main_thread else None
    try:
        code = _in_language(args.lang, args.handler, args)
    except KeyboardInterrupt:
        print("digitlab: interrupted", file=sys.stderr)
        return 130
    except Terminated:
        code = 143
    except (ValueError, OSError, RuntimeError) as exc:
        code = 1
        if not terminated:
            print(f"digitlab: error: {exc}", file=sys.stderr)
    except Exception:
        if not terminated:
            raise
    finally:
        if in_main_thread:
            signal.signal(signal.SIGTERM, previous)
    if terminated:
        print("digitlab: terminated", file=sys.stderr)
        return 143
    return code


if __name__ == "__main__":
    sys.exit(main())
