"""Which model the lessons study: the CNN lesson 03 trained, if it is sane, else the shipped one.

Introduced in lesson 03, which saves its CNN to `lesson_model_path`; lessons 04-07 call
`course_model()`. This is course policy on top of `digitlab.saving` (which only writes and
reads files): a lesson's own model must load, have finite weights and read a sample of
validation digits clearly better than chance before a lesson studies it.
"""

from __future__ import annotations

import math
from pathlib import Path

import keras
import numpy as np

from digitlab.config import PRETRAINED_PATH, PROJECT_DIR, models_dir
from digitlab.evaluate import evaluate
from digitlab.i18n import tr
from digitlab.saving import ModelFileError, load_model, non_finite_weights, read_model_info

_LESSON_MODEL_NAME = "lesson03_cnn.keras"
_SANITY_SAMPLE = 1000  # validation images a saved lesson model is checked on ...
_MIN_SANE_ACCURACY = 0.5  # ... and the accuracy it needs there (chance is 10%)


def lesson_model_path(fast: bool) -> Path:
    """Where lesson 03 saves its CNN, and lessons 04-07 look for it. Lesson 03.

    Parameters
    ----------
    fast : the lesson runs in fast mode (its parameters cell's `FAST`); a fast run gets a
        folder of its own (`digitlab.config.models_dir`), so it never replaces a fully
        trained model.

    Returns
    -------
    The path of the `.keras` file (its folder may not exist yet).
    """
    return models_dir(fast) / _LESSON_MODEL_NAME


def course_model() -> tuple[keras.Model, str]:
    """The model lessons 04-07 study, and a sentence saying which file it is. Lesson 04.

    The CNN lesson 03 saved (`lesson_model_path(fast=False)`) if it is there, loads, has
    finite weights and reads at least half of a sample of 1,000 validation images right
    (chance is 10%); else the model shipped with digitlab. The sentence names the file,
    the test accuracy recorded beside it (`read_model_info`; an unreadable record is
    passed over with a word) and, when the lesson's file was passed over, why.

    Returns
    -------
    `(model, sentence)`.
    """
    own = lesson_model_path(fast=False)
    rejected = ""
    if own.is_file():
        try:
            model = load_model(own)
            problem = _why_not_studied(model)
        except ModelFileError as exc:
            problem = str(exc)
        if problem is None:
            return model, tr("report.model.lesson03", described=_described(own))
        rejected = tr("report.model.rejected", path=_shown(own), problem=problem)
    model = load_model(PRETRAINED_PATH)
    return model, tr("report.model.shipped", described=_described(PRETRAINED_PATH),
                     rejected=rejected)


def _why_not_studied(model: keras.Model) -> str | None:
    """Why `model` is not worth studying (non-finite weights, near-chance accuracy), or None."""
    if non_finite_weights(model) is not None:
        return tr("report.model.diverged")
    x, y = _validation_sample()
    accuracy = evaluate(model, x, y, on="validation").accuracy
    if accuracy < _MIN_SANE_ACCURACY:
        return tr("report.model.poor", accuracy=f"{accuracy:.0%}", n=f"{len(y):,}")
    return None


def _validation_sample() -> tuple[np.ndarray, np.ndarray]:
    """The first `_SANITY_SAMPLE` images of the lessons' validation split of MNIST."""
    from digitlab.data import load_mnist, validation_split

    (x, y), _ = load_mnist()
    _, (x_val, y_val) = validation_split(x, y)
    return x_val[:_SANITY_SAMPLE], y_val[:_SANITY_SAMPLE]


def _described(path: Path) -> str:
    """`path` and the test accuracy recorded beside it, if the record holds a sane one."""
    try:
        info = read_model_info(path) or {}
    except ModelFileError:
        return tr("report.model.unreadable", path=_shown(path))
    accuracy = info.get("test_accuracy")
    if accuracy is None:
        return tr("report.model.no_accuracy", path=_shown(path))
    if not _is_accuracy(accuracy):
        return tr("report.model.bad_accuracy", path=_shown(path))
    return tr("report.model.accuracy", path=_shown(path), accuracy=f"{accuracy:.2%}")


def _is_accuracy(value: object) -> bool:
    """True for a number from 0 to 1 (not NaN, not a bool, not 300 digits)."""
    return (isinstance(value, int | float) and not isinstance(value, bool)
            and math.isfinite(value) and 0 <= value <= 1)


def _shown(path: Path) -> str:
    """`path` relative to the project when it is inside it."""
    return str(path.relative_to(PROJECT_DIR)) if path.is_relative_to(PROJECT_DIR) else str(path)
