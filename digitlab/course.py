"""Run the whole course headless: every lesson notebook in order, then a summary table.

`digitlab course run [--fast] [--out DIR] [--edition en|zh|both]` (README): by default both
editions, English then Chinese (`course_editions`), each in its own folder of executed
copies (DIR and DIR/zh), each checked on its own. Each lesson is executed with nbclient
in a fresh `python3` kernel of the current environment, started in the lessons' folder;
its executed copy goes to `DIR` (without widget state and TensorFlow's start-up log, see
`strip_widget_state` and `strip_tensorflow_logs`), even when a cell fails. The summary
lists each lesson's seconds, status and the test accuracies it printed: lessons print
lines such as `test accuracy 99.31% on 10,000 images` or `cnn: test accuracy 98.90%`,
which `find_accuracies` collects. A failing lesson is reported with its error and the run
goes on. In full mode the summary also lists every figure quoted in a lesson's markdown
that no output prints (`digitlab.quoted.stale_figures`); fast mode prints other numbers,
so it is not checked there.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from digitlab.atomic import atomic_path, check_writable
from digitlab.config import FAST_ENV, course_run_dir
from digitlab.i18n import LANGUAGES, check_language, pad, text_columns, tr
from digitlab.lesson_files import LESSONS_DIR, edition_dir
from digitlab.paths import printable, regular_file
from digitlab.quoted import output_text, output_texts, stale_figures
from digitlab.tflog import without_tensorflow_log

DEFAULT_OUT = course_run_dir()
_KERNEL = "python3"  # jupyter_client runs the `python` of a kernel spec as sys.executable
CELL_TIMEOUT = 1200  # seconds one cell may run before the lesson counts as failed
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
RUN_MARK = "digitlab_course_run"  # notebook metadata of an executed copy: a run replaces those only

BOTH = "both"  # `--edition both`: every edition, English first
EDITION_CHOICES = (*LANGUAGES, BOTH)

_ACCURACY = re.compile(
    r"(?:(?P<name>[\w.-]+):\s+)?test accuracy:?\s+(?P<percent>\d+(?:\.\d+)?)%"
)


@dataclass(frozen=True)
class LessonRun:
    """The outcome of executing one lesson notebook."""

    lesson: str
    seconds: float
    accuracies: tuple[tuple[str | None, float], ...] = ()
    error: str | None = None
    output: Path | None = None
    stale: tuple[str, ...] = ()  # figures quoted in markdown that no output prints

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def status(self) -> str:
        return "ok" if self.ok else "FAILED"


def lesson_paths(folder: str | os.PathLike[str] = LESSONS_DIR) -> list[Path]:
    """The lesson notebooks in `folder`, in course order (their names start with a number)."""
    folder = Path(folder)
    if not folder.is_dir():
        raise FileNotFoundError(f"{printable(folder)}: no such folder of lesson notebooks")
    paths = sorted(p for p in folder.glob("[0-9]*.ipynb") if p.is_file())
    if not paths:
        raise FileNotFoundError(
            f"{printable(folder)}: no lesson notebooks (expected files named like 01_data.ipynb)"
        )
    return paths


def course_editions(
    edition: str = BOTH,
    notebooks: str | os.PathLike[str] | None = None,
    out_dir: str | os.PathLike[str] = DEFAULT_OUT,
) -> list[tuple[str, Path, Path]]:
    """(language, lessons folder, folder of executed copies) of each edition `edition` names
    ("en", "zh" or `BOTH`): the Chinese lessons are in `notebooks/zh` (default: this
    digitlab's lessons), their copies go to `out_dir/zh`, laid out as the lessons are."""
    languages = LANGUAGES if edition == BOTH else (check_language(edition),)
    return [(lang, edition_dir(lang, notebooks), edition_dir(lang, out_dir))
            for lang in languages]


def check_timeout(timeout: float | None) -> None:
    """Raise ValueError unless `timeout` is None (no limit) or a positive number of seconds."""
    if timeout is not None and not timeout > 0:
        raise ValueError(f"the cell timeout must be a positive number of seconds, got {timeout}")


def prepare_out_dir(
    out_dir: str | os.PathLike[str], notebooks: str | os.PathLike[str] = LESSONS_DIR
) -> Path:
    """Create the folder for the executed notebooks, or say in one sentence why it cannot be.

    It may not be the lessons' folder `notebooks`, nor inside it or around it (links
    followed): an executed copy would replace a lesson or its solution. A notebook already
    there under a lesson's name is replaced only if a course run wrote it (`RUN_MARK`).
    """
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise NotADirectoryError(
            f"{printable(out)}: is a file; --out needs a folder for the notebooks")
    lessons, written = Path(notebooks).resolve(), out.resolve()
    if written.is_relative_to(lessons) or lessons.is_relative_to(written):
        relation = ("is" if written == lessons else
                    "is inside" if written.is_relative_to(lessons) else "contains")
        raise ValueError(
            f"--out {printable(out)} {relation} the lessons' folder {printable(notebooks)}: "
            "the executed copies would replace lessons; choose a folder outside it"
        )
    check_writable(out / "lesson.ipynb")
    foreign = [path.name for path in lesson_paths(notebooks)
               if os.path.lexists(out / path.name) and not _executed_copy(out / path.name)]
    if foreign:
        raise FileExistsError(
            f"--out {printable(out)} holds {printable(', '.join(foreign))}, not written by "
            "`digitlab course run` (your own lessons?); choose another folder or move them"
        )
    out.mkdir(parents=True, exist_ok=True)
    return out


def _executed_copy(path: Path) -> bool:
    """True if `path` is a notebook an earlier course run wrote (its metadata says so)."""
    try:
        nb = json.loads(regular_file(path).read_text(encoding="utf-8"))
        return nb["metadata"][RUN_MARK] is True
    except (OSError, ValueError, KeyError, TypeError):
        return False


def find_accuracies(nb) -> tuple[tuple[str | None, float], ...]:
    """Every `[name: ]test accuracy NN.NN%` printed by the notebook's cells, as fractions."""
    return tuple(
        (match["name"], float(match["percent"]) / 100)
        for text in output_texts(nb, kinds=("text/plain",), errors=False)
        for match in _ACCURACY.finditer(text)
    )


def strip_widget_state(nb) -> None:
    """Drop what a saved notebook cannot show without a live kernel: the widget state in
    the notebook metadata and the widget views in outputs (their text/plain stays)."""
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        kept = []
        for output in cell.get("outputs", ()):
            data = output.get("data")
            if data is not None and WIDGET_VIEW in data:
                data.pop(WIDGET_VIEW)
                if not data:
                    continue
            kept.append(output)
        if "outputs" in cell:
            cell.outputs = kept


def strip_tensorflow_logs(nb) -> None:
    """Drop TensorFlow's C++ start-up log lines (oneDNN, CUDA, CPU features) from the
    cells' stderr: messages about the machine, not about the lesson."""
    for cell in nb.cells:
        kept = []
        for output in cell.get("outputs", ()):
            if output.get("output_type") == "stream" and output.get("name") == "stderr":
                output["text"] = without_tensorflow_log(output.get("text", ""))
                if not output["text"].strip():
                    continue
            kept.append(output)
        if "outputs" in cell:
            cell.outputs = kept


def _error_text(nb, exc: Exception) -> str:
    """`cell N: Name: message` for a failing cell, else the exception's first line."""
    from nbclient.exceptions import CellExecutionError

    if nb is not None and isinstance(exc, CellExecutionError):
        code_cells = [c for c in nb.cells if c.cell_type == "code"]
        for number, cell in enumerate(code_cells, start=1):
            if any(o.get("output_type") == "error" for o in cell.get("outputs", ())):
                return f"code cell {number}: {exc.ename}: {exc.evalue}"
        return f"{exc.ename}: {exc.evalue}"
    lines = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {lines[0] if lines else ''}".rstrip(": ")


def run_lesson(
    path: str | os.PathLike[str],
    out_dir: str | os.PathLike[str],
    *,
    fast: bool = False,
    timeout: int | None = CELL_TIMEOUT,
    earlier_outputs: Sequence[str] = (),
) -> LessonRun:
    """Execute one notebook in a fresh kernel and write the executed copy to `out_dir`.

    `fast` sets DIGITLAB_FAST=1 for the kernel; otherwise the kernel runs in full mode and
    its quoted figures are checked against its outputs and `earlier_outputs` (the text
    the lessons before it printed). Cell errors, timeouts and a dying kernel are caught
    and reported in the result.
    """
    import nbformat
    from nbclient import NotebookClient

    path = Path(path)
    started = time.perf_counter()
    try:
        nb = nbformat.read(path, as_version=4)
    except Exception as exc:  # unreadable JSON, not a notebook: report it, run the others
        return LessonRun(printable(path.stem), time.perf_counter() - started,
                         error=f"cannot read {printable(path.name)} as a notebook: "
                               f"{_error_text(None, exc)}")
    env = dict(os.environ)
    env.pop(FAST_ENV, None)
    if fast:
        env[FAST_ENV] = "1"
    client = NotebookClient(
        nb,
        kernel_name=_KERNEL,
        timeout=timeout,
        record_timing=False,  # no timestamps in the saved copies
        resources={"metadata": {"path": str(path.parent)}},
    )
    error = None
    try:  # the kernel's own log (not the cells' output) would only clutter the summary
        client.execute(env=env, stderr=subprocess.DEVNULL)
    except Exception as exc:  # any failure of this lesson is reported; the course goes on
        error = _error_text(nb, exc)
    seconds = time.perf_counter() - started
    strip_widget_state(nb)
    strip_tensorflow_logs(nb)
    nb.metadata[RUN_MARK] = True  # a later run may replace this copy, and only such copies
    out = Path(out_dir) / path.name
    with atomic_path(out) as tmp:
        nbformat.write(nb, tmp)
    stale = () if fast else tuple(map(str, stale_figures(nb, earlier_outputs)))
    # the name as printed: a newline in it must not fake a line of the summary
    return LessonRun(printable(path.stem), seconds, find_accuracies(nb), error, out, stale)


def run_course(
    folder: str | os.PathLike[str] = LESSONS_DIR,
    out_dir: str | os.PathLike[str] = DEFAULT_OUT,
    *,
    fast: bool = False,
    timeout: int | None = CELL_TIMEOUT,
    on_lesson: Callable[[LessonRun], None] | None = None,
) -> list[LessonRun]:
    """Execute every lesson in `folder` in order; `on_lesson` is told after each one.

    The arguments are checked before the first lesson starts: `folder` must hold lessons,
    `out_dir` must be (or become) a writable folder, `timeout` a positive number of
    seconds or None (no limit).
    """
    import nbformat

    check_timeout(timeout)
    paths = lesson_paths(folder)
    prepare_out_dir(out_dir, folder)
    runs: list[LessonRun] = []
    printed: list[str] = []
    for path in paths:
        run = run_lesson(path, out_dir, fast=fast, timeout=timeout, earlier_outputs=printed)
        if on_lesson is not None:
            on_lesson(run)
        runs.append(run)
        if run.output is not None:  # an unreadable notebook has no executed copy
            printed.append(output_text(nbformat.read(run.output, as_version=4)))
    return runs


def _accuracies_text(accuracies: Sequence[tuple[str | None, float]]) -> str:
    return ", ".join(
        f"{name} {value:.2%}" if name else f"{value:.2%}" for name, value in accuracies
    ) or "-"


def format_summary(runs: Sequence[LessonRun]) -> str:
    """The summary table (lesson, seconds, status, accuracies), total, then the errors; its
    words in the language set (`digitlab --lang zh course run`)."""
    lesson, total = tr("cli.summary_lesson"), tr("cli.summary_total")
    width = max([text_columns(lesson), text_columns(total), *(len(run.lesson) for run in runs)])
    lines = [f"{pad(lesson, width)}  {pad(tr('cli.summary_seconds'), 7, '>')}  "
             f"{pad(tr('cli.summary_status'), 6)}  {tr('cli.summary_accuracies')}"]
    for run in runs:
        lines.append(f"{run.lesson:<{width}}  {run.seconds:>7.0f}  {run.status:<6}  "
                     f"{_accuracies_text(run.accuracies)}")
    failed = [run for run in runs if not run.ok]
    lines.append(f"{pad(total, width)}  {sum(r.seconds for r in runs):>7.0f}  "
                 + tr("cli.summary_ok", ok=len(runs) - len(failed), n=len(runs)))
    lines += [tr("cli.summary_failed", lesson=run.lesson, error=run.error) for run in failed]
    lines += [tr("cli.summary_stale", lesson=run.lesson, figure=figure)
              for run in runs for figure in run.stale]
    return "\n".join(lines)
