"""`digitlab export web`: the trained model as a static drawing page (lesson 07).

The folder it writes needs no Python and no server code, only a static file server:

    index.html, style.css            the page
    config.js                        the numbers the page shares with digitlab (written here)
    preprocess.js                    canvas -> 28x28, step for step like digitlab.preprocess
    model.js                         the ONNX model in ONNX Runtime Web
    ui.js                            pen, buttons, bars: the DOM wiring
    model.onnx                       the Keras model, exported by Keras 3 through tf2onnx
    ort/                             the ONNX Runtime Web files (see digitlab.web.runtime)
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import warnings
from pathlib import Path

from digitlab.atomic import atomic_path
from digitlab.config import PACKAGE_DIR
from digitlab.preprocess import (
    DIGIT_BOX,
    MIN_CONTRAST,
    MIN_DIGIT_EXTENT,
    MIN_INK_PIXELS,
    MNIST_CENTRE,
    MNIST_SIZE,
    NOISE_FLOOR,
)
from digitlab.strokes import CANVAS_SIZE, DEFAULT_WIDTH
from digitlab.web.runtime import ORT_FILES, ensure_runtime
from digitlab.web.tfjs import tfjs_files
from digitlab.web.training_page import TRAINING_PAGE_FILES, write_training_page
from digitlab.widget import EMPTY_TEXT, PREDICT_INTERVAL, TOO_SMALL_TEXT

PAGE_DIR = PACKAGE_DIR / "web" / "page"
PAGE_FILES = ("index.html", "style.css", "preprocess.js", "model.js", "ui.js",
              *TRAINING_PAGE_FILES)
THRESHOLD = 0.5  # top probability below which the page says "not sure", as Predictor's default
MARKER = "model.onnx"  # a folder holding this and index.html is an earlier export: replaceable


def page_config(threshold: float = THRESHOLD) -> dict:
    """The constants the page shares with digitlab, from the Python modules. Lesson 07."""
    return {
        "threshold": threshold,
        "minDigitExtent": MIN_DIGIT_EXTENT,
        "minContrast": MIN_CONTRAST,
        "noiseFloor": NOISE_FLOOR,
        "minInkPixels": MIN_INK_PIXELS,
        "digitBox": DIGIT_BOX,
        "mnistSize": MNIST_SIZE,
        "mnistCentre": MNIST_CENTRE,
        "canvasSize": CANVAS_SIZE,
        "penWidth": DEFAULT_WIDTH,
        "throttleMs": round(PREDICT_INTERVAL * 1000),
        "emptyText": EMPTY_TEXT,
        "smallText": TOO_SMALL_TEXT,
    }


def export_onnx(model, path: str | os.PathLike[str]) -> Path:
    """Write `model` as an ONNX file with Keras 3's `model.export(..., format="onnx")`.

    Lesson 07. The model is called once first (TensorFlow 2.21's tf2onnx route needs a built,
    traced model). Needs the `web` extra: `pip install "digitlab[web]"`.
    """
    import numpy as np

    _require_onnx_tools()
    model(np.zeros((1, MNIST_SIZE, MNIST_SIZE, 1), np.float32))
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(path) as tmp, warnings.catch_warnings():  # never a half-written file
        # Keras's tf2onnx shim probes np.object under NumPy 2
        warnings.filterwarnings("ignore", category=FutureWarning, module=r"keras\.src\.export")
        model.export(str(tmp), format="onnx", verbose=False)
    return path


def export_web(
    out: str | os.PathLike[str],
    model=None,
    *,
    threshold: float = THRESHOLD,
) -> Path:
    """Write the drawing page for a model into the folder `out` and return it. Lesson 07.

    Parameters: `model` is a Keras model or the path of a `.keras` file (default: the shipped
    course model); `threshold` the lowest top probability the page names a digit for.

    The folder is built beside `out` and moved into place when complete; an earlier export
    there is replaced, any other non-empty folder is refused. Serve it with
    `python -m http.server -d OUT` (browsers refuse the page's modules from file://).
    """
    from digitlab.saving import PRETRAINED_PATH, check_digit_model, load_model

    if not 0.0 <= threshold <= 1.0:
        raise ValueError(f"threshold must be between 0 and 1, got {threshold}")
    _require_onnx_tools()
    out = Path(out)
    if out.exists() and not _replaceable(out):
        raise FileExistsError(
            f"{out} exists and is not an exported page: choose a new or empty folder"
        )
    if model is None or isinstance(model, str | os.PathLike):  # a bad path fails before npm
        model = load_model(PRETRAINED_PATH if model is None else model)
    else:
        check_digit_model(model)
    runtime = ensure_runtime()  # before the slow part: offline without a cache fails now
    tfjs_files()  # the training page's TensorFlow.js, likewise
    out.parent.mkdir(parents=True, exist_ok=True)
    build = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".part", dir=out.parent))
    try:
        build.chmod(0o755)
        for name in PAGE_FILES:
            shutil.copyfile(PAGE_DIR / name, build / name)
        config = json.dumps(page_config(threshold), indent=2)
        (build / "config.js").write_text(
            "// Written by `digitlab export web` from digitlab's Python constants: do not edit.\n"
            f"export const CONFIG = {config};\n"
        )
        (build / "ort").mkdir()
        for name in ORT_FILES:
            shutil.copyfile(runtime / name, build / "ort" / name)
        write_training_page(build)
        export_onnx(model, build / MARKER)
        _swap_into_place(build, out)
    finally:
        shutil.rmtree(build, ignore_errors=True)
    return out


def folder_sizes(folder: str | os.PathLike[str]) -> dict[str, int]:
    """Bytes per file in an exported page, by path relative to the folder. Lesson 07."""
    folder = Path(folder)
    return {
        str(path.relative_to(folder)): path.stat().st_size
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def _require_onnx_tools() -> None:
    try:
        import onnx  # noqa: F401
        import tf2onnx  # noqa: F401
    except ImportError as exc:
        raise RuntimeError(
            f"exporting to ONNX needs tf2onnx and onnx ({exc}): pip install 'digitlab[web]'"
        ) from exc


def _replaceable(out: Path) -> bool:
    if not out.is_dir():
        return False
    return not any(out.iterdir()) or ((out / "index.html").is_file() and (out / MARKER).is_file())


def _swap_into_place(build: Path, out: Path) -> None:
    """Rename the finished `build` to `out`; an old export is removed only once it is out."""
    if not out.exists():
        build.rename(out)
        return
    old = out.with_name(f".{out.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    out.rename(old)
    try:
        build.rename(out)
    except OSError:
        old.rename(out)  # the good page back in place before the error is reported
        raise
    shutil.rmtree(old)
