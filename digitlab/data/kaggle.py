"""The Kaggle "digit-recognizer" CSV format used by one reference project.

train.csv rows are `label,pixel0,...,pixel783`; test.csv rows are the 784 pixels only;
a submission is `ImageId,Label` with ImageId counting from 1. Lessons 01 and 05.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from digitlab.atomic import atomic_path
from digitlab.data.idx import DataError

N_PIXELS = 28 * 28
_PIXEL_HEADER = [f"pixel{i}" for i in range(N_PIXELS)]


def read_kaggle_csv(path: str | os.PathLike[str]) -> tuple[np.ndarray, np.ndarray | None]:
    """Read a Kaggle digit CSV: `(images uint8 (N, 28, 28), labels uint8 (N,) or None)`.

    Labels are None for a test file (no `label` column). Malformed files raise `DataError`
    naming the file and the line. Lesson 01 (data).
    """
    path = Path(path)
    with open(path, encoding="utf-8", newline="") as f:
        header = f.readline().strip().split(",")
        if header == ["label", *_PIXEL_HEADER]:
            has_labels = True
        elif header == _PIXEL_HEADER:
            has_labels = False
        else:
            raise DataError(
                f"{path}: line 1 must be the header `label,pixel0,...,pixel783` (train) or "
                f"`pixel0,...,pixel783` (test); found {len(header)} columns starting {header[:2]}"
            )
        n_cols = len(header)
        try:
            table = np.loadtxt(f, delimiter=",", dtype=np.int64, ndmin=2)
        except ValueError as exc:
            raise DataError(
                f"{path}: malformed row ({exc}; rows count from the line after the header)"
            ) from exc
    if table.size == 0:
        return np.zeros((0, 28, 28), np.uint8), (np.zeros(0, np.uint8) if has_labels else None)
    if table.shape[1] != n_cols:
        raise DataError(
            f"{path}: malformed row: rows have {table.shape[1]} values, the header {n_cols}"
        )
    pixels = table[:, 1:] if has_labels else table
    _check_range(path, pixels, 0, 255, "pixel values")
    images = pixels.astype(np.uint8).reshape(-1, 28, 28)
    if not has_labels:
        return images, None
    _check_range(path, table[:, 0], 0, 9, "labels")
    return images, table[:, 0].astype(np.uint8)


def _check_range(path: Path, values: np.ndarray, low: int, high: int, what: str) -> None:
    bad = np.flatnonzero(((values < low) | (values > high)).reshape(len(values), -1).any(axis=1))
    if bad.size:
        raise DataError(f"{path}: line {bad[0] + 2}: {what} must be integers {low}-{high}")


def write_kaggle_csv(
    path: str | os.PathLike[str], images: np.ndarray, labels: np.ndarray | None = None
) -> Path:
    """Write images (and labels) in the Kaggle train/test CSV format, atomically. Lesson 01."""
    images = np.asarray(images)
    if images.ndim not in (2, 3) or images.reshape(len(images), -1).shape[1] != N_PIXELS:
        raise ValueError(f"expected images of shape (N, 28, 28) or (N, 784), got {images.shape}")
    table = images.reshape(len(images), N_PIXELS).astype(np.int64)
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
