"""`digitlab course run`: executing lesson notebooks headless and summarizing them.

The lessons here are tiny throwaway notebooks written into tmp_path: one that passes and
prints an accuracy line, one whose second cell fails. One test runs them in real kernels;
the others run their cells in this process (`kernel_here`) or give the command recorded
results, since what they check is what is done with the outputs.
"""

from __future__ import annotations

import contextlib
import io

import nbformat
import pytest
from nbclient import NotebookClient
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

import digitlab.course as course_module
import digitlab.lesson_files as lesson_files_module
from digitlab.cli import main
from digitlab.course import (
    BOTH,
    RUN_MARK,
    WIDGET_VIEW,
    LessonRun,
    course_editions,
    find_accuracies,
    format_summary,
    lesson_paths,
    prepare_out_dir,
    run_course,
    strip_tensorflow_logs,
    strip_widget_state,
)
from digitlab.lesson_files import LESSONS_DIR, SHIPPED_PATTERNS, lesson_files


def write_lessons(folder):
    """01_good prints a test accuracy and whether fast mode is on; 02_bad fails in cell 2."""
    good = new_notebook(cells=[
        new_markdown_cell("# A passing lesson"),
        new_code_cell("import os\nprint('fast mode:', os.environ.get('DIGITLAB_FAST'))"),
        new_code_cell("print('cnn: test accuracy 99.31%')"),
    ])
    bad = new_notebook(cells=[
        new_code_cell("x = 1"),
        new_code_cell("raise ValueError('the data is missing')"),
        new_code_cell("print('never runs')"),
    ])
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(good, folder / "01_good.ipynb")
    nbformat.write(bad, folder / "02_bad.ipynb")
    (folder / "notes.ipynb").write_text("not a lesson: its name has no number")
    return folder


@pytest.fixture
def kernel_here(monkeypatch):
    """nbclient without a kernel: each code cell's source runs here and what it prints becomes
    its stream output. Returns the environments the kernels would have been started with."""
    envs = []

    def execute(client, env=None, **kwargs):
        envs.append(env)
        namespace = {}
        for cell in client.nb.cells:
            if cell.cell_type == "code":
                printed = io.StringIO()
                with contextlib.redirect_stdout(printed):
                    exec(cell.source, namespace)
                cell.outputs = [new_output("stream", name="stdout", text=printed.getvalue())]
        return client.nb

    monkeypatch.setattr(NotebookClient, "execute", execute)
    return envs


def stdout_of(nb):
    return "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code"
                   for o in c.outputs if o.output_type == "stream")


def test_lesson_paths_are_the_numbered_notebooks_in_order(tmp_path):
    folder = write_lessons(tmp_path / "lessons")
    assert [p.name for p in lesson_paths(folder)] == ["01_good.ipynb", "02_bad.ipynb"]
    (tmp_path / "empty").mkdir()
    with pytest.raises(FileNotFoundError, match="no lesson notebooks"):
        lesson_paths(tmp_path / "empty")
    with pytest.raises(FileNotFoundError, match="no such folder"):
        lesson_paths(tmp_path / "missing")


def test_run_course_reports_each_lesson_and_writes_executed_copies(tmp_path):
    folder, out = write_lessons(tmp_path / "lessons"), tmp_path / "out"
    told = []
    good, bad = run_course(folder, out, fast=True, timeout=120, on_lesson=told.append)

    assert told == [good, bad]
    assert (good.lesson, good.ok, good.status, good.error) == ("01_good", True, "ok", None)
    assert good.accuracies == (("cnn", pytest.approx(0.9931)),)
    assert (bad.lesson, bad.ok, bad.status) == ("02_bad", False, "FAILED")
    assert bad.error == "code cell 2: ValueError: the data is missing"
    assert good.seconds > 0 and bad.seconds > 0

    executed = nbformat.read(out / "01_good.ipynb", as_version=4)
    assert executed.metadata[RUN_MARK] is True  # a later run may replace it
    assert "fast mode: 1" in stdout_of(executed)
    assert "cnn: test accuracy 99.31%" in stdout_of(executed)
    failed = nbformat.read(out / "02_bad.ipynb", as_version=4)
    assert failed.cells[1].outputs[0].output_type == "error"
    assert failed.cells[2].outputs == []  # execution stopped at the failing cell
    assert sorted(p.name for p in out.iterdir()) == ["01_good.ipynb", "02_bad.ipynb"]
    # the sources are untouched
    assert all(c.get("outputs", []) == [] for c in
               nbformat.read(folder / "01_good.ipynb", as_version=4).cells)


def test_full_mode_clears_fast_mode_for_the_kernel(tmp_path, monkeypatch, kernel_here):
    monkeypatch.setenv("DIGITLAB_FAST", "1")
    folder = write_lessons(tmp_path / "lessons")
    (folder / "02_bad.ipynb").unlink()
    [full] = run_course(folder, tmp_path / "out", fast=False, timeout=120)
    [fast] = run_course(folder, tmp_path / "fast", fast=True, timeout=120)
    assert full.ok and fast.ok
    assert [env.get("DIGITLAB_FAST") for env in kernel_here] == [None, "1"]


GOOD = LessonRun("01_good", 2.0, (("cnn", 0.9931),))
BAD = LessonRun("02_bad", 1.0, error="code cell 2: ValueError: the data is missing")


@pytest.fixture
def recorded_runs(monkeypatch):
    """`run_course` replaced by one that reports `runs` (set by the test) as it would."""
    asked = {"runs": [], "folders": []}

    def run_course(folder, out_dir, *, fast, timeout, on_lesson):
        asked.update(folder=folder, out_dir=out_dir, fast=fast, timeout=timeout)
        asked["folders"].append((str(folder), str(out_dir)))
        for run in asked["runs"]:
            on_lesson(run)
        return asked["runs"]

    monkeypatch.setattr(course_module, "run_course", run_course)
    return asked


def test_cli_prints_the_summary_and_exits_1_when_a_lesson_fails(tmp_path, capsys, recorded_runs):
    folder, out = write_lessons(tmp_path / "lessons"), tmp_path / "out"
    recorded_runs["runs"] = [GOOD, BAD]
    code = main(["course", "run", "--fast", "--notebooks", str(folder), "--out", str(out),
                 "--timeout", "120"])
    printed = capsys.readouterr().out.splitlines()
    assert code == 1
    assert {k: recorded_runs[k] for k in ("folder", "out_dir", "fast", "timeout")} == {
        "folder": str(folder), "out_dir": str(out), "fast": True, "timeout": 120}
    assert printed[:3] == [
        f"Running the lessons in {folder} in fast mode (DIGITLAB_FAST=1); executed copies go "
        f"to {out}", "01_good: ok in 2 s", "02_bad: FAILED in 1 s"]
    table = printed[printed.index("") + 1:]
    assert table == format_summary([GOOD, BAD]).splitlines()
    assert table[0].split() == ["lesson", "seconds", "status", "test", "accuracies"]
    assert table[1].split()[0] == "01_good" and table[1].split()[2:] == ["ok", "cnn", "99.31%"]
    assert table[2].split()[0] == "02_bad" and table[2].split()[2:] == ["FAILED", "-"]
    assert table[3].startswith("total") and table[3].endswith("1/2 lessons ok")
    assert table[4] == "02_bad failed: code cell 2: ValueError: the data is missing"


def test_cli_exits_0_when_every_lesson_passes(tmp_path, capsys, recorded_runs):
    folder = write_lessons(tmp_path / "lessons")
    recorded_runs["runs"] = [GOOD]
    assert main(["course", "run", "--notebooks", str(folder),
                 "--out", str(tmp_path / "out")]) == 0
    printed = capsys.readouterr().out
    assert "in full mode" in printed and "1/1 lessons ok" in printed
    assert recorded_runs["fast"] is False


def test_full_run_lists_quoted_figures_that_no_output_prints(tmp_path, kernel_here):
    folder = tmp_path / "lessons"
    folder.mkdir()
    first = new_notebook(cells=[
        new_markdown_cell("The CNN reaches 99.31% with 1,234 parameters; once it said 98.76%."),
        new_code_cell("print('cnn: test accuracy 99.31%'); print('Total params: 1,234')"),
    ])
    second = new_notebook(cells=[
        new_markdown_cell("Lesson 01's 99.31% still holds; here 97.00%."),
        new_code_cell("print('dense: test accuracy 97.00%')"),
    ])
    nbformat.write(first, folder / "01_first.ipynb")
    nbformat.write(second, folder / "02_second.ipynb")
    runs = run_course(folder, tmp_path / "out", timeout=120)
    assert [len(run.stale) for run in runs] == [1, 0]
    assert runs[0].stale[0].startswith("cell 0: 98.76% is not in any output (…")
    assert format_summary(runs).splitlines()[-1] == (
        "01_first quotes a figure no output prints: " + runs[0].stale[0]
    )
    fast = run_course(folder, tmp_path / "fast", fast=True, timeout=120)
    assert [run.stale for run in fast] == [(), ()]  # fast mode prints other numbers


def test_find_accuracies_reads_streams_and_results():
    nb = new_notebook(cells=[
        new_code_cell("", outputs=[
            new_output("stream", name="stdout",
                       text="test accuracy 97.85% on 10,000 images (215 mistakes)\n"
                            "dense: test accuracy 98.1%\nloss 0.1\n"),
            new_output("execute_result", data={"text/plain": "'cnn: test accuracy: 99.4%'"},
                       execution_count=1),
        ]),
        new_markdown_cell("test accuracy 50% in a markdown cell does not count"),
    ])
    assert find_accuracies(nb) == (
        (None, pytest.approx(0.9785)), ("dense", pytest.approx(0.981)),
        ("cnn", pytest.approx(0.994)),
    )


def test_strip_widget_state_keeps_the_text_fallback():
    view = {WIDGET_VIEW: {"model_id": "abc", "version_major": 2, "version_minor": 0},
            "text/plain": "DrawingPad(...)"}
    nb = new_notebook(cells=[new_code_cell("pad", outputs=[
        new_output("execute_result", data=view, execution_count=1),
        new_output("display_data", data={WIDGET_VIEW: {"model_id": "def"}}),
        new_output("stream", name="stdout", text="hi\n"),
    ])])
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {}}}
    strip_widget_state(nb)
    assert "widgets" not in nb.metadata
    assert [o.get("data") for o in nb.cells[0].outputs] == [{"text/plain": "DrawingPad(...)"},
                                                           None]


def test_format_summary_lists_every_lesson():
    text = format_summary([LessonRun("01_data", 12.4),
                           LessonRun("02_dense_baseline", 30.0, ((None, 0.9812),)),
                           LessonRun("03_cnn", 1.0, error="code cell 3: KeyError: 'x'")])
    assert text.splitlines()[1:4] == [
        "01_data                 12  ok      -",
        "02_dense_baseline       30  ok      98.12%",
        "03_cnn                   1  FAILED  -",
    ]
    assert text.splitlines()[4].split() == ["total", "43", "2/3", "lessons", "ok"]
    assert text.splitlines()[5] == "03_cnn failed: code cell 3: KeyError: 'x'"


def test_strip_tensorflow_logs_keeps_everything_else():
    tf_log = (
        "WARNING: All log messages before absl::InitializeLog() is called are written to STDERR\n"
        "I0000 00:00:1795275876.080561   19888 port.cc:153] oneDNN custom operations are on.\n"
        "To enable the following instructions: AVX2 FMA, in other operations, rebuild "
        "TensorFlow with the appropriate compiler flags.\n"
    )
    nb = new_notebook(cells=[new_code_cell("import keras", outputs=[
        new_output("stream", name="stderr", text=tf_log),
        new_output("stream", name="stderr",
                   text="E0000 00:00:1795275878.139581   19888 cuda_platform.cc:52] failed\n"
                        "UserWarning: a real warning\n"),
        new_output("stream", name="stdout", text="I0000 printed by the lesson\n"),
    ])])
    strip_tensorflow_logs(nb)
    assert [(o.name, o.text) for o in nb.cells[0].outputs] == [
        ("stderr", "UserWarning: a real warning\n"), ("stdout", "I0000 printed by the lesson\n")]


def test_out_that_is_a_file_is_refused_before_any_lesson_runs(tmp_path, capsys):
    folder = write_lessons(tmp_path / "lessons")
    taken = tmp_path / "summary.txt"
    taken.write_text("mine")
    assert main(["course", "run", "--notebooks", str(folder), "--out", str(taken)]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.strip() == (
        f"digitlab: error: {taken}: is a file; --out needs a folder for the notebooks")
    assert taken.read_text() == "mine"
    with pytest.raises(NotADirectoryError):
        run_course(folder, taken)


def test_a_corrupt_notebook_is_reported_by_name_and_the_others_run(tmp_path, kernel_here):
    folder = write_lessons(tmp_path / "lessons")
    (folder / "02_bad.ipynb").unlink()
    (folder / "00_corrupt.ipynb").write_text('{"cells": [')
    corrupt, good = run_course(folder, tmp_path / "out", timeout=120)
    assert corrupt.lesson == "00_corrupt" and not corrupt.ok
    assert corrupt.error.startswith("cannot read 00_corrupt.ipynb as a notebook")
    assert good.ok
    assert "00_corrupt failed: cannot read 00_corrupt.ipynb" in format_summary([corrupt, good])


@pytest.mark.parametrize("timeout", ["0", "-1"])
def test_timeouts_must_be_positive(tmp_path, capsys, timeout):
    folder = write_lessons(tmp_path / "lessons")
    with pytest.raises(SystemExit) as exit_info:
        main(["course", "run", "--notebooks", str(folder), "--timeout", timeout])
    assert exit_info.value.code == 2
    assert "--timeout: must be a whole number from 1 to " in capsys.readouterr().err
    with pytest.raises(ValueError, match="timeout must be a positive number of seconds"):
        run_course(folder, tmp_path / "out", timeout=int(timeout))
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("out", [".", "solutions", "..", "../link"])
def test_out_may_not_be_in_or_around_the_lessons(tmp_path, capsys, monkeypatch, out):
    folder = write_lessons(tmp_path / "lessons")
    (folder / "solutions").mkdir()
    (folder / "solutions" / "01_good.ipynb").write_text("a solution")
    (tmp_path / "link").symlink_to(folder)
    monkeypatch.chdir(folder)
    sources = {p: p.read_bytes() for p in tmp_path.rglob("*.ipynb")}
    assert main(["course", "run", "--notebooks", ".", "--out", out]) == 1
    relation = {".": "is", "solutions": "is inside", "..": "contains", "../link": "is"}[out]
    assert capsys.readouterr().err == (
        f"digitlab: error: --out {out} {relation} the lessons' folder .: the executed copies "
        "would replace lessons; choose a folder outside it\n")
    assert {p: p.read_bytes() for p in tmp_path.rglob("*.ipynb")} == sources


def test_out_replaces_only_copies_a_course_run_wrote(tmp_path, capsys):
    folder, out = write_lessons(tmp_path / "lessons"), tmp_path / "out"
    out.mkdir()
    earlier = new_notebook()
    earlier.metadata[RUN_MARK] = True
    nbformat.write(earlier, out / "01_good.ipynb")
    assert prepare_out_dir(out, folder) == out
    mine = nbformat.read(folder / "02_bad.ipynb", as_version=4)  # say, `digitlab lessons out`
    nbformat.write(mine, out / "02_bad.ipynb")
    before = (out / "02_bad.ipynb").read_bytes()
    assert main(["course", "run", "--notebooks", str(folder), "--out", str(out)]) == 1
    assert capsys.readouterr().err == (
        f"digitlab: error: --out {out} holds 02_bad.ipynb, not written by `digitlab course "
        "run` (your own lessons?); choose another folder or move them\n")
    assert (out / "02_bad.ipynb").read_bytes() == before


@pytest.mark.parametrize(
    "path", [LESSONS_DIR / name for name in lesson_files(LESSONS_DIR, SHIPPED_PATTERNS)],
    ids=lambda path: path.relative_to(LESSONS_DIR).as_posix(),
)
def test_committed_lessons_are_sources_not_executed_copies(path):  # both editions
    """Outputs of a full run are committed, but not its mark (a later run would then replace
    a learner's copied lessons) nor widget state (no kernel to show it)."""
    nb = nbformat.read(path, as_version=4)
    assert RUN_MARK not in nb.metadata
    assert "widgets" not in nb.metadata


def test_format_summary_in_chinese_keeps_the_columns_aligned():
    from digitlab.i18n import set_language

    set_language("zh")
    try:
        text = format_summary([LessonRun("01_data", 12.4, ((None, 0.9812),)),
                               LessonRun("03_cnn", 1.0, error="code cell 3: KeyError: 'x'")])
    finally:
        set_language("en")
    assert text.splitlines() == [
        "课程          秒  状态    测试准确率",  # a Chinese character: two columns
        "01_data       12  ok      98.12%",
        "03_cnn         1  FAILED  -",
        "合计          13  1/2 课运行成功",
        "03_cnn 运行失败：code cell 3: KeyError: 'x'",
    ]


def test_editions_are_run_from_their_folders_into_mirrored_ones(tmp_path):
    notebooks, out = tmp_path / "notebooks", tmp_path / "out"
    assert course_editions(BOTH, notebooks, out) == [
        ("en", notebooks, out), ("zh", notebooks / "zh", out / "zh")]
    assert course_editions("zh", notebooks, out) == [("zh", notebooks / "zh", out / "zh")]
    with pytest.raises(ValueError, match="language must be one of"):
        course_editions("fr", notebooks, out)


def test_cli_runs_both_editions_by_default_and_names_the_chinese_lessons(
        tmp_path, capsys, recorded_runs, monkeypatch):
    folder, out = write_lessons(tmp_path / "lessons"), tmp_path / "out"
    write_lessons(folder / "zh")
    monkeypatch.setattr(lesson_files_module, "LESSONS_DIR", folder)
    recorded_runs["runs"] = [GOOD]
    assert main(["course", "run", "--fast", "--out", str(out)]) == 0
    assert recorded_runs["folders"] == [(str(folder), str(out)),
                                        (str(folder / "zh"), str(out / "zh"))]
    printed = capsys.readouterr().out.splitlines()
    assert printed[1:2] == ["01_good: ok in 2 s"] and "zh/01_good: ok in 2 s" in printed
    assert f"Running the lessons in {folder / 'zh'} in fast mode (DIGITLAB_FAST=1); executed " \
           f"copies go to {out / 'zh'}" in printed
    assert printed[-1].endswith("2/2 lessons ok")
    assert [line.split()[0] for line in printed[-3:-1]] == ["01_good", "zh/01_good"]
    recorded_runs["folders"].clear()
    assert main(["course", "run", "--edition", "zh", "--out", str(out)]) == 0
    assert recorded_runs["folders"] == [(str(folder / "zh"), str(out / "zh"))]
    with pytest.raises(SystemExit) as exit_info:
        main(["course", "run", "--edition", "zh", "--notebooks", str(folder)])
    assert exit_info.value.code == 2
