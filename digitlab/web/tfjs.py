"""TensorFlow.js for the training page, and its trained weights back in Keras (lesson 09).

`digitlab export web` copies TensorFlow.js 4.22.0 into the page's `tfjs/` folder: the browser
bundle of `@tensorflow/tfjs` and of `@tensorflow/tfjs-backend-wasm` with that backend's three
WebAssembly binaries, pinned by sha256 and verified on every use like every page runtime
(`digitlab.web.runtime.TFJS`, `TFJS_WASM`).

`load_tfjs_weights` reads the two files the training page downloads (`model.json` and its
`.weights.bin`) into the matching Keras builder of `digitlab.models`.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np

from digitlab.web.runtime import TFJS, TFJS_VERSION, runtime_dir

__all__ = ["TFJS_VERSION", "load_tfjs_weights", "tfjs_dir"]


def tfjs_dir() -> Path:
    """The cache folder of TensorFlow.js itself (`tf.es2017.min.js`). Lesson 09."""
    return runtime_dir(TFJS)


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
