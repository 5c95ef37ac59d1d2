"""Saving and loading models as `.keras` files; which model the lessons use.

Introduced in lesson 05 (save, load and your images). Loading always uses Keras safe mode:
a model file cannot run arbitrary code. Lesson 03 saves its CNN to `lesson_model_path`;
lessons 04-06 study `course_model()`: that CNN if it is there and sane, else the model
shipped in the package.
"""

from __future__ import annotations

import datetime
import json
import os
import re
import zipfile
from collections.abc import Mapping
from pathlib import Path

import keras
import numpy as np
import platformdirs

from digitlab.atomic import atomic_path, atomic_write_bytes, check_writable
from digitlab.config import PRETRAINED_DIR, PROJECT_DIR, source_checkout
from digitlab.paths import regular_file

PRETRAINED_PATH = PRETRAINED_DIR / "course_cnn.keras"
"""The shipped course model (trained by the command in the README)."""
LESSON_MODEL_NAME = "lesson03_cnn.keras"
SANITY_SAMPLE = 1000  # validation images a saved lesson model is checked on ...
MIN_SANE_ACCURACY = 0.5  # ... and the accuracy it needs there (chance is 10%)


class ModelFileError(ValueError):
    """A model file is corrupt, not a Keras model, or not an MNIST digit classifier.

    Lesson 05 shows the message for a model that would run code on loading.
    """


def save_model(
    model: keras.Model, path: str | os.PathLike[str], *, info: Mapping | None = None
) -> Path:
    """Save `model`'s architecture and weights to a `.keras` file, atomically. Lesson 03.

    The optimizer's state is left out: the course never resumes a training run, and the
    file stays a third of the size. With `info` (how it was trained and how it scored,
    e.g. seed, epochs, test accuracy), a sidecar `<name>.json` is written beside the model
    with that and the date it was saved; `read_model_info` reads it back (saved without
    `info`, an older sidecar is removed). A model whose weights hold NaN or infinity raises
    ModelFileError before anything is written, so a good file is never replaced by a broken one.
    """
    path = Path(path)
    if path.suffix != ".keras":
        raise ValueError(f"{path}: a model file must end in .keras (the Keras 3 format)")
    check_writable(path)
    broken = non_finite_weights(model)
    if broken:
        raise ModelFileError(f"{path}: not saved: {broken}")
    inference = type(model).from_config(model.get_config())  # Functional or Sequential
    inference.set_weights(model.get_weights())
    record = None
    if info is not None:  # made first: a record that is not JSON must not cost the model
        saved = datetime.datetime.now().astimezone().isoformat(timespec="seconds")
        try:
            record = json.dumps({**info, "saved": saved}, indent=2).encode() + b"\n"
        except TypeError as exc:
            raise TypeError(f"{path}: not saved: info must hold JSON values ({exc})") from exc
    with atomic_path(path) as tmp:
        inference.save(tmp)
    if record is not None:
        atomic_write_bytes(info_path(path), record)
    else:  # a record of the model this file replaced would now be wrong
        info_path(path).unlink(missing_ok=True)
    return path


def non_finite_weights(model: keras.Model) -> str | None:
    """None if every weight of `model` is finite, else a sentence naming the broken ones."""
    broken = [w.path for w in model.weights if not np.isfinite(keras.ops.convert_to_numpy(w)).all()]
    if not broken:
        return None
    more = ", ..." if len(broken) > 3 else ""
    return (
        f"the model's weights contain NaN or infinity (in {', '.join(broken[:3])}{more}), "
        "as when training diverges; retrain it, e.g. with a lower learning rate"
    )


def info_path(path: str | os.PathLike[str]) -> Path:
    """The sidecar file beside a model that records how it was trained: `<name>.json`."""
    return Path(path).with_suffix(".json")


def read_model_info(path: str | os.PathLike[str]) -> dict | None:
    """What `save_model(..., info=...)` recorded beside the model at `path`, or None.

    Raises ModelFileError when the sidecar exists but is not a JSON object. Lesson 05.
    """
    sidecar = info_path(path)
    if not sidecar.is_file():
        return None
    try:
        record = json.loads(sidecar.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise ModelFileError(f"{sidecar}: not a readable model record ({exc})") from exc
    if not isinstance(record, dict):
        raise ModelFileError(f"{sidecar}: expected a JSON object describing the model")
    return record


def load_model(path: str | os.PathLike[str]) -> keras.Model:
    """Load a `.keras` digit classifier in safe mode and check its input and output shapes.

    A missing file raises FileNotFoundError; a corrupt file, another format, or a model that
    does not map (28, 28, 1) images to 10 probabilities raises ModelFileError naming the
    file. Lesson 05 (save, load and your images).
    """
    path = regular_file(path, "model file", missing_hint="train one with `digitlab train`")
    if not zipfile.is_zipfile(path):
        raise ModelFileError(f"{path}: not a .keras model file (a .keras file is a zip archive)")
    try:
        model = keras.saving.load_model(path, safe_mode=True, compile=False)
    except Exception as exc:  # Keras raises many types for a bad archive; say which file
        raise ModelFileError(f"{path}: cannot load this Keras model: {_load_problem(exc)}") from exc
    check_digit_model(model, path)
    return model


def _load_problem(exc: Exception) -> str:
    """Keras's reason for refusing a file, in one short sentence (the full text is chained)."""
    text = str(exc)
    custom = re.search(r"[Cc]ould not (?:locate|deserialize) class '([\w.]+)'", text)
    if custom:
        return (
            f"it uses the custom class '{custom[1]}', and digitlab loads only built-in Keras "
            "layers (safe mode)"
        )
    if "lambda" in text.lower() and "safe_mode" in text:
        return "it contains a Lambda layer (Python code), which safe mode refuses to load"
    first = text.strip().splitlines()[0] if text.strip() else type(exc).__name__
    first = first if len(first) <= 160 else first[:157] + "..."
    return f"the file is damaged or not a model this Keras can read ({first})"


def check_digit_model(model: keras.Model, source: object = "model") -> None:
    """Raise ModelFileError unless `model` maps (None, 28, 28, 1) to (None, 10)."""
    inputs = [tuple(t.shape) for t in model.inputs]
    outputs = [tuple(t.shape) for t in model.outputs]
    if inputs != [(None, 28, 28, 1)] or outputs != [(None, 10)]:
        raise ModelFileError(
            f"{source}: expected a model from (None, 28, 28, 1) images to (None, 10) "
            f"probabilities, found inputs {inputs} and outputs {outputs}"
        )


def load_pretrained() -> keras.Model:
    """The course model shipped inside the package. Lessons 05 and 06."""
    return load_model(PRETRAINED_PATH)


def lesson_model_path(fast: bool) -> Path:
    """Where lesson 03 saves its CNN, and lessons 04-07 look for it. Lesson 03.

    In a source checkout `models/lesson03_cnn.keras`; installed as a package, the user's
    data folder (platformdirs), never site-packages. With `fast` a folder of its own
    (`build/fast/` in a checkout), so a quick CI run never replaces a fully trained model.

    Parameters
    ----------
    fast : the lesson runs in fast mode (its parameters cell's `FAST`).

    Returns
    -------
    The path of the `.keras` file (its folder may not exist yet).
    """
    checkout = source_checkout(PROJECT_DIR)
    if checkout is not None:
        folder = checkout / ("build/fast" if fast else "models")
    else:
        folder = platformdirs.user_data_path("digitlab") / ("fast" if fast else "models")
    return folder / LESSON_MODEL_NAME


def course_model() -> tuple[keras.Model, str]:
    """The model lessons 04-06 study, and a sentence saying which file it is. Lesson 04.

    The CNN lesson 03 saved (`lesson_model_path(fast=False)`) if it is there, loads, has
    finite weights and reads at least half of a sample of 1,000 validation images right
    (chance is 10%); else the model shipped with digitlab. The sentence names the file,
    the test accuracy recorded beside it (`read_model_info`) and, when the lesson's file
    was passed over, why.

    Returns
    -------
    `(model, sentence)`.
    """
    own = lesson_model_path(fast=False)
    rejected = ""
    if own.is_file():
        try:
            model = load_model(own)
            problem = _insanity(model)
        except ModelFileError as exc:
            problem = str(exc)
        if problem is None:
            return model, f"the CNN you trained in lesson 03 ({_described(own)})"
        rejected = f"; {_shown(own)} was not used: {problem}"
    model = load_model(PRETRAINED_PATH)
    return model, f"the model shipped with digitlab ({_described(PRETRAINED_PATH)}){rejected}"


def _insanity(model: keras.Model) -> str | None:
    """Why `model` is not worth studying (non-finite weights, near-chance accuracy), or None."""
    from digitlab.evaluate import evaluate

    if non_finite_weights(model) is not None:
        return "its weights are not all finite (the training diverged)"
    x, y = _validation_sample()
    accuracy = evaluate(model, x, y).accuracy
    if accuracy < MIN_SANE_ACCURACY:
        return (f"it reads only {accuracy:.0%} of {len(y):,} validation images right "
                "(retrain it in lesson 03)")
    return None


def _validation_sample() -> tuple[np.ndarray, np.ndarray]:
    """The first `SANITY_SAMPLE` images of the lessons' validation split of MNIST."""
    from digitlab.data import load_mnist, validation_split

    (x, y), _ = load_mnist()
    _, (x_val, y_val) = validation_split(x, y)
    return x_val[:SANITY_SAMPLE], y_val[:SANITY_SAMPLE]


def _described(path: Path) -> str:
    """`path` and the test accuracy recorded beside it."""
    info = read_model_info(path) or {}
    accuracy = info.get("test_accuracy")
    recorded = (f"test accuracy {accuracy:.2%} when saved" if isinstance(accuracy, float)
                else "no test accuracy recorded")
    return f"{_shown(path)}, {recorded}"


def _shown(path: Path) -> str:
    """`path` relative to the project when it is inside it."""
    return str(path.relative_to(PROJECT_DIR)) if path.is_relative_to(PROJECT_DIR) else str(path)
