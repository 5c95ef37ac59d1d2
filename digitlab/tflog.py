"""TensorFlow's C++ start-up log, recognised and kept off the learner's screen.

Machinery you can skip: TensorFlow prints lines about the machine (oneDNN, CUDA, CPU
features) from C++ straight to the process's stderr when it is imported, before its own
log level applies. `digitlab course run` drops them from executed notebooks; the command
line hides them during the import and passes every other line through.
"""

from __future__ import annotations

import os
import re
import sys
import tempfile

_TF_LOG_LINE = re.compile(
    r"^(?:[IWEF]\d{4} \d\d:\d\d:\d+\.\d+ +\d+ [\w.]+:\d+\] .*"
    r"|WARNING: All log messages before absl::InitializeLog\(\) is called are written to STDERR"
    r"|To enable the following instructions: .*rebuild TensorFlow with the appropriate "
    r"compiler flags\.)$"
)
"""One line of that log, e.g. `I0000 00:00:17... port.cc:153] oneDNN custom operations ...`."""


def without_tensorflow_log(text: str) -> str:
    """`text` without the lines of TensorFlow's C++ start-up log."""
    lines = text.splitlines(keepends=True)
    return "".join(line for line in lines if not _TF_LOG_LINE.match(line.rstrip("\r\n")))


def import_tensorflow_quietly() -> None:
    """Import TensorFlow with its C++ start-up log hidden; anything else it prints still shows.

    File descriptor 2 is pointed at a temporary file only for the import, then restored, and
    what was captured is written back to stderr without the log lines.
    """
    if "tensorflow" in sys.modules:
        return
    sys.stderr.flush()
    saved = os.dup(2)
    with tempfile.TemporaryFile() as captured:
        os.dup2(captured.fileno(), 2)
        try:
            import tensorflow  # noqa: F401
        finally:
            sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)
            captured.seek(0)
            sys.stderr.write(without_tensorflow_log(captured.read().decode(errors="replace")))
            sys.stderr.flush()
