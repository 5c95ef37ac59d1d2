"""The npm packages the pages run on (lessons 08 and 09; machinery).

`digitlab export web` copies three files of the npm package `onnxruntime-web` into the
drawing page's `ort/` folder: the WebAssembly backend's loader (`ort.wasm.min.mjs`), its
Emscripten glue (`ort-wasm-simd-threaded.mjs`) and the WebAssembly binary
(`ort-wasm-simd-threaded.wasm`, about 14 MB), and TensorFlow.js with its WebAssembly
backend into `tfjs/` for the training page (`TFJS`, `TFJS_WASM`). Each package is fetched
once with `npm pack` and cached in `digitlab.config.cache_dir()`, so later exports work
offline; the tarball and each file are
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

TFJS_VERSION = "4.22.0"
TFJS = NpmPackage(
    "@tensorflow/tfjs", TFJS_VERSION,
    tarball_sha256="56505c191e24116787477b3bb5bb1cc0cf1c2bdce8112b9c402a8a2d31cf2f00",
    files={
        "dist/tf.es2017.min.js":
            "a1f9e32fd9b373cf394905050cf0c8c66238b34925846c065db00d2a34d1c040",
    },
    size="about 31 MB",
)  # fmt: skip
"""TensorFlow.js for the training page (lesson 09): the library, Layers API included."""
TFJS_WASM = NpmPackage(
    "@tensorflow/tfjs-backend-wasm", TFJS_VERSION,
    tarball_sha256="5cd6f5e18657c12fb94f4ec3dcef485c8c1a9ca39f3ef1d261c1cb13c1a231c3",
    files={
        "dist/tf-backend-wasm.es2017.min.js":
            "bdd8c3c1fb0b37601bc2a122efa20b8d78e2936d104b03a44591be4188c63f65",
        "dist/tfjs-backend-wasm.wasm":
            "70a5d516060464e5269f01c74bac1772d6b8ab6cb612acf16b5cdaf61f78d892",
        "dist/tfjs-backend-wasm-simd.wasm":
            "77ebb28a6d34f371dbbf2086b7f2de8994acd8ea5a3cf1fa24d2c26c840cac7b",
        "dist/tfjs-backend-wasm-threaded-simd.wasm":
            "c052228d4bef185c27bbe59a9e029570c78bbb9f08b3cb46b597851650373de2",
    },
    size="about 2.5 MB",
)  # fmt: skip
"""Its WebAssembly backend, which trains the dense network fastest without a GPU."""
PAGE_RUNTIMES: tuple[tuple[str, NpmPackage], ...] = (
    ("ort", ONNX_RUNTIME_WEB), ("tfjs", TFJS), ("tfjs", TFJS_WASM),
)
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
