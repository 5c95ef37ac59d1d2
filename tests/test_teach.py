"""`digitlab teach nbgrader`: the exercises as an nbgrader course, from lessons and solutions."""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from digitlab.cli import main
from digitlab.course import lesson_paths
from digitlab.lesson_files import LESSONS_DIR
from digitlab.teach import BEGIN, END, nbgrader_course, split_checks


def _meta(cell) -> dict:
    return cell.metadata["nbgrader"]


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    folder = tmp_path_factory.mktemp("course")
    return nbgrader_course(folder), folder


def test_every_lesson_with_exercises_becomes_an_assignment(course):
    generated, folder = course
    numbers = [path.name[:2] for path in lesson_paths(LESSONS_DIR)
               if (LESSONS_DIR / "solutions" / f"{path.name[:2]}_solutions.ipynb").is_file()]
    assert [path.parent.name for path in generated.notebooks] == [f"lesson{n}" for n in numbers]
    assert (folder / "nbgrader_config.py").is_file()
    for path in generated.notebooks:
        notebook = nbformat.read(path, as_version=4)
        nbformat.validate(notebook)
        metas = [_meta(cell) for cell in notebook.cells]
        assert all(m["schema_version"] == 3 for m in metas)
        ids = [m["grade_id"] for m in metas]
        assert len(ids) == len(set(ids)), path
        tests = [c for c in notebook.cells if _meta(c)["grade"] and c.cell_type == "code"]
        answers = [c for c in notebook.cells if _meta(c)["solution"]]
        assert tests and answers, path
        for cell in tests:  # read-only, worth points, and can fail
            assert _meta(cell)["locked"] and _meta(cell)["points"] > 0
            assert "assert " in cell.source or "check_" in cell.source, cell.source
        for cell in answers:
            assert cell.source.startswith(BEGIN) and cell.source.endswith(END)
            if cell.cell_type == "markdown":  # nbgrader: a written answer is graded by hand
                assert _meta(cell)["grade"] and _meta(cell)["points"] > 0


def test_one_source_the_solutions_code_is_all_there(course):
    """Every line of every solution's code cell is in the generated notebook, in order."""
    generated, _ = course
    for path in generated.notebooks:
        number = path.name[:2]
        solutions = nbformat.read(LESSONS_DIR / "solutions" / f"{number}_solutions.ipynb", 4)
        generated_code = "\n".join(c.source for c in nbformat.read(path, 4).cells
                                   if c.cell_type == "code")
        position = 0
        for cell in solutions.cells:
            if cell.cell_type != "code":
                continue
            for line in cell.source.splitlines():
                rewritten = line.lstrip().startswith(("check_", "verdict", "print(check_"))
                if line.strip() and not rewritten:
                    found = generated_code.find(line, position)
                    assert found >= 0, (path.name, line)
                    position = found


def test_statements_come_from_the_lesson(course):
    generated, _ = course
    lesson = lesson_paths(LESSONS_DIR)[0]
    first = nbformat.read(generated.notebooks[0], 4)
    statements = [c.source for c in first.cells if _meta(c)["grade_id"].endswith("_statement")]
    lesson_text = "\n".join(c.source for c in nbformat.read(lesson, 4).cells)
    assert statements[0].startswith("## Exercise 1\n\n**")
    assert statements[0].splitlines()[2] in lesson_text
    assert "solutions" not in first.cells[0].source  # students are not sent to the answers


@pytest.mark.parametrize(("source", "answer", "test"), [
    ("x = 1\ny = x + 1", "x = 1\ny = x + 1", ""),
    ("x = 2\nassert x == 2\nx", "x = 2", "assert x == 2\nprint(x)"),
    ("%matplotlib inline\nv = f()\ncheck_in_range('v', v,\n               0, 1)",
     "%matplotlib inline\nv = f()",
     "verdict = check_in_range('v', v,\n               0, 1)\nassert verdict, verdict\n"
     "print(verdict)"),
    ("s = f()\nprint(check_output_shapes(m,\n                         s))\nprint('done')",
     "s = f()", "verdict = check_output_shapes(m,\n                         s)\n"
     "assert verdict, verdict\nprint(verdict)\nprint('done')"),
    ("for u in (1, 2):\n    assert check_param_count(m(u), u)\ndone = True",
     "", "for u in (1, 2):\n    assert check_param_count(m(u), u)\ndone = True"),
])
def test_split_checks(source, answer, test):
    assert split_checks(source) == (answer, test)


def _lessons_folder(tmp_path, solution_heading: str) -> Path:
    folder = tmp_path / "notebooks"
    (folder / "solutions").mkdir(parents=True)
    lesson = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("# Lesson 1"),
        nbformat.v4.new_markdown_cell("## Exercises\n\nTry them.\n\n1. **Add** two numbers.\n"
                                      "   *Check:* the sum is 3.\n2. **Why?** Say why."),
    ])
    solutions = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("# Lesson 1 — solutions"),
        nbformat.v4.new_code_cell("FAST = False"),
        nbformat.v4.new_markdown_cell("## 1. Add"),
        nbformat.v4.new_code_cell("total = 1 + 2\nassert total == 3"),
        nbformat.v4.new_markdown_cell(f"It is 3.\n\n{solution_heading}\n\nBecause."),
    ])
    nbformat.write(lesson, folder / "01_tiny.ipynb")
    nbformat.write(solutions, folder / "solutions" / "01_solutions.ipynb")
    nbformat.write(lesson, folder / "02_no_solutions.ipynb")
    return folder


def test_a_small_course_cell_by_cell(tmp_path):
    generated = nbgrader_course(tmp_path / "out", _lessons_folder(tmp_path, "## 2. Why"))
    assert generated.skipped == ("02_no_solutions.ipynb: no 02_solutions.ipynb",)
    cells = nbformat.read(generated.notebooks[0], 4).cells
    kinds = [(_meta(c)["grade_id"], c.cell_type, c.source) for c in cells]
    assert kinds[1:] == [
        ("l01_setup1", "code", "FAST = False"),
        ("l01_ex1_statement", "markdown", "## Exercise 1\n\n**Add** two numbers.\n"
                                          "*Check:* the sum is 3."),
        ("l01_ex1_answer1", "code", f"{BEGIN}\ntotal = 1 + 2\n{END}"),
        ("l01_ex1_check1", "code", "assert total == 3"),
        ("l01_ex1_prompt", "markdown", kinds[5][2]),
        ("l01_ex1_written", "markdown", f"{BEGIN}\nIt is 3.\n{END}"),
        ("l01_ex2_statement", "markdown", "## Exercise 2\n\n**Why?** Say why."),
        ("l01_ex2_prompt", "markdown", kinds[8][2]),
        ("l01_ex2_written", "markdown", f"{BEGIN}\nBecause.\n{END}"),
    ]
    assert generated.points == 3
    with pytest.raises(FileExistsError, match="never replaces a file"):
        nbgrader_course(tmp_path / "out", _lessons_folder(tmp_path / "again", "## 2. Why"))


def test_exercises_without_their_solution_section_are_refused(tmp_path):
    with pytest.raises(ValueError, match=r"numbered \[1, 2\] but its solutions have sections "
                                         r"\[1, 3\]"):
        nbgrader_course(tmp_path / "out", _lessons_folder(tmp_path, "## 3. Why"))
    assert not (tmp_path / "out").exists()


def test_teach_command(tmp_path, capsys):
    folder = _lessons_folder(tmp_path, "## 2. Why")
    assert main(["teach", "nbgrader", str(tmp_path / "out"), "--notebooks", str(folder),
                 "--lessons", "01"]) == 0
    assert "Wrote 1 nbgrader assignment(s)" in capsys.readouterr().out
    assert main(["teach", "nbgrader", str(tmp_path / "out2"), "--lessons", "99"]) == 1
    assert "no lesson 99" in capsys.readouterr().err


NBGRADER = importlib.util.find_spec("nbgrader") is not None


@pytest.mark.skipif(not NBGRADER, reason="nbgrader is not installed (pip install digitlab[teach])")
def test_nbgrader_round_trip(tmp_path, real_mnist):
    """Lesson 01 through nbgrader: the student version has no solutions; the solutions as a
    submission get every autograded point, the blank student version none."""
    nbgrader_course(tmp_path, lessons=("01",))
    env = {**os.environ, "DIGITLAB_FAST": "1",
           "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}  # alembic

    def nbgrader(*args):
        run = subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=tmp_path, env=env,
                             capture_output=True, text=True, timeout=600)
        assert run.returncode == 0, run.stdout + run.stderr

    nbgrader("generate_assignment", "lesson01")
    source = tmp_path / "source" / "lesson01" / "01_exercises.ipynb"
    student = tmp_path / "release" / "lesson01" / "01_exercises.ipynb"
    released = student.read_text()
    assert "np.argsort(ink)" in source.read_text() and "np.argsort(ink)" not in released
    assert "BEGIN SOLUTION" not in released and "raise NotImplementedError()" in released
    assert "YOUR ANSWER HERE" in released
    for who, notebook in (("teacher", source), ("blank", student)):
        (tmp_path / "submitted" / who / "lesson01").mkdir(parents=True)
        shutil.copyfile(notebook, tmp_path / "submitted" / who / "lesson01" / notebook.name)
    nbgrader("autograde", "lesson01", "--create")

    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{tmp_path / 'gradebook.db'}") as book:
        scores = {who: book.find_submission_notebook("01_exercises", "lesson01", who)
                  for who in ("teacher", "blank")}
        assert scores["teacher"].max_code_score >= 4
        assert scores["teacher"].code_score == scores["teacher"].max_code_score
        assert scores["teacher"].needs_manual_grade  # the written answers
        assert scores["blank"].code_score == 0
