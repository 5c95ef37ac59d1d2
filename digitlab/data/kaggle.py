"""The Kaggle "digit-recognizer" CSV format used by one reference project.

train.csv rows are `label,pixel0,...,pixel783`; test.csv rows are the 784 pixels only;
a submission is `ImageId,Label` with ImageId counting from 1. Lessons 01 and 05.
"""

from __future__ import annotations

import itertools
import os
import warnings
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from digitlab.atomic import atomic_path
from digitlab.config import IMAGE_SIDE
from digitlab.data.idx import DataError
from digitlab.paths import regular_file

_N_PIXELS = IMAGE_SIDE * IMAGE_SIDE  # columns of a Kaggle row after the label
_MAX_LINE = 8192  # characters; the header is ~6,700, a row of 785 numbers at most 3,140
_PIXEL_HEADER = [f"pixel{i}" for i in range(_N_PIXELS)]


def read_kaggle_csv(path: str | os.PathLike[str]) -> tuple[np.ndarray, np.ndarray | None]:
    """Read a Kaggle digit CSV: `(images uint8 (N, 28, 28), labels uint8 (N,) or None)`.

    Labels are None for a test file (no `label` column). A UTF-8 byte-order mark is
    accepted. Malformed files (not UTF-8, a line longer than any valid row, a bad value)
    raise `DataError` naming the file and the line, counted from 1 with the header as
    line 1. Lesson 01 (data).
    """
    path = regular_file(path, "CSV file")
    line_numbers: list[int] = []
    try:
        with open(path, encoding="utf-8-sig", newline="") as f:
            lines = _bounded_lines(f, path)
            header = next(lines, (1, ""))[1].strip().split(",")
            if header == ["label", *_PIXEL_HEADER]:
                has_labels = True
            elif header == _PIXEL_HEADER:
                has_labels = False
            else:
                raise DataError(
                    f"{path}: line 1 must be the header `label,pixel0,...,pixel783` (train) or "
                    f"`pixel0,...,pixel783` (test); found {len(header)} columns starting "
                    f"{header[:2]}"
                )
            n_cols = len(header)
            try:
                with warnings.catch_warnings():  # a header alone is no images, not a warning
                    warnings.filterwarnings("ignore", "loadtxt: input contained no data")
                    table = np.loadtxt(
                        _recording(lines, line_numbers), delimiter=",", dtype=np.int64, ndmin=2
                    )
            except ValueError as exc:
                raise _malformed_row(path, n_cols) from exc
    except UnicodeDecodeError as exc:
        raise DataError(
            f"{path}: not UTF-8 text (byte {exc.start} of a line cannot be decoded); "
            "a Kaggle CSV holds only digits and commas"
        ) from exc
    if table.size == 0:
        empty = np.zeros((0, IMAGE_SIDE, IMAGE_SIDE), np.uint8)
        return empty, (np.zeros(0, np.uint8) if has_labels else None)
    if table.shape[1] != n_cols:
        raise _malformed_row(path, n_cols)
    pixels = table[:, 1:] if has_labels else table
    _check_range(path, pixels, line_numbers, 255, "pixel values")
    images = pixels.astype(np.uint8).reshape(-1, IMAGE_SIDE, IMAGE_SIDE)
    if not has_labels:
        return images, None
    _check_range(path, table[:, 0], line_numbers, 9, "labels")
    return images, table[:, 0].astype(np.uint8)


def _bounded_lines(f, path: Path) -> Iterator[tuple[int, str]]:
    """`(line number, line)` for the non-blank lines of `f`, refusing overlong lines early.

    Reading at most _MAX_LINE characters at a time keeps memory small whatever the file holds.
    """
    for number in itertools.count(1):
        line = f.readline(_MAX_LINE + 1)
        if not line:
            return
        if len(line) > _MAX_LINE:
            raise DataError(
                f"{path}: line {number} is longer than {_MAX_LINE:,} characters; a Kaggle "
                "digit CSV row (785 numbers) is shorter"
            )
        if line.strip():
            yield number, line


def _recording(lines: Iterator[tuple[int, str]], line_numbers: list[int]) -> Iterator[str]:
    """The lines alone, noting each one's number in `line_numbers` (for error messages)."""
    for number, line in lines:
        line_numbers.append(number)
        yield line


def _malformed_row(path: Path, n_cols: int) -> DataError:
    """The first row of `path` that is not `n_cols` integers, as one clear DataError."""
    with open(path, encoding="utf-8-sig", newline="") as f:
        lines = _bounded_lines(f, path)
        next(lines, None)
        for number, line in lines:
            values = line.strip().split(",")
            if len(values) != n_cols:
                return DataError(
                    f"{path}: line {number}: malformed row: {len(values)} values, "
                    f"the header has {n_cols}"
                )
            bad = next((v for v in values if not v.strip().lstrip("-").isdigit()), None)
            if bad is not None:
                return DataError(
                    f"{path}: line {number}: malformed row: {bad[:20]!r} is not a whole number"
                )
    return DataError(f"{path}: malformed rows: expected {n_cols} whole numbers per line")


def _check_range(
    path: Path, values: np.ndarray, line_numbers: list[int], high: int, what: str
) -> None:
    bad = np.flatnonzero(((values < 0) | (values > high)).reshape(len(values), -1).any(axis=1))
    if bad.size:
        raise DataError(f"{path}: line {line_numbers[bad[0]]}: {what} must be integers 0-{high}")


def write_kaggle_csv(
    path: str | os.PathLike[str], images: np.ndarray, labels: np.ndarray | None = None
) -> Path:
    """Write images (and labels) in the Kaggle train/test CSV format, atomically. Lesson 01.

    `images` (N, 28, 28) or (N, 784) are uint8 or integers 0-255, written as they are, or
    floats in [0, 1] (as `normalize_images` makes them), scaled to 0-255 and rounded.
    Anything else (NaN, floats above 1, integers outside 0-255) raises ValueError, so the
    file always reads back with `read_kaggle_csv`. No images (N = 0) give the header alone,
    which reads back as no images.
    """
    images = np.asarray(images)
    # N may be 0: the header alone
    if images.shape[1:] not in ((IMAGE_SIDE, IMAGE_SIDE), (_N_PIXELS,)):
        raise ValueError(f"expected images of shape (N, 28, 28) or (N, 784), got {images.shape}")
    table = _as_pixels(images.reshape(len(images), _N_PIXELS))
    header = _PIXEL_HEADER
    if labels is not None:
        labels = _as_labels(labels, len(images))
        table = np.column_stack([labels, table])
        header = ["label", *header]
    return _write_table(path, header, table)


def write_kaggle_submission(path: str | os.PathLike[str], labels: np.ndarray) -> Path:
    """Write predicted labels as a Kaggle submission (`ImageId,Label`, ids from 1). Lesson 05."""
    labels = _as_labels(labels)
    table = np.column_stack([np.arange(1, len(labels) + 1), labels])
    return _write_table(path, ["ImageId", "Label"], table)


def _as_pixels(images: np.ndarray) -> np.ndarray:
    """Images as int64 pixel values 0-255, or a ValueError saying what was expected."""
    if images.dtype.kind in "ui":
        if images.size and (images.min() < 0 or images.max() > 255):
            raise ValueError(
                f"integer images must hold 0-255, got {images.min()}..{images.max()}"
            )
        return images.astype(np.int64)
    if images.dtype.kind == "f":
        if images.size and not (
            np.isfinite(images).all() and images.min() >= 0 and images.max() <= 1
        ):
            raise ValueError(
                "float images must hold values in [0, 1] (they are scaled to 0-255); "
                "for 0-255 values pass uint8, e.g. images.astype(np.uint8)"
            )
        return np.rint(images * 255).astype(np.int64)
    raise TypeError(f"expected uint8, integer or float images, got dtype {images.dtype}")


def _as_labels(labels: np.ndarray, n: int | None = None) -> np.ndarray:
    labels = np.asarray(labels)
    if labels.ndim != 1 or (n is not None and len(labels) != n):
        expected = "labels as a 1-D array" if n is None else f"{n} labels as a 1-D array"
        raise ValueError(f"expected {expected}, got shape {labels.shape}")
    if labels.size and (
        not np.issubdtype(labels.dtype, np.integer) or labels.min() < 0 or labels.max() > 9
    ):
        raise ValueError("labels must be integers 0-9")
    return labels.astype(np.int64)


def _write_table(path: str | os.PathLike[str], header: list[str], table: np.ndarray) -> Path:
    with atomic_path(path) as tmp:
        np.savetxt(tmp, table, fmt="%d", delimiter=",", header=",".join(header), comments="")
    return Path(path)
