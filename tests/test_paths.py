"""The one regular-file check for every path a user names, and names shown on one line."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import pytest

from digitlab.paths import printable, regular_file


@pytest.fixture
def fifo(tmp_path):
    path = tmp_path / "f.png"
    os.mkfifo(path)
    return path


def test_a_regular_file_and_a_link_to_one_pass(tmp_path):
    (tmp_path / "m.keras").write_bytes(b"zip")
    (tmp_path / "link.keras").symlink_to(tmp_path / "m.keras")
    assert regular_file(tmp_path / "m.keras") == tmp_path / "m.keras"
    assert regular_file(str(tmp_path / "link.keras"), "model file") == tmp_path / "link.keras"


def test_anything_else_is_one_sentence(tmp_path, fifo):
    (tmp_path / "x.keras").mkdir()
    (tmp_path / "dangling.png").symlink_to(tmp_path / "gone.png")
    (tmp_path / "afile").write_text("")
    cases = {
        fifo: (OSError, "is a named pipe (FIFO), not a regular image file"),
        tmp_path / "x.keras": (IsADirectoryError, "is a directory, not an image file"),
        tmp_path / "missing.png": (FileNotFoundError, "no such image file"),
        tmp_path / "dangling.png": (FileNotFoundError, "no such image file"),
        tmp_path / "afile" / "sub.png": (FileNotFoundError, "no such image file"),
        "/dev/null": (OSError, "is a character device, not a regular image file"),
    }
    for path, (error, problem) in cases.items():
        with pytest.raises(error) as info:
            regular_file(path, "image file")
        assert str(info.value) == f"{path}: {problem}"
        with pytest.raises(error) as info:
            regular_file(path, "image file", named=False)
        assert str(info.value) == problem


def test_a_hint_follows_only_a_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError, match=r"m.keras: no such model file \(train one\)$"):
        regular_file(tmp_path / "m.keras", "model file", missing_hint="train one")


def test_printable_escapes_what_would_fake_or_break_a_line():
    assert printable("digit 7 é.png") == "digit 7 é.png"
    assert printable("a.png\nb.png: 7 (99.0%)") == "a.png\\nb.png: 7 (99.0%)"
    assert printable("\x1b[2Jx\t.png") == "\\x1b[2Jx\\t.png"
    assert printable(os.fsdecode(b"\xff.png")) == "\\udcff.png"  # not UTF-8: prints, escaped


def run_digitlab(*args, cwd, timeout=60):
    """`digitlab ARGS` in a fresh Python: (exit code, stdout, stderr, TensorFlow imported?)."""
    code = ("import sys\nfrom digitlab.cli import main\ncode = main(sys.argv[1:])\n"
            "print('tensorflow' in sys.modules, file=sys.stderr)\nsys.exit(code)")
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                          cwd=cwd, timeout=timeout)
    stderr, _, loaded = done.stderr.rstrip("\n").rpartition("\n")
    return done.returncode, done.stdout, stderr, loaded == "True"


@pytest.mark.parametrize(
    ("args", "line"),
    [(["predict", "f.png"], "f.png: is a named pipe (FIFO), not a regular image file"),
     (["predict", "x.keras"], "x.keras: is a directory, not an image file"),
     (["predict", "7.png", "--model", "x.keras"], "x.keras: is a directory, not a model file"),
     (["evaluate", "x.keras"], "x.keras: is a directory, not a model file"),
     (["export", "web", "site", "--model", "fifo.keras"],
      "fifo.keras: is a named pipe (FIFO), not a regular model file")],
)
def test_the_cli_refuses_what_is_not_a_regular_file_before_tensorflow(tmp_path, fifo, args, line):
    (tmp_path / "x.keras").mkdir()
    os.mkfifo(tmp_path / "fifo.keras")
    (tmp_path / "7.png").write_bytes(b"an image")
    code, stdout, stderr, tf_loaded = run_digitlab(*args, cwd=tmp_path)
    assert (code, stdout, stderr, tf_loaded) == (1, "", f"digitlab: error: {line}", False)


def test_reading_a_fifo_as_an_image_does_not_block(fifo):
    from digitlab.your_images import read_image_file

    def hung(signum, frame):
        pytest.fail("reading the pipe blocked")

    previous = signal.signal(signal.SIGALRM, hung)  # today's failure is a hang
    signal.alarm(10)
    try:
        with pytest.raises(OSError, match=r"^is a named pipe"):
            read_image_file(fifo)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def test_load_model_says_a_directory_is_one(tmp_path):
    from digitlab.saving import load_model

    (tmp_path / "x.keras").mkdir()
    with pytest.raises(IsADirectoryError, match=r"x.keras: is a directory, not a model file$"):
        load_model(tmp_path / "x.keras")


@pytest.mark.parametrize(
    "args", [["predict", "a\nb.png"], ["evaluate", "a\nb.keras"], ["lessons", "a\nb/c"]]
)
def test_a_newline_in_a_name_cannot_fake_a_line(tmp_path, monkeypatch, capsys, args):
    from digitlab.cli import main

    monkeypatch.chdir(tmp_path)
    (tmp_path / "a\nb").write_text("a file where lessons wants a folder")
    assert main(args) == 1
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.count("\n") == 1
    assert "a\\nb" in captured.err


def test_a_folder_is_proved_writable_by_writing_not_by_os_access(monkeypatch, tmp_path):
    from digitlab.atomic import check_writable

    monkeypatch.setattr(os, "access", lambda *args, **kwargs: True)  # as root sees /proc
    with pytest.raises(PermissionError, match=r"^/proc/m.keras: cannot write there: creating a"):
        check_writable("/proc/m.keras")
    assert check_writable(tmp_path / "new" / "m.keras") == tmp_path / "new" / "m.keras"
    assert list(tmp_path.iterdir()) == []  # the probe is gone, nothing created


def test_a_link_to_nothing_on_the_way_is_refused_before_any_work(tmp_path):
    from digitlab.atomic import check_writable

    (tmp_path / "out").symlink_to(tmp_path / "deleted")  # mkdir would fail after training
    (tmp_path / "m.keras").symlink_to(tmp_path / "deleted.keras")
    for target, link in [("out/m.keras", "out"), ("out/a/m.keras", "out"), ("m.keras", "m.keras")]:
        with pytest.raises(FileNotFoundError, match=rf"cannot write there: .*{link} is a link to"):
            check_writable(tmp_path / target)
