"""The files a user names: is it a regular file, and how to show its name in a message.

Machinery you may skip. Every path a user gives digitlab to read (an image for `predict`, a
`--model`, a CSV) passes `regular_file` first, in the CLI before TensorFlow loads and in the
library function that opens it: a named pipe would block the read forever, a device never
end, and a folder named `x.keras` deserves "is a directory", not "no such file". Names in
messages go through `printable`, so a newline in a file name cannot fake an output line.
"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

_SPECIAL = (
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
)


def printable(text: object) -> str:
    """`text` (a path or a message) with every unprintable character escaped as Python
    writes it (`\\n`, `\\x1b`, `\\udcff`), so it prints as what it is, on one line."""
    text = os.fspath(text) if isinstance(text, os.PathLike) else str(text)
    if text.isprintable():
        return text
    return "".join(char if char.isprintable() else repr(char)[1:-1] for char in text)


def regular_file(
    path: str | os.PathLike[str], what: str = "file", *, missing_hint: str = "",
    named: bool = True,
) -> Path:
    """`path` as a Path if it is a regular file (symlinks followed), else one sentence.

    Raises FileNotFoundError ("no such {what}", then `missing_hint` in brackets),
    IsADirectoryError ("is a directory, not a {what}") or OSError (a pipe, socket or device;
    or the system's reason it cannot be looked at). The message starts with the printable
    path unless `named` is False (for callers that print the path themselves).
    """
    path = Path(path)
    try:
        mode = path.stat().st_mode
    except (FileNotFoundError, NotADirectoryError):
        error, problem = FileNotFoundError, f"no such {what}" + (
            f" ({missing_hint})" if missing_hint else "")
    except OSError as exc:
        error, problem = OSError, f"cannot look at this {what}: {exc.strerror or exc}"
    else:
        if stat.S_ISREG(mode):
            return path
        if stat.S_ISDIR(mode):
            article = "an" if what[:1].lower() in tuple("aeiou") else "a"
            error, problem = IsADirectoryError, f"is a directory, not {article} {what}"
        else:
            kind = next((name for test, name in _SPECIAL if test(mode)), "a special file")
            error, problem = OSError, f"is {kind}, not a regular {what}"
    raise error(f"{printable(path)}: {problem}" if named else problem)


def info_path(path: str | os.PathLike[str]) -> Path:
    """The record beside a saved model: `<name>.json` (written by `digitlab.saving`)."""
    return Path(path).with_suffix(".json")


def check_record_replaceable(path: str | os.PathLike[str]) -> None:
    """Raise FileExistsError unless saving a model at `path` may write or remove its record.

    A `<name>.json` beside it that is not a record digitlab wrote (a JSON object with the
    date it was `saved`) is a user's file: saving the model must not replace or delete it.
    Checked before any work, by `digitlab train` before TensorFlow loads.
    """
    record = info_path(path)
    if not os.path.lexists(record):
        return
    try:
        with open(regular_file(record, "model record"), "rb") as file:
            data = json.loads(file.read((1 << 20) + 1))  # a record is a few hundred bytes
        ours = isinstance(data, dict) and "saved" in data
    except (OSError, ValueError, RecursionError):
        ours = False
    if not ours:
        raise FileExistsError(
            f"{printable(record)} exists and is not a model record digitlab wrote; saving "
            f"{printable(Path(path).name)} would replace it: move it or choose another name"
        )
