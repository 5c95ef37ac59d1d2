"""Benchmark: `digitlab grade` on a class of 40 submissions of the shipped model's size.

Issue 23's target: 40 submissions graded in at most 2 minutes on a 2-core machine, the
whole command timed as a teacher runs it (start-up, the reference data: all 10,000 MNIST
test images and 3,000 held-out drawn digits, the worker processes, the table). The class:
copies of the two shipped models (`course_cnn.keras`, `mnist_only_cnn.keras`, 0.28 M
parameters, 1.2 MB each) and four bad files (text, truncated, a Lambda layer and a custom
object written into a copy's config.json), all made here in a temporary folder.

    python benchmarks/grading.py [--submissions 40] [--workers 2]

Needs MNIST (`digitlab data fetch`). Takes 1-2 min.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from digitlab.drawn import MNIST_ONLY_PATH
from digitlab.machine import describe_machine
from digitlab.saving import PRETRAINED_PATH

TARGET_SECONDS = 120.0
BAD = 4  # submissions that are refused before Keras sees them


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--submissions", type=int, default=40, help="size of the class")
    parser.add_argument("--workers", type=int, default=2, help="digitlab grade --workers")
    return parser.parse_args(argv)


def with_config(source: Path, target: Path, change) -> None:
    """Copy the .keras archive `source` to `target`, its config.json passed through `change`."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for info in old.infolist():
            data = old.read(info)
            if info.filename == "config.json":
                data = json.dumps(change(json.loads(data))).encode()
            new.writestr(info, data)


def make_class(folder: Path, n: int) -> None:
    """`n` submissions in `folder`: n - BAD copies of the shipped models, BAD bad files."""
    for i in range(n - BAD):
        shutil.copyfile((PRETRAINED_PATH, MNIST_ONLY_PATH)[i % 2], folder / f"student{i:02}.keras")
    (folder / "text.keras").write_text("not a model\n")
    data = PRETRAINED_PATH.read_bytes()
    (folder / "truncated.keras").write_bytes(data[: len(data) // 3])

    def lambda_layer(config):
        config["config"]["layers"][1]["class_name"] = "Lambda"
        return config

    def custom_object(config):
        config["config"]["layers"][1]["module"] = "student_code"
        return config

    with_config(PRETRAINED_PATH, folder / "lambda.keras", lambda_layer)
    with_config(PRETRAINED_PATH, folder / "custom.keras", custom_object)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="digitlab-grading-bench-") as tmp:
        folder = Path(tmp) / "class"
        folder.mkdir()
        make_class(folder, args.submissions)
        book = Path(tmp) / "book.json"
        before = describe_machine()
        cpu_before = _children_cpu_seconds()
        started = time.perf_counter()
        run = subprocess.run(
            [sys.executable, "-m", "digitlab", "grade", str(folder), "--json", str(book),
             "--workers", str(args.workers)],
            capture_output=True, text=True,
        )
        seconds = time.perf_counter() - started
        cpu = _children_cpu_seconds() - cpu_before
        if run.returncode != 0:
            print(run.stdout, run.stderr, sep="\n")
            return 1
        rows = json.loads(book.read_text())["submissions"]
    statuses = [row["status"] for row in rows]
    graded = statuses.count("graded")
    scoring = sorted(row["predict_seconds"] for row in rows if row["predict_seconds"])
    print(run.stdout.strip().splitlines()[-1])
    print(f"machine before: {before}")
    print(f"machine after:  {describe_machine()}")
    print()
    print(f"{'submissions':<32}{len(rows)} ({graded} graded, {len(rows) - graded} refused)")
    print(f"{'workers':<32}{args.workers}")
    if scoring:
        print(f"{'scoring one (median, max)':<32}{scoring[len(scoring) // 2]:.1f} s, "
              f"{scoring[-1]:.1f} s")
    cores = os.cpu_count() or 1
    print(f"{'digitlab grade, wall clock':<32}{seconds:.0f} s")
    print(f"{'... CPU time (all processes)':<32}{cpu:.0f} s, i.e. {cpu / cores:.0f} s on "
          f"{cores} idle cores")
    target = TARGET_SECONDS * args.submissions / 40
    rows_ok = graded == len(rows) - BAD
    print(f"{'target':<32}<= {target:.0f} s for {args.submissions} submissions: wall clock "
          f"{'PASS' if rows_ok and seconds <= target else 'FAIL'}, CPU time / cores "
          f"{'PASS' if rows_ok and cpu / cores <= target else 'FAIL'} (a shared machine's "
          "load lengthens the wall clock, not the CPU time)")
    return 0


def _children_cpu_seconds() -> float:
    """User + system CPU seconds of the finished child processes (and theirs: the workers)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


if __name__ == "__main__":
    sys.exit(main())
