"""`digitlab drawings`: summary per writer and digit, Kaggle CSV and IDX export, merging."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from digitlab.cli import main
from digitlab.data import load_drawings, read_idx, read_kaggle_csv
from digitlab.data.drawings import append_drawing, drawing_record
from digitlab.strokes import ellipse, line

SEVEN = [(20.0, [(x, y, 0.0) for x, y in line(80, 60, 200, 60) + line(200, 60, 120, 230)])]
ZERO = [(14.0, [(x, y, 0.0) for x, y in ellipse(140, 140, 50, 80)])]


@pytest.fixture
def two_learners(tmp_path):
    """Two learners' folders: ada (7, 7, 0) and bob (0)."""
    ada, bob = tmp_path / "ada_digits", tmp_path / "bob_digits"
    for label, strokes in ((7, SEVEN), (7, SEVEN), (0, ZERO)):
        append_drawing(ada, drawing_record(label, strokes, "ada"))
    append_drawing(bob, drawing_record(0, ZERO, "bob"))
    return ada, bob


def test_summary_per_writer_and_digit(two_learners, capsys):
    assert main(["drawings", *map(str, two_learners)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["writer", *map(str, range(10)), "total"]
    assert lines[1].split() == ["ada", "1", *["0"] * 6, "2", "0", "0", "3"]
    assert lines[2].split() == ["bob", "1", *["0"] * 9, "1"]
    assert lines[3] == "4 drawings by 2 writers"



def test_summary_in_chinese_keeps_the_columns(two_learners, capsys):
    from digitlab.i18n import text_columns

    assert main(["--lang", "zh", "drawings", *map(str, two_learners)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["书写者", *map(str, range(10)), "合计"]
    assert text_columns(lines[0]) == len(lines[1])  # the headings above their columns
    assert lines[3] == "2 位书写者，共 4 个手写数字"


def test_exports_read_back_with_lesson_01s_loaders(two_learners, tmp_path, capsys):
    csv, idx = tmp_path / "out" / "mine.csv", tmp_path / "idx"
    assert main(["drawings", *map(str, two_learners), "--export-csv", str(csv),
                 "--export-idx", str(idx)]) == 0
    drawings = load_drawings(*two_learners)
    expected = (drawings.images * 255).round().astype(np.uint8)
    images, labels = read_kaggle_csv(csv)
    np.testing.assert_array_equal(images, expected)
    np.testing.assert_array_equal(labels, drawings.labels)
    np.testing.assert_array_equal(read_idx(idx / "drawings-images-idx3-ubyte"), expected)
    np.testing.assert_array_equal(read_idx(idx / "drawings-labels-idx1-ubyte"), drawings.labels)


def test_merging_a_class_twice_adds_nothing_the_second_time(two_learners, tmp_path, capsys):
    out = tmp_path / "class"
    assert main(["drawings", *map(str, two_learners), "--merge", str(out)]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == f"Merged 4 new drawings into {out}"
    assert main(["drawings", *map(str, two_learners), "--merge", str(out)]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == f"Merged 0 new drawings into {out}"
    merged = load_drawings(out)
    assert sorted(merged.ids) == sorted(load_drawings(*two_learners).ids)
    assert sorted(p.name for p in out.iterdir()) == ["ada.jsonl", "bob.jsonl"]


def test_damaged_lines_are_warned_about_and_the_rest_exported(two_learners, tmp_path, capsys):
    ada, _ = two_learners
    with open(ada / "ada.jsonl", "a") as f:
        f.write("{broken\n")
    assert main(["drawings", str(ada), "--export-csv", str(tmp_path / "a.csv")]) == 0
    err = capsys.readouterr().err
    assert f"digitlab: warning: {ada / 'ada.jsonl'}:4: not a JSON record" in err
    assert len(read_kaggle_csv(tmp_path / "a.csv")[0]) == 3


def test_merging_into_an_input_folder_is_refused(two_learners, capsys):
    ada, bob = two_learners
    assert main(["drawings", str(ada), str(bob), "--merge", str(ada)]) == 1
    assert "must not be one of the folders merged" in capsys.readouterr().err
    assert len(load_drawings(ada)) == 3


def test_bad_paths_fail_before_anything_is_written_or_tensorflow_loads(two_learners, tmp_path):
    ada, _ = two_learners
    (tmp_path / "file").write_text("x")
    code = ("import sys\nfrom digitlab.cli import main\ncode = main(sys.argv[1:])\n"
            "print('tensorflow' in sys.modules)\nsys.exit(code)")
    for args, says in (
        ([str(tmp_path / "nope")], "no such folder of drawings"),
        ([str(ada), "--export-csv", str(tmp_path)], "is a folder, expected a file name"),
        ([str(ada), "--export-idx", str(tmp_path / "file")], "is a file, not a folder"),
    ):
        done = subprocess.run([sys.executable, "-c", code, "drawings", *args],
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 1, done.stderr
        assert says in done.stderr and done.stdout.strip() == "False"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ada_digits", "bob_digits", "file"]
