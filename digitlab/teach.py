"""The course's exercises as an nbgrader course, generated from the lessons and solutions.

`digitlab teach nbgrader OUT` (docs/teachers.md). One source: nothing here is kept by
hand; each lesson's exercises notebook is built from two files the course already has.

* The lesson (`notebooks/NN_*.ipynb`) gives each exercise's statement: the numbered items
  after its `## Exercises` heading.
* Its solutions (`notebooks/solutions/NN_solutions.ipynb`) give the rest. The cells before
  the first `## 1.` (or `## Exercise 1:`) heading set the notebook up (Colab, parameters,
  imports): read-only here. Each exercise's section, from its heading to the next:
  - a code cell is cut at its first top-level statement that checks (an `assert`, or a
    call of a `check_*` function of `digitlab.checks`): above it, the student's answer, a
    solution region (`### BEGIN SOLUTION` ... `### END SOLUTION`) that nbgrader replaces
    with `raise NotImplementedError()`; from it on, an autograded test cell, read-only,
    worth `CHECK_POINTS`. A check whose verdict is only shown becomes `assert verdict`, so
    a wrong answer loses the points instead of showing a cross;
  - its markdown cells (the worked solution's explanations and answers) together become one
    manually graded answer, worth `WRITTEN_POINTS`.

Cell metadata follows nbgrader's format, schema version 3 (`grade`, `solution`, `locked`,
`points`, `grade_id`). The course folder gets `source/lessonNN/NN_exercises.ipynb` and an
`nbgrader_config.py` that lets a cell run as long as `digitlab course run` does.
"""

from __future__ import annotations

import ast
import os
import re
from dataclasses import dataclass
from pathlib import Path

import nbformat

from digitlab import checks
from digitlab.atomic import atomic_write_bytes
from digitlab.course import CELL_TIMEOUT, lesson_paths
from digitlab.lesson_files import LESSONS_DIR

CHECK_POINTS = 1  # an autograded test cell
WRITTEN_POINTS = 1  # a manually graded written answer
CHECKS = frozenset(name for name in dir(checks) if name.startswith("check_"))
"""The functions of `digitlab.checks` whose call marks a check in a solution cell."""
BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"
EXERCISES_HEADING = re.compile(r"^## (?:Exercises|练习题?)\s*$", re.M)  # zh: notebooks/zh/
ITEM = re.compile(r"^(\d+)\.\s", re.M)  # "1. **Title** ..." at the start of a line
SOLUTIONS_LINK = re.compile(
    r"(?:Worked solutions|参考答案|参考解答|完整解答)[^\[]*\[[^\]]*\]\([^)]*\)[.。]?\s*")
"""The lesson's pointer to its solutions ("Worked solutions: [...](...)."), not for students."""
# "## 1. A", "## Exercise 1: A", "## 练习 1：A"
SECTION = re.compile(r"^## (?:Exercise |练习 ?)?(\d+)[.:：]\s*.*$", re.M)
CONFIG = f'''"""nbgrader settings for the digitlab course (written by `digitlab teach nbgrader`)."""

import os

c = get_config()  # noqa: F821 (nbgrader provides it)
c.CourseDirectory.course_id = "digitlab"
c.Execute.timeout = {CELL_TIMEOUT}  # seconds a cell may run: the solutions train models

# nbgrader gives a test cell no points if anything reaches stderr. The notebooks' kernels
# inherit these: TensorFlow's C++ start-up log (e.g. "failed call to cuInit" on a machine
# without a GPU) and library warnings stay out of the test cells' output.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("PYTHONWARNINGS", "ignore")
'''


@dataclass(frozen=True)
class Exercise:
    """One exercise: its `number`, the lesson's `statement` (markdown) and the solution
    section's `cells`."""

    number: int
    statement: str
    cells: list


@dataclass(frozen=True)
class GeneratedCourse:
    """What `nbgrader_course` wrote: the course folder, the notebooks, the lessons left out
    and why. `print` it for a summary."""

    folder: Path
    notebooks: tuple[Path, ...]
    skipped: tuple[str, ...]
    points: int

    def __str__(self) -> str:
        lines = [f"Wrote {len(self.notebooks)} nbgrader assignment(s) to "
                 f"{self.folder / 'source'} ({self.points} points in all):"]
        lines += [f"  {path.relative_to(self.folder)}" for path in self.notebooks]
        lines += [f"Not included: {reason}" for reason in self.skipped]
        if self.notebooks:
            lines.append(f"Next, e.g.: cd {self.folder} && nbgrader generate_assignment "
                         f"{self.notebooks[0].parent.name} (docs/teachers.md)")
        return "\n".join(lines)


def nbgrader_course(
    out: str | os.PathLike[str], notebooks: str | os.PathLike[str] = LESSONS_DIR,
    lessons: tuple[str, ...] | None = None,
) -> GeneratedCourse:
    """Write the nbgrader source folder for the lessons in `notebooks` into `out`.

    Parameters
    ----------
    out : the nbgrader course folder (created if missing); files already there are never
        replaced: an existing assignment notebook is an error, an existing
        `nbgrader_config.py` is kept.
    notebooks : the folder of the lessons (with their `solutions/` folder).
    lessons : the lesson numbers to include, e.g. `("01", "02")` (default: all that have
        exercises and solutions).

    Returns
    -------
    GeneratedCourse : the notebooks written and the lessons left out, with the reason.
    """
    out, notebooks = Path(out).expanduser(), Path(notebooks)
    if out.exists() and not out.is_dir():
        raise NotADirectoryError(f"{out} is a file; name a folder for the nbgrader course")
    paths = lesson_paths(notebooks)
    by_number = {path.name[:2]: path for path in paths}
    if lessons is not None:
        unknown = sorted(set(lessons) - set(by_number))
        if unknown:
            raise ValueError(f"no lesson {', '.join(unknown)} in {notebooks} (it has "
                             f"{', '.join(sorted(by_number))})")
        paths = [by_number[number] for number in lessons]
    built, skipped = {}, []
    for path in paths:
        number = path.name[:2]
        solutions = notebooks / "solutions" / f"{number}_solutions.ipynb"
        if not solutions.is_file():
            skipped.append(f"{path.name}: no {solutions.name}")
            continue
        lesson = nbformat.read(path, as_version=4)
        if not any(EXERCISES_HEADING.search(cell.source) for cell in lesson.cells
                   if cell.cell_type == "markdown"):
            skipped.append(f"{path.name}: no exercises")
            continue
        target = out / "source" / f"lesson{number}" / f"{number}_exercises.ipynb"
        if target.exists():
            raise FileExistsError(f"{target} already exists; remove it or choose another "
                                  "folder (a generated notebook never replaces a file)")
        built[target] = exercises_notebook(lesson, nbformat.read(solutions, as_version=4),
                                           number, path.name)
    for target, notebook in built.items():
        atomic_write_bytes(target, nbformat.writes(notebook).encode())
    config = out / "nbgrader_config.py"
    if built and not config.exists():
        atomic_write_bytes(config, CONFIG.encode())
    points = sum(cell.metadata["nbgrader"].get("points", 0) for notebook in built.values()
                 for cell in notebook.cells if "nbgrader" in cell.metadata)
    return GeneratedCourse(out, tuple(built), tuple(skipped), points)


def exercises_notebook(lesson, solutions, number: str, lesson_name: str):
    """The nbgrader source notebook of one lesson's exercises (see the module docstring)."""
    intro, statements = exercise_statements(lesson)
    setup, sections = solution_sections(solutions)
    if sorted(statements) != sorted(sections):
        raise ValueError(
            f"lesson {number}: its exercises are numbered {sorted(statements)} but its "
            f"solutions have sections {sorted(sections)}; give each exercise a `## N.` section")
    cells = [_cell("markdown", f"# Lesson {int(number)} — exercises\n\nThe exercises of "
                   f"`{lesson_name}`. {intro}\n\nWrite your code where it says `YOUR CODE "
                   "HERE` (delete the `raise NotImplementedError()`) and your answers where it "
                   "says YOUR ANSWER HERE. The read-only cells with checks are graded "
                   "automatically: run them to see how you are doing.", f"l{number}_intro",
                   locked=True)]
    cells += [_cell(cell.cell_type, cell.source, f"l{number}_setup{i}", locked=True)
              for i, cell in enumerate(setup, 1)]
    for n in sorted(statements):
        cells += exercise_cells(Exercise(n, statements[n], sections[n]), number)
    notebook = nbformat.v4.new_notebook(cells=cells, metadata=solutions.metadata)
    nbformat.validate(notebook)
    return notebook


def exercise_statements(lesson) -> tuple[str, dict[int, str]]:
    """The text before the first numbered exercise (after `## Exercises`), and each
    exercise's markdown by number, from the lesson's markdown cells from that heading on."""
    texts = [cell.source for cell in lesson.cells if cell.cell_type == "markdown"]
    start = next(i for i, text in enumerate(texts) if EXERCISES_HEADING.search(text))
    text = "\n\n".join(texts[start:])
    text = text[EXERCISES_HEADING.search(text).end():]
    items = list(ITEM.finditer(text))
    if not items:
        raise ValueError("the lesson's Exercises section has no numbered exercises")
    bounds = [m.start() for m in items] + [len(text)]
    statements = {int(m[1]): _dedent(text[m.end():end]) for m, end in zip(items, bounds[1:],
                                                                           strict=True)}
    return SOLUTIONS_LINK.sub("", text[: items[0].start()]).strip(), statements


def _dedent(item: str) -> str:
    """A list item's text without the indentation of its continuation lines."""
    lines = item.strip().splitlines()
    return "\n".join(line[3:] if line.startswith("   ") else line for line in lines)


def solution_sections(solutions) -> tuple[list, dict[int, list]]:
    """The solutions notebook's setup cells (after its title, before the first section) and
    each section's cells by exercise number; a markdown cell holding a heading is cut there
    (the text above it ends the previous section, the heading itself is dropped)."""
    setup, sections, current = [], {}, None
    for cell in solutions.cells[1:]:
        pieces = [(current, cell)]
        if cell.cell_type == "markdown" and SECTION.search(cell.source):
            pieces, last = [], 0
            for match in SECTION.finditer(cell.source):
                above = cell.source[last : match.start()]
                pieces.append((current, nbformat.v4.new_markdown_cell(above)))
                current, last = int(match[1]), match.end()
                sections[current] = []
            pieces.append((current, nbformat.v4.new_markdown_cell(cell.source[last:])))
        for number, piece in pieces:
            if piece.cell_type == "markdown" and not piece.source.strip():
                continue
            (setup if number is None else sections[number]).append(piece)
    return setup, sections


def exercise_cells(exercise: Exercise, lesson: str) -> list:
    """The cells of one exercise: its statement (read-only), then each solution code cell as
    an answer region and a test cell, then one written answer from the section's markdown."""
    tag = f"l{lesson}_ex{exercise.number}"
    cells = [_cell("markdown", f"## Exercise {exercise.number}\n\n{exercise.statement}",
                   f"{tag}_statement", locked=True)]
    written = []
    for i, cell in enumerate(exercise.cells, 1):
        if cell.cell_type != "code":
            written.append(cell.source.strip())
            continue
        answer, test = split_checks(cell.source)
        if answer:
            cells.append(_cell("code", f"{BEGIN}\n{answer}\n{END}", f"{tag}_answer{i}",
                               solution=True))
        if test:
            cells.append(_cell("code", test, f"{tag}_check{i}", grade=True, locked=True,
                               points=CHECK_POINTS))
    if written:
        cells.append(_cell("markdown", f"*Exercise {exercise.number}: your findings and "
                           "answers in words (graded by hand).*", f"{tag}_prompt", locked=True))
        cells.append(_cell("markdown", f"{BEGIN}\n" + "\n\n".join(written) + f"\n{END}",
                           f"{tag}_written", grade=True, solution=True, points=WRITTEN_POINTS))
    return cells


def split_checks(source: str) -> tuple[str, str]:
    """`source` cut before its first top-level statement that checks: (answer, test).

    A top-level check call whose verdict is only shown (or printed) becomes `verdict = ...`
    and `assert verdict, verdict`; a verdict that was the cell's result is printed instead
    (nbgrader reads a test cell's result as partial points, text as full points).
    """
    lines = source.splitlines()
    try:
        parsed = "\n".join(_without_magics(lines))
        body = ast.parse(parsed).body
    except SyntaxError:
        return source.strip(), ""
    first = next((node for node in body if _checks(node)), None)
    if first is None:
        return source.strip(), ""
    cut = first.lineno - 1
    test = lines[cut:]
    for node in reversed([n for n in body if n.lineno > cut]):
        if not isinstance(node, ast.Expr):
            continue
        start, end = node.lineno - 1 - cut, node.end_lineno - cut
        expression = "\n".join(test[start:end])
        shown = ["print(verdict)"] if node is body[-1] else []
        printed = _printed_check(node.value)
        if printed is not None:  # print(check_...(...)): the verdict printed, not asserted
            call = ast.get_source_segment(parsed, printed)
            test[start:end] = [f"verdict = {call}", "assert verdict, verdict",
                               "print(verdict)"]
        elif _is_check_call(node.value):
            test[start:end] = [f"verdict = {expression}", "assert verdict, verdict", *shown]
        elif node is body[-1] and isinstance(node.value, ast.Name):
            test[start:end] = [f"print({expression})"]
    return "\n".join(lines[:cut]).strip(), "\n".join(test).strip()


def _printed_check(node: ast.AST) -> ast.Call | None:
    """The check call in `print(check_...(...))`, else None."""
    if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
            and node.func.id == "print" and len(node.args) == 1 and not node.keywords
            and _is_check_call(node.args[0])):
        return node.args[0]
    return None


def _without_magics(lines: list[str]) -> list[str]:
    """IPython's `%magic` and `!shell` lines as `pass` (same indentation), for `ast`."""
    return [line[: len(line) - len(line.lstrip())] + "pass"
            if line.lstrip().startswith(("%", "!")) else line for line in lines]


def _checks(node: ast.AST) -> bool:
    """Whether a statement asserts or calls a `digitlab.checks` check anywhere inside."""
    return any(isinstance(n, ast.Assert) or _is_check_call(n) for n in ast.walk(node))


def _is_check_call(node: ast.AST) -> bool:
    if not isinstance(node, ast.Call):
        return False
    func = node.func
    name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
    return name in CHECKS


def _cell(kind: str, source: str, grade_id: str, *, grade: bool = False,
          solution: bool = False, locked: bool = False, points: int | None = None):
    """A new cell with nbgrader's metadata (schema version 3)."""
    cell = (nbformat.v4.new_code_cell if kind == "code" else nbformat.v4.new_markdown_cell)(source)
    meta = {"grade": grade, "grade_id": grade_id, "locked": locked, "schema_version": 3,
            "solution": solution, "task": False}
    if grade:
        meta["points"] = points
    cell.metadata["nbgrader"] = meta
    return cell
