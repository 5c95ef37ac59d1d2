"""The MNIST data layer: IDX files, the verified download cache, subsets, Kaggle CSVs.

Introduced in lesson 01 (data); your own drawings (`load_drawings`) in lesson 10.
"""

from digitlab.data.drawings import DrawingError, Drawings, load_drawings, sample_drawings
from digitlab.data.fetch import FetchError, Source, fetch_mnist
from digitlab.data.idx import DataError, idx_bytes, read_idx, write_idx
from digitlab.data.kaggle import read_kaggle_csv, write_kaggle_csv, write_kaggle_submission
from digitlab.data.mnist import (
    MNIST_FILES,
    MissingDataError,
    load_mnist,
    normalize_images,
    stratified_indices,
    validation_split,
)

__all__ = [
    "MNIST_FILES",
    "DataError",
    "DrawingError",
    "Drawings",
    "FetchError",
    "MissingDataError",
    "Source",
    "fetch_mnist",
    "idx_bytes",
    "load_drawings",
    "load_mnist",
    "normalize_images",
    "read_idx",
    "read_kaggle_csv",
    "sample_drawings",
    "stratified_indices",
    "validation_split",
    "write_idx",
    "write_kaggle_csv",
    "write_kaggle_submission",
]
