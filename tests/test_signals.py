"""Stopping `digitlab data fetch` with SIGTERM or Ctrl-C (SIGINT) leaves no file behind.

Each case runs the command in a subprocess whose only source is a fake, slow one (no
network): it stops either while the source is "downloading" into its scratch folder or
while a verified file is being written into the cache.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap

import pytest

from digitlab import cli

SCRIPT = textwrap.dedent("""
    import sys, time
    import numpy as np
    import digitlab.data.fetch as fetch
    from digitlab.atomic import atomic_path
    from digitlab.cli import main

    phase, cache = sys.argv[1], sys.argv[2]
    files = {name: fetch.idx_bytes(np.full((2, 28, 28), i, np.uint8))
             for i, name in enumerate(fetch.MNIST_FILES)}
    from digitlab.data.verified import sha256
    fetch.MNIST_FILES = {name: sha256(data) for name, data in files.items()}

    def slow_source(names, scratch):
        (scratch / "package.tgz").write_bytes(b"x" * 1_000_000)
        if phase == "download":
            print("busy", flush=True)
            time.sleep(60)
        return {name: files[name] for name in names}

    def slow_store(path, data, digest):
        with atomic_path(path) as tmp:
            tmp.write_bytes(data[:100])
            print("busy", flush=True)
            time.sleep(60)

    fetch.store = slow_store
    fetch.default_sources = lambda: [fetch.Source("slow", slow_source)]
    sys.exit(main(["data", "fetch", "--data-dir", cache]))
""")


@pytest.mark.parametrize("phase", ["download", "write"])
@pytest.mark.parametrize(
    ("signum", "code", "line"),
    [(signal.SIGTERM, 143, "digitlab: terminated"), (signal.SIGINT, 130, "digitlab: interrupted")],
    ids=["SIGTERM", "SIGINT"],
)
def test_stopping_a_fetch_cleans_up_and_says_one_line(tmp_path, phase, signum, code, line):
    scratch_root, cache = tmp_path / "tmp", tmp_path / "cache"
    scratch_root.mkdir()
    env = {**os.environ, "TMPDIR": str(scratch_root)}
    process = subprocess.Popen(
        [sys.executable, "-c", SCRIPT, phase, str(cache)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )
    try:
        # the first line says where; then "busy" once the slow part has begun
        while (output := process.stdout.readline()) and output.strip() != "busy":
            pass
        assert output.strip() == "busy", process.stderr.read()
        process.send_signal(signum)
        returncode = process.wait(timeout=30)
    finally:
        process.kill()
        process.wait(timeout=30)
    stderr = process.stderr.read()
    assert returncode == code
    assert stderr.strip() == line
    assert list(scratch_root.iterdir()) == []  # no digitlab-fetch-* folder
    assert list(cache.iterdir()) == []  # no .part file


def _swallows(exc):  # tf2onnx and AutoGraph, around the ONNX conversion
    return 0


def _blames_the_file(exc):  # digitlab.saving.load_model, around Keras's loader
    raise ValueError("m.keras: cannot load this Keras model: the file is damaged") from exc


@pytest.mark.parametrize("library", [_swallows, _blames_the_file])
@pytest.mark.parametrize("catches", [Exception, BaseException])
def test_sigterm_ends_the_command_whatever_library_code_does(
    monkeypatch, capsys, library, catches
):
    def handler(args):
        try:
            signal.raise_signal(signal.SIGTERM)  # its handler runs inside this call
        except catches as exc:
            return library(exc)
        return 0

    monkeypatch.setattr(cli, "_cmd_lessons", handler)
    assert cli.main(["lessons", "anywhere"]) == 143
    assert capsys.readouterr().err == "digitlab: terminated\n"
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL  # the handler is put back


EXPORT_SCRIPT = textwrap.dedent("""
    import sys, time
    import tf2onnx
    from digitlab.cli import main

    def swallowing_conversion(*args, **kwargs):  # as tf2onnx's own handlers do
        try:
            print("busy", flush=True)
            time.sleep(60)
        except Exception:
            pass
        raise SystemExit("the conversion went on")

    tf2onnx.convert.from_function = swallowing_conversion
    sys.exit(main(["export", "web", sys.argv[1]]))
""")


def test_sigterm_during_the_onnx_conversion_stops_export_web(tmp_path):
    pytest.importorskip("tf2onnx")
    out = tmp_path / "site"
    process = subprocess.Popen(
        [sys.executable, "-c", EXPORT_SCRIPT, str(out)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        while (output := process.stdout.readline()) and output.strip() != "busy":
            pass
        assert output.strip() == "busy", process.stderr.read()
        process.send_signal(signal.SIGTERM)
        returncode = process.wait(timeout=60)
    finally:
        process.kill()
        process.wait(timeout=30)
    # (TensorFlow's C++ start-up log may come first: hiding it is the export's business)
    assert (returncode, process.stderr.read().splitlines()[-1]) == (143, "digitlab: terminated")
    assert list(tmp_path.iterdir()) == []  # no page, no half-built folder beside it


def test_a_second_sigterm_does_not_cut_the_clean_up_short(monkeypatch, capsys):
    cleaned = []

    def handler(args):
        try:
            signal.raise_signal(signal.SIGTERM)
        finally:
            signal.raise_signal(signal.SIGTERM)  # e.g. `timeout` and a supervisor both
            cleaned.append(True)

    monkeypatch.setattr(cli, "_cmd_lessons", handler)
    assert cli.main(["lessons", "anywhere"]) == 143
    assert cleaned == [True]
    assert capsys.readouterr().err == "digitlab: terminated\n"
