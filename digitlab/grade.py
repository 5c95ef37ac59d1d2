"""Grade a class's submitted models: write-up B's assignment, one row per student.

`digitlab grade PATH` (docs/teachers.md). Each submitted `.keras` file is first inspected as
a zip archive of JSON and weights, in this process, without TensorFlow: its size, its
members, and every object its `config.json` names must be a built-in Keras one (no Lambda
layer, no custom class or function, no module outside Keras to import). Only then does a
worker process load it with Keras in safe mode, check that it maps 28x28x1 grey images to
10 probabilities, and score it: MNIST test accuracy against `ASSIGNMENT_BAR`, the held-out
drawn digits of `digitlab.drawn` (lesson 06), and a pad smoke test (drawn canvases through
`Predictor.predict_drawing`, as the live pad calls it).

Isolation: the workers are separate processes (a crash or a hang takes down one row, not
the run), each grades one submission at a time in a fresh Keras session, in a private
temporary folder (its working folder and TMPDIR) deleted before the next one; nothing is
written beside a submission. A worker that breaks a time limit is killed and replaced.
Machinery you can skip if you are here for the lessons.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import multiprocessing
import os
import shutil
import tempfile
import time
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from multiprocessing.connection import Connection, wait
from pathlib import Path

import numpy as np

from digitlab.recipes import ASSIGNMENT_BAR

GRADED, REFUSED, OVER_LIMIT, CRASHED = "graded", "refused", "over limit", "crashed"
"""A submission's status: scored; not a model the grader accepts (with the reason); broke
a limit of `Limits`; or crashed the worker or raised an error while being scored."""

KERAS_MEMBERS = ("config.json", "model.weights.h5")  # what every .keras archive holds
MAX_CONFIG_BYTES = 10_000_000  # a config.json larger than this is not a digit classifier's
N_PAD = 10  # drawn canvases in the pad smoke test: each digit once
WORKER_START_SECONDS = 300  # a worker that cannot import TensorFlow in this long is broken


@dataclass(frozen=True)
class Limits:
    """What one submission may cost: file size (also unzipped), and seconds to load it and
    to score it (building the predictor, MNIST test, drawn digits, pad). A worker over a
    time limit is killed; one that finishes over it is reported over the limit too."""

    max_megabytes: float = 50.0
    load_seconds: float = 60.0  # wall clock: generous, a shared machine's load stretches it
    predict_seconds: float = 120.0  # (the shipped model's size: under 1 s and 5 s when idle)

    def __post_init__(self) -> None:
        for name, value in asdict(self).items():
            if not value > 0:
                raise ValueError(f"{name} must be a positive number, got {value}")

    @property
    def max_bytes(self) -> int:
        return int(self.max_megabytes * 1e6)


@dataclass(frozen=True)
class Reference:
    """What every submission is scored on: MNIST test images (uint8 (N, 28, 28)) and
    labels, the held-out drawn digits (float32 (M, 28, 28) after `canvas_to_mnist`) and
    labels, and the pad smoke test's 280x280 canvases and labels."""

    test_images: np.ndarray
    test_labels: np.ndarray
    drawn_images: np.ndarray
    drawn_labels: np.ndarray
    pad_canvases: np.ndarray
    pad_labels: np.ndarray


def reference_data(n_drawn: int = 3000, n_test: int | None = None,
                   data_dir: str | os.PathLike[str] | None = None) -> Reference:
    """The grading data: all of MNIST test (or its first `n_test` images), `n_drawn`
    held-out drawn digits (`held_out_drawn`, never trained on), and `N_PAD` canvases from
    the same held-out stream, one per digit."""
    from digitlab.data import load_mnist
    from digitlab.drawn import HELD_OUT, drawn_canvases, held_out_drawn

    _, (x_test, y_test) = load_mnist(data_dir)
    drawn = held_out_drawn(n_drawn, data_dir)
    canvases, labels, _ = drawn_canvases(N_PAD, np.random.default_rng([1, HELD_OUT]),
                                         (x_test, y_test))
    return Reference(x_test[:n_test], y_test[:n_test], drawn.images, drawn.labels,
                     np.stack(canvases), labels)


@dataclass(frozen=True)
class Grade:
    """One submission's row: its `status` (GRADED, REFUSED, OVER_LIMIT, CRASHED) and
    `reason` (empty when graded), then what was measured (None where it was not)."""

    submission: str
    status: str
    reason: str = ""
    test_accuracy: float | None = None
    drawn_accuracy: float | None = None
    pad_right: int | None = None
    pad_total: int | None = None
    params: int | None = None
    size_bytes: int | None = None
    load_seconds: float | None = None
    predict_seconds: float | None = None
    bar: float = field(default=ASSIGNMENT_BAR)

    @property
    def passes(self) -> bool | None:
        """Whether the MNIST test accuracy reaches the bar (None if not graded)."""
        return None if self.test_accuracy is None else self.test_accuracy >= self.bar

    def as_dict(self) -> dict:
        return {**asdict(self), "passes": self.passes}


def find_submissions(path: str | os.PathLike[str]) -> tuple[list[Path], list[Path]]:
    """The `.keras` files to grade, sorted: `path` itself, or every `.keras` file directly
    in the folder `path` (any names); and the folder's other files, which are not graded.

    Raises FileNotFoundError for a missing path or a folder without `.keras` files, and
    ValueError for a file that does not end in `.keras`.
    """
    path = Path(path)
    if path.is_file():
        if path.suffix.lower() != ".keras":
            raise ValueError(f"{path}: expected a .keras model file or a folder of them")
        return [path], []
    if not path.is_dir():
        raise FileNotFoundError(f"{path}: no such file or folder of submissions")
    files = sorted(p for p in path.iterdir() if p.is_file() and not p.name.startswith("."))
    models = [p for p in files if p.suffix.lower() == ".keras"]
    if not models:
        raise FileNotFoundError(f"{path}: no .keras files in this folder to grade")
    return models, [p for p in files if p not in models]


def inspect_archive(path: str | os.PathLike[str], limits: Limits = Limits()) -> Grade | None:
    """A REFUSED or OVER_LIMIT row if `path` cannot be handed to Keras, else None.

    Reads only the zip directory and `config.json` (as JSON): nothing in the file runs.
    """
    path = Path(path)
    name, size = path.name, path.stat().st_size
    refuse = lambda reason: Grade(name, REFUSED, reason, size_bytes=size)  # noqa: E731
    if size > limits.max_bytes:
        return Grade(name, OVER_LIMIT, f"the file is {size / 1e6:.1f} MB, more than the "
                     f"{limits.max_megabytes:g} MB limit", size_bytes=size)
    with open(path, "rb") as f:
        head = f.read(8)
    if not zipfile.is_zipfile(path):
        if head.startswith(b"PK"):
            return refuse("a damaged or truncated .keras file (its zip archive is incomplete)")
        if head.startswith(b"\x89HDF"):
            return refuse("an HDF5 (.h5) file renamed .keras; save the model with "
                          "model.save('name.keras') (Keras 3 format)")
        return refuse("not a .keras model file (a .keras file is a zip archive)")
    try:
        with zipfile.ZipFile(path) as archive:
            members = {info.filename: info.file_size for info in archive.infolist()}
            missing = [m for m in KERAS_MEMBERS if m not in members]
            if missing:
                return refuse(f"not a Keras model archive: it has no {' or '.join(missing)}")
            unzipped = sum(members.values())
            if unzipped > limits.max_bytes:
                return Grade(name, OVER_LIMIT, f"it unzips to {unzipped / 1e6:.1f} MB, more "
                             f"than the {limits.max_megabytes:g} MB limit", size_bytes=size)
            if members["config.json"] > MAX_CONFIG_BYTES:
                return refuse("its config.json is too large to be a digit classifier's")
            config = json.loads(archive.read("config.json"))
    except (zipfile.BadZipFile, ValueError, UnicodeDecodeError, OSError) as exc:
        return refuse(f"a damaged .keras file ({type(exc).__name__}: {exc})")
    problem = unsafe_object(config)
    return refuse(problem) if problem else None


def unsafe_object(config: object) -> str | None:
    """Why a model's `config.json` (parsed) cannot be loaded without running its code, or
    None: every object it names must be a built-in Keras one and no Lambda layer."""
    for obj in _objects(config):
        class_name = str(obj.get("class_name"))
        if class_name in ("Lambda", "__lambda__"):
            return ("it contains a Lambda layer (Python code inside the file), which the "
                    "grader never runs; use built-in Keras layers")
        module = obj.get("module")
        registered = obj.get("registered_name")
        custom = registered not in (None, class_name)
        if module is not None and (custom or not _is_keras(str(module))):
            return (f"it uses the custom object '{registered or class_name}' (module "
                    f"'{module}'), and the grader loads only built-in Keras objects")
    return None


def _is_keras(module: str) -> bool:
    return module == "keras" or module.startswith("keras.")


def _objects(config: object) -> Iterator[dict]:
    """Every dict in `config` that names a class (Keras's serialized objects)."""
    stack = [config]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if "class_name" in item:
                yield item
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


# --- the workers: one process each, TensorFlow imported once --------------------------------


def _serve(conn: Connection, threads: int) -> None:
    """A worker's life: import TensorFlow, say "ready", read the reference data, then
    grade one submission per message until told to stop (None)."""
    import signal
    import warnings

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's: it stops us
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    from digitlab.tflog import import_tensorflow_quietly

    import_tensorflow_quietly()
    import tensorflow as tf

    tf.config.threading.set_intra_op_parallelism_threads(threads)
    tf.config.threading.set_inter_op_parallelism_threads(1)
    warnings.simplefilter("ignore")  # a submission's deprecation warnings are not its grade
    conn.send(("ready",))
    message = conn.recv()
    if message is None:  # stopped before any work (the reference data could not be made)
        return
    with np.load(message[1]) as saved:
        reference = Reference(**{key: saved[key] for key in saved.files})
    home = os.getcwd()
    while (path := conn.recv()) is not None:
        private = tempfile.mkdtemp(prefix="digitlab-grade-")
        os.environ["TMPDIR"] = tempfile.tempdir = private
        os.chdir(private)
        try:
            conn.send(("done", _score(Path(path), reference, conn)))
        except Exception as exc:  # the submission's problem, reported in its row
            conn.send(("error", _sentence(exc)))
        finally:
            os.chdir(home)
            tempfile.tempdir = None
            shutil.rmtree(private, ignore_errors=True)


def _score(path: Path, reference: Reference, conn: Connection) -> dict:
    """Load `path` in a fresh Keras session and measure it; sends ("loaded", seconds)
    between the two phases so the parent can time each against its limit."""
    import keras

    from digitlab.data import normalize_images
    from digitlab.predict import Predictor
    from digitlab.saving import ModelFileError, load_model

    keras.backend.clear_session()
    started = time.perf_counter()
    try:
        model = load_model(path)  # safe mode, compile=False, (28, 28, 1) -> (10,) checked
    except ModelFileError as exc:
        return {"status": REFUSED, "reason": str(exc).removeprefix(f"{path}: ")}
    loaded = time.perf_counter()
    conn.send(("loaded", loaded - started))
    measured = {"params": int(model.count_params()), "load_seconds": round(loaded - started, 3)}
    try:
        predictor = Predictor(model)  # finite weights; a softmax over 10 on a blank image
    except ValueError as exc:
        return {**measured, "status": REFUSED, "reason": str(exc)}
    probabilities = predictor.predict_proba(normalize_images(reference.test_images))
    sums = probabilities.sum(axis=1)
    if not (np.isfinite(probabilities).all() and probabilities.min() >= 0
            and np.allclose(sums, 1, atol=1e-3)):
        return {**measured, "status": REFUSED,
                "reason": f"its outputs are not probabilities (rows sum to {sums.min():.3g}-"
                          f"{sums.max():.3g}); end the model with a softmax over 10 digits"}
    drawn = predictor.predict_proba(reference.drawn_images).argmax(axis=1)
    pad_right = 0
    for canvas, label in zip(reference.pad_canvases, reference.pad_labels, strict=True):
        with contextlib.suppress(ValueError):  # refused as not a digit: no answer, not right
            pad_right += predictor.predict_drawing(canvas).label == label
    return {
        **measured,
        "status": GRADED,
        "test_accuracy": float(np.mean(probabilities.argmax(axis=1) == reference.test_labels)),
        "drawn_accuracy": float(np.mean(drawn == reference.drawn_labels)),
        "pad_right": int(pad_right),
        "pad_total": len(reference.pad_labels),
        "predict_seconds": round(time.perf_counter() - loaded, 3),
    }


def _sentence(exc: BaseException) -> str:
    """An exception as one line for a row."""
    text = " ".join(str(exc).split()) or "no message"
    return f"{type(exc).__name__}: {text[:200]}"


class _Worker:
    """One worker process and the parent's end of its pipe."""

    def __init__(self, context, threads: int, reference_file: Path) -> None:
        self.conn, child = context.Pipe()
        self.process = context.Process(target=_serve, args=(child, threads), daemon=True)
        self.process.start()
        child.close()
        self.reference_file = reference_file
        self.ready = False
        self.task: tuple[int, Path] | None = None
        self.deadline = 0.0
        self.phase = ""
        self.load_seconds: float | None = None

    def start_task(self, index: int, path: Path, limits: Limits) -> None:
        self.task = (index, path)
        self.conn.send(str(path.absolute()))  # the worker works in a folder of its own
        self.phase, self.deadline = "load", time.monotonic() + limits.load_seconds
        self.load_seconds = None

    def stop(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join()
        self.conn.close()


def grade_submissions(
    paths: Sequence[str | os.PathLike[str]],
    reference: Reference | Callable[[], Reference],
    limits: Limits = Limits(),
    *,
    workers: int = 2,
    on_grade: Callable[[Grade], None] | None = None,
) -> list[Grade]:
    """Grade every submission in `paths`; a row each, in the order given.

    Files the archive inspection refuses never reach Keras. The rest are shared among
    `workers` processes (each imports TensorFlow once); `reference` may be a function
    (e.g. `reference_data`), then it runs while they start. `on_grade` is told of each row
    as it is decided. A hang is cut off at the limits, a crash costs only its own row.
    """
    if workers < 1:
        raise ValueError(f"workers must be at least 1, got {workers}")
    paths = [Path(p) for p in paths]
    grades: list[Grade | None] = [None] * len(paths)

    def decide(index: int, grade: Grade) -> None:
        grades[index] = grade
        if on_grade is not None:
            on_grade(grade)

    queue = []
    for index, path in enumerate(paths):
        refused = inspect_archive(path, limits)
        if refused is not None:
            decide(index, refused)
        else:
            queue.append((index, path))
    if queue:
        with tempfile.TemporaryDirectory(prefix="digitlab-grade-reference-") as folder:
            pool = _Pool(min(workers, len(queue)), Path(folder) / "reference.npz")
            try:
                data = reference() if callable(reference) else reference
                np.savez(pool.reference_file, **asdict(data))  # before any worker reads it
                pool.run(queue, limits, decide)
            finally:
                pool.stop()
    return [grade for grade in grades if grade is not None]


class _Pool:
    """Worker processes, started at once (they import TensorFlow), fed one task each."""

    def __init__(self, n_workers: int, reference_file: Path) -> None:
        self.context = multiprocessing.get_context("spawn")  # never fork TensorFlow
        self.threads = max(1, (os.cpu_count() or 1) // n_workers)
        self.reference_file = reference_file
        self.workers = [self._new() for _ in range(n_workers)]

    def _new(self) -> _Worker:
        return _Worker(self.context, self.threads, self.reference_file)

    def run(self, queue: list, limits: Limits, decide) -> None:
        started = time.monotonic()
        while queue or any(w.task for w in self.workers):
            for worker in self.workers:
                if worker.ready and worker.task is None and queue:
                    worker.start_task(*queue.pop(0), limits)
            now = time.monotonic()
            deadlines = [w.deadline for w in self.workers if w.task] or [now + 1]
            if not any(w.ready for w in self.workers):
                deadlines.append(started + WORKER_START_SECONDS)
            ready = wait([w.conn for w in self.workers],
                         timeout=max(0.0, min(deadlines) - now))
            for i, worker in enumerate(self.workers):
                if worker.conn in ready:
                    replaced = _receive(worker, limits, decide)
                elif worker.task and time.monotonic() > worker.deadline:
                    replaced = _overdue(worker, limits, decide)
                elif not worker.ready and time.monotonic() > started + WORKER_START_SECONDS:
                    raise RuntimeError("a grading worker could not start TensorFlow in "
                                       f"{WORKER_START_SECONDS} s")
                else:
                    continue
                if replaced:
                    worker.stop()
                    self.workers[i] = self._new() if queue else None
                    started = time.monotonic()
            self.workers = [worker for worker in self.workers if worker is not None]

    def stop(self) -> None:
        """Tell each worker to stop, and kill the ones that do not within 5 s."""
        for worker in filter(None, self.workers):
            if worker.process.is_alive():
                with contextlib.suppress(OSError):  # it may have just died
                    worker.conn.send(None)
                worker.process.join(timeout=5)
            worker.stop()


def _receive(worker: _Worker, limits: Limits, decide) -> bool:
    """Handle one message of `worker`; True if it must be replaced (it died)."""
    try:
        message = worker.conn.recv()
    except (EOFError, OSError):
        worker.process.join(timeout=5)
        code = worker.process.exitcode
        if worker.task is None:
            raise RuntimeError(f"a grading worker died before grading anything (exit code {code})"
                               ) from None
        index, path = worker.task
        decide(index, Grade(path.name, CRASHED, f"the grading process died while "
                            f"{'loading' if worker.phase == 'load' else 'scoring'} it (exit "
                            f"code {code})", size_bytes=path.stat().st_size,
                            load_seconds=worker.load_seconds))
        return True
    kind = message[0]
    if kind == "ready":
        worker.ready = True
        worker.conn.send(("reference", str(worker.reference_file)))
        return False
    if kind == "loaded":
        worker.load_seconds = message[1]
        worker.phase, worker.deadline = "predict", time.monotonic() + limits.predict_seconds
        return False
    index, path = worker.task
    worker.task = None
    size = path.stat().st_size
    if kind == "error":
        decide(index, Grade(path.name, CRASHED, message[1], size_bytes=size,
                            load_seconds=worker.load_seconds))
        return False
    decide(index, _within_limits(Grade(path.name, size_bytes=size, **message[1]), limits))
    return False


def _overdue(worker: _Worker, limits: Limits, decide) -> bool:
    """`worker` ran past its deadline: its submission's row, and it must be replaced."""
    index, path = worker.task
    limit = limits.load_seconds if worker.phase == "load" else limits.predict_seconds
    doing = "loading" if worker.phase == "load" else "scoring"
    decide(index, Grade(path.name, OVER_LIMIT, f"{doing} it took longer than the {limit:g} s "
                        "limit (stopped)", size_bytes=path.stat().st_size,
                        load_seconds=worker.load_seconds))
    return True


def _within_limits(grade: Grade, limits: Limits) -> Grade:
    """`grade` marked OVER_LIMIT if a phase finished but took longer than its limit."""
    for seconds, limit, doing in ((grade.load_seconds, limits.load_seconds, "loading"),
                                  (grade.predict_seconds, limits.predict_seconds, "scoring")):
        if grade.status == GRADED and seconds is not None and seconds > limit:
            return Grade(**{**asdict(grade), "status": OVER_LIMIT,
                            "reason": f"{doing} it took {seconds:.1f} s, more than the "
                                      f"{limit:g} s limit"})
    return grade


# --- the gradebook ----------------------------------------------------------------------------

COLUMNS = ("submission", "status", "test_accuracy", "passes", "drawn_accuracy", "pad_right",
           "pad_total", "params", "size_bytes", "load_seconds", "predict_seconds", "reason")


def format_table(grades: Sequence[Grade]) -> str:
    """The grades as a text table for the terminal, reasons in the last column."""
    bar = f"≥ {ASSIGNMENT_BAR:.1%}"
    header = ("submission", "status", "MNIST test", bar, "drawn", "pad", "params", "MB",
              "load s", "score s", "reason")
    rows = [header]
    for g in grades:
        rows.append((
            g.submission, g.status, _percent(g.test_accuracy),
            "" if g.passes is None else ("yes" if g.passes else "NO"),
            _percent(g.drawn_accuracy),
            "" if g.pad_right is None else f"{g.pad_right}/{g.pad_total}",
            "" if g.params is None else f"{g.params:,}",
            "" if g.size_bytes is None else f"{g.size_bytes / 1e6:.2f}",
            _seconds(g.load_seconds), _seconds(g.predict_seconds), g.reason,
        ))
    widths = [max(len(row[i]) for row in rows) for i in range(len(header) - 1)]
    lines = ["  ".join([*(cell.ljust(w) for cell, w in zip(row, widths, strict=False)),
                        row[-1]]).rstrip() for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def summary(grades: Sequence[Grade]) -> str:
    """One line: how many were graded, passed the bar, and why the rest were not."""
    counts = {status: sum(g.status == status for g in grades)
              for status in (GRADED, REFUSED, OVER_LIMIT, CRASHED)}
    passed = sum(bool(g.passes) for g in grades)
    others = ", ".join(f"{n} {status}" for status, n in counts.items() if n and status != GRADED)
    return (f"{len(grades)} submissions: {counts[GRADED]} graded, {passed} at or above the "
            f"{ASSIGNMENT_BAR:.1%} bar" + (f"; {others}" if others else ""))


def _percent(value: float | None) -> str:
    return "" if value is None else f"{value:.2%}"


def _seconds(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}"


def csv_text(grades: Sequence[Grade]) -> str:
    """The grades as CSV (one header line, `COLUMNS`), for a spreadsheet gradebook."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for grade in grades:
        writer.writerow({k: "" if v is None else v for k, v in grade.as_dict().items()})
    return out.getvalue()


def json_text(grades: Sequence[Grade], limits: Limits, machine: str) -> str:
    """The grades as one JSON object: the bar, the limits, the machine and the rows."""
    return json.dumps({"bar": ASSIGNMENT_BAR, "limits": asdict(limits), "machine": machine,
                       "submissions": [g.as_dict() for g in grades]}, indent=2) + "\n"
