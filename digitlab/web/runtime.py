"""ONNX Runtime Web, the engine that runs the model in the page (lesson 08, machinery).

`digitlab export web` copies three files of the npm package `onnxruntime-web` into the page:
the WebAssembly backend's loader (`ort.wasm.min.mjs`), its Emscripten glue
(`ort-wasm-simd-threaded.mjs`) and the WebAssembly binary (`ort-wasm-simd-threaded.wasm`,
about 14 MB). The package is fetched once with `npm pack` (the npm registry is reachable where
CDNs may not be), verified against a pinned sha256, and the three files are cached in a folder
beside the MNIST cache, so later exports work offline.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

from digitlab.atomic import atomic_write_bytes
from digitlab.config import data_dir

ORT_VERSION = "1.30.0"
ORT_PACKAGE = f"onnxruntime-web@{ORT_VERSION}"
ORT_TARBALL_SHA256 = "d2228df7e4616bc3348bf504ee888f3bec43789a273f0a63f3e68d203ce3bf71"
ORT_FILES = ("ort.wasm.min.mjs", "ort-wasm-simd-threaded.mjs", "ort-wasm-simd-threaded.wasm")
"""What the page loads: the wasm-only build of the API, its glue code, the binary."""
NPM_TIMEOUT_S = 300.0
NPM_FAIL_FAST = ("--loglevel=error", "--fetch-retries=1", "--fetch-retry-mintimeout=2000",
                 "--fetch-retry-maxtimeout=5000")  # offline: an answer in seconds, not minutes


def runtime_dir() -> Path:
    """The cache of the page's runtime files, a sibling of the MNIST cache folder. Lesson 08."""
    return data_dir().parent / f"onnxruntime-web-{ORT_VERSION}"


def ensure_runtime(cache: Path | None = None) -> Path:
    """The folder holding the ONNX Runtime Web files the page needs, fetched if missing (lesson 08).

    Fetches `onnxruntime-web` with `npm pack` into `cache` (default `runtime_dir()`), checks
    the tarball's sha256 and writes each file atomically. Raises RuntimeError with what to do
    when npm is missing or the registry cannot be reached.
    """
    folder = runtime_dir() if cache is None else Path(cache)
    if all((folder / name).is_file() for name in ORT_FILES):
        return folder
    npm = shutil.which("npm")
    if npm is None:
        raise RuntimeError(
            f"the web page needs {ORT_PACKAGE}, which is not cached in {folder} and cannot be "
            "fetched because the `npm` client is not installed: install npm (apt-get install "
            "npm) and run the export again"
        )
    print(f"Fetching {ORT_PACKAGE} from the npm registry with `npm pack` (about 33 MB)...")
    with tempfile.TemporaryDirectory(prefix="digitlab-ort-") as scratch:
        try:
            subprocess.run(
                [npm, "pack", ORT_PACKAGE, "--pack-destination", scratch, *NPM_FAIL_FAST],
                check=True, capture_output=True, text=True, timeout=NPM_TIMEOUT_S,
            )  # fmt: skip
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
            raise RuntimeError(
                f"could not fetch {ORT_PACKAGE} with `npm pack` ({_npm_reason(exc)}): connect "
                f"to the npm registry once, or put the files {', '.join(ORT_FILES)} from that "
                f"package's dist/ folder into {folder}"
            ) from exc
        tarball = next(Path(scratch).glob("*.tgz"))
        data = tarball.read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        if digest != ORT_TARBALL_SHA256:
            raise RuntimeError(
                f"{ORT_PACKAGE} from npm has sha256 {digest}, expected {ORT_TARBALL_SHA256}: "
                "the download is corrupt or the registry changed; nothing was cached"
            )
        with tarfile.open(tarball, "r:gz") as tar:
            for name in ORT_FILES:
                member = tar.extractfile(f"package/dist/{name}")
                if member is None:
                    raise RuntimeError(f"{ORT_PACKAGE} has no regular file dist/{name}")
                atomic_write_bytes(folder / name, member.read())
    return folder


def _npm_reason(exc: subprocess.CalledProcessError | subprocess.TimeoutExpired) -> str:
    """The line of npm's error output that says why (e.g. the failed request), or the error."""
    stderr = exc.stderr.decode() if isinstance(exc.stderr, bytes) else exc.stderr or ""
    lines = [line.removeprefix("npm error").strip() for line in stderr.splitlines()]
    lines = [line for line in lines if line]
    fallback = lines[0] if lines else str(exc)
    return next((line for line in lines if "failed, reason" in line), fallback)


if __name__ == "__main__":  # `python -m digitlab.web.runtime`: fetch it ahead of time (make data)
    try:
        print(f"{ORT_PACKAGE} is ready in {ensure_runtime()}")
    except RuntimeError as error:
        raise SystemExit(f"error: {error}") from error
