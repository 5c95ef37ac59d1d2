"""`digitlab lessons DIR`: the course's notebooks copied to a learner's folder, their edits kept."""

from __future__ import annotations

import ast

import pytest

import digitlab.lesson_files as lesson_files_module
from digitlab.cli import main
from digitlab.config import PROJECT_DIR
from digitlab.course import LESSONS_DIR as COURSE_LESSONS_DIR
from digitlab.lesson_files import (
    LESSONS_DIR,
    SHIPPED_PATTERNS,
    copy_lessons,
    edition_dir,
    lesson_files,
)


@pytest.fixture
def source(tmp_path):
    """A course folder with two lessons, a solution and a file that is not a notebook."""
    folder = tmp_path / "course"
    (folder / "solutions").mkdir(parents=True)
    (folder / "01_a.ipynb").write_text("lesson a")
    (folder / "02_b.ipynb").write_text("lesson b")
    (folder / "solutions" / "01_a.ipynb").write_text("solution a")
    (folder / "notes.txt").write_text("not a notebook")
    (folder / "zh" / "solutions").mkdir(parents=True)
    (folder / "zh" / "01_a.ipynb").write_text("第一课")
    (folder / "zh" / "solutions" / "01_a.ipynb").write_text("答案")
    return folder


def test_in_a_checkout_the_lessons_are_the_top_level_notebooks():
    assert LESSONS_DIR == PROJECT_DIR / "notebooks"
    assert COURSE_LESSONS_DIR == LESSONS_DIR  # `digitlab course run` runs the same ones
    assert "01_data.ipynb" in {path.name for path in lesson_files()}


def test_copy_writes_every_notebook_including_solutions(source, tmp_path):
    copy = copy_lessons(tmp_path / "mine" / "lessons", source)
    target = tmp_path / "mine" / "lessons"
    assert sorted(p.relative_to(target).as_posix() for p in copy.copied) == [
        "01_a.ipynb", "02_b.ipynb", "solutions/01_a.ipynb"]
    assert copy.kept == ()
    assert (target / "solutions" / "01_a.ipynb").read_text() == "solution a"
    assert not (target / "notes.txt").exists()
    assert sorted(p.name for p in target.iterdir()) == ["01_a.ipynb", "02_b.ipynb", "solutions"]


def test_copy_keeps_the_learners_edits_and_says_how_to_get_a_fresh_copy(source, tmp_path):
    target = tmp_path / "mine"
    copy_lessons(target, source)
    (target / "01_a.ipynb").write_text("my edits")
    (target / "02_b.ipynb").unlink()  # deleted to get a fresh copy
    copy = copy_lessons(target, source)
    assert (target / "01_a.ipynb").read_text() == "my edits"
    assert (target / "02_b.ipynb").read_text() == "lesson b"
    assert copy.copied == (target / "02_b.ipynb",)
    assert set(copy.kept) == {target / "01_a.ipynb", target / "solutions" / "01_a.ipynb"}
    text = str(copy)
    assert "Kept 2 files" in text and "01_a.ipynb" in text
    assert "rename or delete yours and run this again" in text


def test_a_file_in_the_way_or_a_missing_course_is_one_clear_error(source, tmp_path):
    in_the_way = tmp_path / "lessons"
    in_the_way.write_text("a file")
    with pytest.raises(NotADirectoryError, match="is a file; name a folder"):
        copy_lessons(in_the_way, source)
    with pytest.raises(FileNotFoundError, match="no such folder of lesson notebooks"):
        copy_lessons(tmp_path / "out", tmp_path / "missing")
    (tmp_path / "empty").mkdir()
    with pytest.raises(FileNotFoundError, match="no lesson notebooks in it"):
        copy_lessons(tmp_path / "out", tmp_path / "empty")
    assert not (tmp_path / "out").exists()  # nothing created before the error


def test_cli_copies_the_course_and_reports(tmp_path, capsys):
    assert main(["lessons", str(tmp_path / "course")]) == 0
    out = capsys.readouterr().out
    copied = sorted(p.name for p in (tmp_path / "course").glob("*.ipynb"))
    assert copied == sorted(p.name for p in LESSONS_DIR.glob("*.ipynb"))
    everything = len(lesson_files())  # the lessons and their solutions
    assert f"Copied {everything} lesson notebooks to {tmp_path / 'course'}" in out
    assert main(["lessons", str(tmp_path / "course")]) == 0
    assert f"Kept {everything} files already there" in capsys.readouterr().out


def test_cli_error_is_one_line_on_stderr(tmp_path, capsys):
    (tmp_path / "f").write_text("x")
    assert main(["lessons", str(tmp_path / "f")]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1 and "is a file; name a folder" in captured.err


def test_an_empty_folder_name_is_refused_not_taken_for_here(source, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ValueError, match=r"^the folder name is empty"):
        copy_lessons("", source)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["course"]


def test_a_folder_that_cannot_be_written_is_one_sentence(source, tmp_path):
    (tmp_path / "afile").write_text("x")
    with pytest.raises(NotADirectoryError, match=r"cannot write there: .*afile is a file, not"):
        copy_lessons(tmp_path / "afile" / "sub", source)
    # /proc takes no new files, though os.access tells root it does
    with pytest.raises(PermissionError, match=r"cannot write there: creating a file in /proc"):
        copy_lessons("/proc/digitlab-lessons", source)


def test_a_link_is_never_written_through_or_replaced(source, tmp_path):
    target, outside = tmp_path / "mine", tmp_path / "elsewhere"
    target.mkdir()
    outside.mkdir()
    (target / "01_a.ipynb").symlink_to(tmp_path / "nowhere.ipynb")
    (target / "solutions").symlink_to(outside)
    with pytest.raises(ValueError, match=r"solutions is a link out of .*mine; the lessons are"):
        copy_lessons(target, source)
    assert list(outside.iterdir()) == []
    (target / "solutions").unlink()
    copy = copy_lessons(target, source)
    assert (target / "01_a.ipynb").is_symlink() and not (tmp_path / "nowhere.ipynb").exists()
    assert copy.kept == (target / "01_a.ipynb",)
    assert "01_a.ipynb (a link to nothing)" in str(copy)


def test_names_in_the_summary_stay_on_their_line(source, tmp_path):
    target = tmp_path / "new\nline"
    text = str(copy_lessons(target, source))
    assert text.splitlines()[0] == f"Copied 3 lesson notebooks to {tmp_path}/new\\nline"


def test_the_chinese_edition_is_the_zh_folder_laid_out_as_the_english(source):
    assert edition_dir("en", source) == source
    assert edition_dir("zh", source) == source / "zh"
    assert edition_dir("zh") == LESSONS_DIR / "zh"
    with pytest.raises(ValueError, match="language must be one of en, zh"):
        edition_dir("fr", source)
    assert [p.as_posix() for p in lesson_files(source)] == [
        "01_a.ipynb", "02_b.ipynb", "solutions/01_a.ipynb"]  # one edition, the English
    assert [p.as_posix() for p in lesson_files(source, SHIPPED_PATTERNS)] == [
        "01_a.ipynb", "02_b.ipynb", "solutions/01_a.ipynb", "zh/01_a.ipynb",
        "zh/solutions/01_a.ipynb"]  # what the wheel carries


def test_cli_copies_the_chinese_edition_with_lang_zh(source, tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(lesson_files_module, "LESSONS_DIR", source)
    target = tmp_path / "我的课程"
    assert main(["lessons", str(target), "--lang", "zh"]) == 0
    assert sorted(p.relative_to(target).as_posix() for p in target.rglob("*.ipynb")) == [
        "01_a.ipynb", "solutions/01_a.ipynb"]
    assert (target / "01_a.ipynb").read_text() == "第一课"
    assert f"已把 2 个课程笔记本复制到 {target}" in capsys.readouterr().out
    # The same --lang before the command: the same edition, in the same words.
    assert main(["--lang", "zh", "lessons", str(tmp_path / "again")]) == 0
    assert (tmp_path / "again" / "01_a.ipynb").read_text() == "第一课"
    assert "已把 2 个课程笔记本" in capsys.readouterr().out
    assert main(["lessons", str(tmp_path / "english")]) == 0
    assert (tmp_path / "english" / "01_a.ipynb").read_text() == "lesson a"
    with pytest.raises(SystemExit):
        main(["lessons", str(tmp_path / "x"), "--lang", "fr"])


def test_setup_py_ships_every_editions_notebooks():
    tree = ast.parse((PROJECT_DIR / "setup.py").read_text())
    [patterns] = [node.value for node in ast.walk(tree) if isinstance(node, ast.Assign)
                  and [t.id for t in node.targets] == ["LESSON_PATTERNS"]]
    assert ast.literal_eval(patterns) == SHIPPED_PATTERNS
