"""Loading MNIST from the local cache, whole or as a seeded, stratified subset.

Introduced in lesson 01 (data); lesson 04 uses the subsets to study training-set size.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from digitlab.config import INPUT_SHAPE
from digitlab.config import data_dir as resolve_data_dir
from digitlab.data.idx import DataError, read_idx

MNIST_FILES: dict[str, str] = {
    "train-images-idx3-ubyte": "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
    "train-labels-idx1-ubyte": "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
    "t10k-images-idx3-ubyte": "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
    "t10k-labels-idx1-ubyte": "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
}
"""The four MNIST files and the sha256 of their raw (not gzipped) IDX bytes."""

Split = tuple[np.ndarray, np.ndarray]
"""One part of a data set: `(images, labels)`."""


class MissingDataError(DataError):
    """The MNIST files are not in the cache yet."""


def load_mnist(
    data_dir: str | os.PathLike[str] | None = None,
    *,
    n_train: int | None = None,
    n_test: int | None = None,
    normalize: bool = False,
    seed: int = 0,
) -> tuple[Split, Split]:
    """Return `(x_train, y_train), (x_test, y_test)` like `keras.datasets.mnist.load_data()`.

    Images are uint8 `(N, 28, 28)` and labels uint8 `(N,)`; with `normalize=True` the
    images are float32 in [0, 1] shaped `(N, 28, 28, 1)`, ready for a Keras model.
    `n_train`/`n_test` take a stratified subset (each digit in its share of the split),
    the same for the same `seed`. Lesson 01 (data).
    """
    _check_count("n_train", n_train)
    _check_count("n_test", n_test)
    folder = resolve_data_dir(data_dir)
    missing = [name for name in MNIST_FILES if not (folder / name).is_file()]
    if missing:
        raise MissingDataError(
            f"MNIST is not in {folder} (missing: {', '.join(missing)}). "
            "Run `digitlab data fetch` first (or set $DIGITLAB_DATA to the folder that has it)."
        )
    rng = np.random.default_rng(seed)
    splits = []
    for prefix, n in (("train", n_train), ("t10k", n_test)):
        images, labels = _read_split(folder, prefix)
        keep = stratified_indices(labels, n, rng)
        images, labels = images[keep], labels[keep]
        if normalize:
            images = normalize_images(images)
        splits.append((images, labels))
    return splits[0], splits[1]


def validation_split(
    x: np.ndarray, y: np.ndarray, n_val: int = 5000, seed: int = 0
) -> tuple[Split, Split]:
    """Hold out a seeded, stratified validation set: `(x_train, y_train), (x_val, y_val)`.

    Lessons train on the first part, watch and choose on the second, and keep the test
    set for one final report. The same `seed` gives the same split; each digit keeps its
    share in both parts. Lesson 02 (dense baseline).

    Parameters
    ----------
    x, y : images and labels of the training set (the same length).
    n_val : how many images to hold out (default 5,000 of MNIST's 60,000).
    seed : fixes which images are held out.
    """
    x, y = np.asarray(x), np.asarray(y)
    if len(x) != len(y):
        raise ValueError(f"{len(x)} images but {len(y)} labels")
    if not isinstance(n_val, int | np.integer) or not 0 < n_val < len(y):
        raise ValueError(
            f"n_val must be a whole number between 1 and {len(y) - 1} (the images given), "
            f"got {n_val!r}"
        )
    held_out = np.zeros(len(y), dtype=bool)
    held_out[stratified_indices(y, int(n_val), np.random.default_rng(seed))] = True
    return (x[~held_out], y[~held_out]), (x[held_out], y[held_out])


def normalize_images(images: np.ndarray) -> np.ndarray:
    """MNIST images as a Keras model takes them: float32 in [0, 1], shape (N, 28, 28, 1).

    Accepts uint8 (0-255) or float (already in [0, 1]) images shaped (N, 28, 28) or
    (N, 28, 28, 1); floats outside [0, 1] (0-255 floats not yet divided by 255, NaN) raise
    ValueError, as `Predictor` does. Lesson 02 (dense baseline).
    """
    images = np.asarray(images)
    if images.ndim == 3:
        images = images[..., np.newaxis]
    if images.ndim != 4 or images.shape[1:] != INPUT_SHAPE:
        raise ValueError(
            f"expected images of shape (N, 28, 28) or (N, 28, 28, 1), got {images.shape}"
        )
    if images.dtype == np.uint8:
        return images.astype(np.float32) / 255.0
    if not np.issubdtype(images.dtype, np.floating):
        raise TypeError(f"expected uint8 or float images, got {images.dtype}")
    images = images.astype(np.float32, copy=False)
    if images.size and not (images.min() >= 0 and images.max() <= 1):  # False for NaN too
        raise ValueError(
            "expected float images in [0, 1], got values from "
            f"{images.min():g} to {images.max():g}; divide 0-255 images by 255 (or pass uint8)"
        )
    return images


def _check_count(name: str, n: object) -> None:
    """Raise ValueError unless `n` is None or a positive whole number (not 2.5, not True)."""
    if n is not None and (
        isinstance(n, bool) or not isinstance(n, int | np.integer) or n < 1
    ):
        raise ValueError(f"{name} must be a positive whole number of images or None, got {n!r}")


def _read_split(folder: Path, prefix: str) -> Split:
    images_path = folder / f"{prefix}-images-idx3-ubyte"
    labels_path = folder / f"{prefix}-labels-idx1-ubyte"
    images, labels = read_idx(images_path), read_idx(labels_path)
    if images.ndim != 3 or images.shape[1:] != INPUT_SHAPE[:2] or images.dtype != np.uint8:
        raise DataError(
            f"{images_path}: expected uint8 images of shape (N, 28, 28), "
            f"found {images.dtype} {images.shape}"
        )
    if labels.ndim != 1 or labels.dtype != np.uint8 or (labels.size and labels.max() > 9):
        raise DataError(f"{labels_path}: expected uint8 labels 0-9 of shape (N,)")
    if len(images) != len(labels):
        raise DataError(
            f"{images_path} holds {len(images)} images but {labels_path} holds "
            f"{len(labels)} labels: the two files must belong together"
        )
    return images, labels


def stratified_indices(labels: np.ndarray, n: int | None, rng: np.random.Generator) -> np.ndarray:
    """Indices of a random subset of size `n` keeping each class's share (all if n is None).

    Class counts are the largest-remainder rounding of `n * share`; the indices come back
    sorted, so a subset keeps the file's order. Lesson 04 (comparing models).
    """
    if n is None:
        return np.arange(len(labels))
    _check_count("subset size", n)
    if not 0 < n <= len(labels):
        raise ValueError(f"subset size must be between 1 and {len(labels)}, got {n}")
    classes, counts = np.unique(labels, return_counts=True)
    quota = counts * n / len(labels)
    take = np.floor(quota).astype(int)
    by_remainder = np.argsort(-(quota - take), kind="stable")
    take[by_remainder[: n - take.sum()]] += 1
    chosen = [
        rng.choice(np.flatnonzero(labels == c), size=k, replace=False)
        for c, k in zip(classes, take, strict=True)
    ]
    return np.sort(np.concatenate(chosen))
