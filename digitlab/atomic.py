"""Atomic file writes: a temporary file beside the target, renamed over it when complete.

Used wherever digitlab writes a file a later step trusts (the MNIST cache, models, CSVs),
so an interrupted or failed write never leaves a half-written file behind.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from digitlab.paths import printable


def check_writable(path: str | os.PathLike[str]) -> Path:
    """Raise OSError with one clear sentence unless a file can be written at `path`.

    Cheap checks only (not a folder, no file where a folder is needed, a writable
    folder), so commands run them before any expensive work starts. Writability is proved
    by creating and deleting a probe file in the nearest existing folder: `os.access` says
    yes to root under /proc or on a read-only mount, where the real write then fails.
    """
    target = Path(path)
    shown = printable(target)
    if target.is_dir():
        raise IsADirectoryError(f"{shown}: is a folder, expected a file name")
    dangling = next((p for p in (target, *target.parents) if p.is_symlink() and not p.exists()),
                    None)
    if dangling is not None:  # mkdir and rename would fail on it only after the work is done
        raise FileNotFoundError(
            f"{shown}: cannot write there: {printable(dangling)} is a link to nothing")
    folder = next(p for p in target.absolute().parents if p.exists())
    if not folder.is_dir():
        raise NotADirectoryError(
            f"{shown}: cannot write there: {printable(folder)} is a file, not a folder")
    try:
        with tempfile.NamedTemporaryFile(prefix=".digitlab-probe-", dir=folder):
            pass
    except OSError as exc:
        raise PermissionError(
            f"{shown}: cannot write there: creating a file in {printable(folder)} fails "
            f"({exc.strerror or type(exc).__name__})"
        ) from None
    return target


@contextmanager
def atomic_path(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path beside `path`; on success rename it to `path`, else delete it.

    The temporary name keeps the target's suffix, so writers that look at it (Keras wants
    `.keras`) still work.
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(
        prefix=f".{target.name}.", suffix=f".part{target.suffix}", dir=target.parent
    )
    os.close(fd)
    tmp = Path(tmp_name)
    tmp.chmod(0o644)  # mkstemp makes 0600; the cache and models are ordinary readable files
    try:
        yield tmp
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes) -> Path:
    """Write `data` to `path` atomically and return the path."""
    with atomic_path(path) as tmp, open(tmp, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    return Path(path)
