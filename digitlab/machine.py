"""What machine a timing was measured on: CPU model, core count, load average.

A training time or a latency means little without these: the same kind of 2-core machine
has trained the course CNN at 5x and at 1.9x the Keras example's speed per epoch.
`digitlab train` records `describe_machine()` beside each model it saves, and every
benchmark prints it with its figures.
"""

from __future__ import annotations

import os
import platform
from pathlib import Path


def cpu_model(cpuinfo: Path = Path("/proc/cpuinfo")) -> str:
    """The CPU's model name from `cpuinfo` (Linux), else what `platform` reports."""
    try:
        for line in cpuinfo.read_text(encoding="utf-8", errors="replace").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine() or "unknown CPU"


def load_average() -> str:
    """The 1, 5 and 15 minute load averages, e.g. "0.52, 1.10, 0.98" ("?" where unknown)."""
    if not hasattr(os, "getloadavg"):  # Windows
        return "?"
    return ", ".join(f"{value:.1f}" for value in os.getloadavg())


def describe_machine() -> str:
    """One line for a measurement: e.g. "AMD EPYC, 2 CPUs, load 0.5, 1.1, 1.0". Lesson 06
    (the timing of `model.predict` against the `Predictor`)."""
    return f"{cpu_model()}, {os.cpu_count()} CPUs, load {load_average()}"
