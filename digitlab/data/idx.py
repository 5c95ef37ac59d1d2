"""The IDX file format of MNIST: a tiny header (magic, type code, dimensions), then raw data.

Introduced in lesson 01 (data). `read_idx` trusts nothing in a file: the header is checked
against the bytes that really follow before any large array is made.
"""

from __future__ import annotations

import gzip
import math
import os
import zlib
from pathlib import Path

import numpy as np

from digitlab.atomic import atomic_write_bytes
from digitlab.paths import regular_file

# IDX type codes and the big-endian numpy dtypes they stand for.
_IDX_TYPES: dict[int, np.dtype] = {
    0x08: np.dtype(">u1"),
    0x09: np.dtype(">i1"),
    0x0B: np.dtype(">i2"),
    0x0C: np.dtype(">i4"),
    0x0D: np.dtype(">f4"),
    0x0E: np.dtype(">f8"),
}
_GZIP_MAGIC = b"\x1f\x8b"
_CHUNK = 1 << 20
_MAX_DIMS = 32  # NumPy's limit (64 since NumPy 2); MNIST uses 1 and 3


class DataError(ValueError):
    """A data file is missing, malformed or does not match what was expected. Lesson 01."""


def read_idx(path: str | os.PathLike[str]) -> np.ndarray:
    """Read an IDX file (raw or gzipped) into a numpy array in native byte order.

    Raises `DataError` naming the file for: a missing, unreadable or folder path, an empty
    file, a wrong magic number, an unknown type code, 0 or more than 32 dimensions, a header
    or body shorter than the header promises, or trailing bytes.
    Lesson 01 (data).
    """
    path = Path(path)
    try:
        regular_file(path, "IDX file")  # a named pipe would block the read forever
    except OSError as exc:
        raise DataError(str(exc)) from exc
    try:
        with open(path, "rb") as raw:
            gzipped = raw.read(2) == _GZIP_MAGIC
    except OSError as exc:
        raise DataError(f"{path}: cannot read the file ({exc.strerror or exc})") from exc
    opener = gzip.open if gzipped else open
    try:
        with opener(path, "rb") as f:
            return _read_idx_stream(f, path)
    except (OSError, EOFError, zlib.error) as exc:
        raise DataError(f"{path}: not a readable gzip stream ({exc})") from exc


def _read_idx_stream(f, path: Path) -> np.ndarray:
    magic = f.read(4)
    if not magic:
        raise DataError(f"{path}: empty file, expected an IDX header")
    if len(magic) < 4:
        raise DataError(f"{path}: truncated header ({len(magic)} of 4 magic bytes)")
    if magic[0] != 0 or magic[1] != 0:
        raise DataError(
            f"{path}: wrong magic number {magic.hex()}: an IDX file starts with two zero bytes"
        )
    type_code, ndim = magic[2], magic[3]
    if type_code not in _IDX_TYPES:
        known = ", ".join(f"0x{c:02X}" for c in _IDX_TYPES)
        raise DataError(f"{path}: unknown IDX type code 0x{type_code:02X} (known: {known})")
    if not 0 < ndim <= _MAX_DIMS:
        raise DataError(
            f"{path}: the header declares {ndim} dimensions; an IDX array has 1 to {_MAX_DIMS}"
        )
    dims_bytes = f.read(4 * ndim)
    if len(dims_bytes) < 4 * ndim:
        raise DataError(f"{path}: truncated header: {ndim} dimensions declared, bytes missing")
    shape = tuple(int.from_bytes(dims_bytes[4 * i : 4 * i + 4], "big") for i in range(ndim))
    dtype = _IDX_TYPES[type_code]
    expected = math.prod(shape) * dtype.itemsize
    body = _read_exactly(f, expected, path, shape)
    if f.read(1):
        raise DataError(f"{path}: trailing bytes after the {expected} data bytes of shape {shape}")
    return np.frombuffer(body, dtype=dtype).reshape(shape).astype(dtype.newbyteorder("="))


def _read_exactly(f, expected: int, path: Path, shape: tuple[int, ...]) -> bytes:
    """Read `expected` bytes in chunks, so a lying header cannot force a giant allocation."""
    body = bytearray()
    while len(body) < expected:
        chunk = f.read(min(_CHUNK, expected - len(body)))
        if not chunk:
            raise DataError(
                f"{path}: truncated: the header promises shape {shape} ({expected} data bytes) "
                f"but only {len(body)} follow"
            )
        body += chunk
    return bytes(body)


def idx_bytes(array: np.ndarray) -> bytes:
    """The IDX encoding of `array` (header + big-endian data). Lesson 01 (data)."""
    array = np.asarray(array)
    codes = {dtype.str[1:]: code for code, dtype in _IDX_TYPES.items()}
    key = array.dtype.newbyteorder(">").str[1:]
    if key not in codes or array.ndim == 0 or array.ndim > 255:
        raise ValueError(
            f"cannot write dtype {array.dtype} with {array.ndim} dimensions as IDX: "
            "expected uint8, int8, int16, int32, float32 or float64 with 1-255 dimensions"
        )
    header = bytes([0, 0, codes[key], array.ndim]) + b"".join(
        int(n).to_bytes(4, "big") for n in array.shape
    )
    return header + array.astype(array.dtype.newbyteorder(">")).tobytes()


def write_idx(path: str | os.PathLike[str], array: np.ndarray, *, compress: bool = False) -> Path:
    """Write `array` as an IDX file (gzipped if `compress`), atomically. Lesson 01 (data)."""
    data = idx_bytes(array)
    return atomic_write_bytes(path, gzip.compress(data) if compress else data)
