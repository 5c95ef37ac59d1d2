"""The npm packages the page runs on: ONNX Runtime Web (lesson 08, machinery).

`digitlab export web` copies three files of the npm package `onnxruntime-web` into the page's
`ort/` folder: the WebAssembly backend's loader (`ort.wasm.min.mjs`), its Emscripten glue
(`ort-wasm-simd-threaded.mjs`) and the WebAssembly binary (`ort-wasm-simd-threaded.wasm`,
about 14 MB). The package is fetched once with `npm pack` and cached in
`digitlab.config.cache_dir()`, so later exports work offline; the tarball and each file are
pinned by sha256 and every file is verified again on every export
(`digitlab.data.verified.npm_files`). A corrupt cached file is removed and fetched again.

To give the page another package: pin it as an `NpmPackage` (how: `digitlab.data.verified`)
and add `(folder in the page, package)` to PAGE_RUNTIMES; the export copies its files into
that folder and `python -m digitlab.web.runtime` fetches it ahead of time.
"""

from __future__ import annotations

from pathlib import Path

from digitlab.config import cache_dir
from digitlab.data.verified import DownloadError, NpmPackage, npm_files

ORT_VERSION = "1.30.0"
ONNX_RUNTIME_WEB = NpmPackage(
    "onnxruntime-web", ORT_VERSION,
    tarball_sha256="d2228df7e4616bc3348bf504ee888f3bec43789a273f0a63f3e68d203ce3bf71",
    files={
        "dist/ort.wasm.min.mjs":
            "219e6a1fc8a9938268d18efca3c91d310bd2f4a59bbd13744df5b2b7fc6cee3b",
        "dist/ort-wasm-simd-threaded.mjs":
            "e13f7f94fc51b4ca72b12faeb1ee95f4ace6dfbc8939bc718aabdc0a27c4299b",
        "dist/ort-wasm-simd-threaded.wasm":
            "3398c10d07d229bd91b364548e130e0e51a8e5704b88c7c083ebbeb78842dee2",
    },
    size="about 33 MB",
)  # fmt: skip
"""What the page loads: the wasm-only build of the API, its glue code, the binary."""
ORT_FILES = tuple(ONNX_RUNTIME_WEB.cached_names)
PAGE_RUNTIMES: tuple[tuple[str, NpmPackage], ...] = (("ort", ONNX_RUNTIME_WEB),)
"""Every npm package the page loads, with the page's folder its files are copied into."""


def runtime_dir(package: NpmPackage = ONNX_RUNTIME_WEB) -> Path:
    """The cache folder of one of the page's packages (ONNX Runtime Web by default). Lesson 08."""
    return cache_dir() / package.folder_name


def ensure_runtime() -> dict[str, bytes]:
    """Every runtime file the page loads, verified, by its path in the page. Lesson 08.

    E.g. `"ort/ort.wasm.min.mjs"`. Files come from the cache (checked against their sha256
    on every call); a missing or corrupt one is fetched with `npm pack` first. Raises
    DownloadError (a RuntimeError) saying what to do when that is impossible.
    """
    return {
        f"{folder}/{name}": data
        for folder, package in PAGE_RUNTIMES
        for name, data in npm_files(package, runtime_dir(package)).items()
    }


if __name__ == "__main__":  # `python -m digitlab.web.runtime`: fetch it ahead of time (make data)
    try:
        ensure_runtime()
    except (DownloadError, OSError) as error:
        raise SystemExit(f"error: {error}") from error
    for _, package in PAGE_RUNTIMES:
        print(f"{package.spec} is ready (verified) in {runtime_dir(package)}")
