"""Check yourself: small checks the lessons' exercises call on what you computed or wrote.

Each check returns a `Verdict`: it shows as one line starting with a tick or a cross (the
last expression of a cell), is truthy when you passed, and says what to look at when you
did not. Solutions notebooks `assert` them, so CI knows every solution passes its check.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from digitlab.config import INPUT_SHAPE, N_CLASSES
from digitlab.i18n import tr
from digitlab.preprocess import canvas_to_mnist

PREPROCESSING_TOLERANCE = 0.03  # mean |yours - canvas_to_mnist| per pixel, 0..1 scale


@dataclass(frozen=True, repr=False)
class Verdict:
    """The outcome of a check: `ok`, and a `message` saying what was found (all lessons)."""

    ok: bool
    message: str

    def __bool__(self) -> bool:
        return self.ok

    def __repr__(self) -> str:
        return f"{'✔' if self.ok else '✘'} {self.message}"

    __str__ = __repr__


def check_param_count(model, expected: int) -> Verdict:
    """Does `model` (a Keras model) have `expected` parameters? Lesson 02 (and 03).

    Work the count out by hand first: a Dense layer has inputs x units weights plus one
    bias per unit; a Conv2D layer kernel height x width x input channels x filters plus
    one bias per filter; Flatten, pooling and Dropout have none.
    """
    count = int(model.count_params())
    if count == expected:
        return Verdict(True, tr("check.params.ok", count=f"{count:,}"))
    per_layer = ", ".join(f"{layer.name} {layer.count_params():,}" for layer in model.layers)
    return Verdict(
        False,
        tr("check.params.wrong", count=f"{count:,}", expected=f"{expected:,}",
           off=f"{count - expected:+,}", per_layer=per_layer),
    )


def check_in_range(name: str, value: float, low: float, high: float, hint: str = "") -> Verdict:
    """Is `value` within [`low`, `high`]? For results whose expected range the exercise
    gives: a count, a loss, an accuracy after changing the learning rate or the epochs.
    Lesson 01 (and 02, 04: e.g. the untrained loss is near ln 10 = 2.30)."""
    value = float(value)
    if not np.isfinite(value):
        return Verdict(False, tr("check.range.diverged", name=name, value=value))
    found = {"name": name, "value": f"{value:.4g}", "low": f"{low:g}", "high": f"{high:g}"}
    if low <= value <= high:
        return Verdict(True, tr("check.range.ok", **found))
    verdict = tr("check.range.below" if value < low else "check.range.above", **found)
    return Verdict(False, tr("check.range.hint", verdict=verdict, hint=hint) if hint else verdict)


def most_confused_pairs(confusion: np.ndarray) -> list[tuple[int, int]]:
    """The (true, predicted) pairs with the largest off-diagonal count of a confusion
    matrix (rows true, columns predicted), all of them when tied. Lessons 02 and 04."""
    off = np.array(confusion, dtype=float, copy=True)
    if off.ndim != 2 or off.shape[0] != off.shape[1]:
        raise ValueError(f"expected a square confusion matrix, got shape {off.shape}")
    np.fill_diagonal(off, -1)
    top = off.max()
    return [(int(t), int(p)) for t, p in zip(*np.nonzero(off == top), strict=True)]


def check_most_confused(confusion: np.ndarray, answer: tuple[int, int]) -> Verdict:
    """Is `answer` (true digit, predicted digit) the mistake the model makes most often
    according to `confusion` (rows true, columns predicted)? Lesson 01 (and 04)."""
    pairs = most_confused_pairs(confusion)
    true, predicted = (int(v) for v in answer)
    count = int(np.asarray(confusion)[pairs[0]])
    if (true, predicted) in pairs:
        return Verdict(
            True, tr("check.confused.ok", true=true, predicted=predicted, count=count)
        )
    yours = int(np.asarray(confusion)[true, predicted])
    return Verdict(
        False,
        tr("check.confused.wrong", true=true, predicted=predicted, yours=yours,
           top_true=pairs[0][0], top_predicted=pairs[0][1], count=count),
    )


def check_output_shapes(model, expected: Sequence[tuple[int, ...]]) -> Verdict:
    """Are the output shapes of `model`'s layers, in order and without the batch size, the
    ones you worked out (e.g. `[(24, 24, 32), (12, 12, 32), ...]`)? Lesson 03."""
    actual = [tuple(layer.output.shape[1:]) for layer in model.layers]
    expected = [tuple(shape) for shape in expected]
    if actual == expected:
        return Verdict(True, tr("check.shapes.ok", n=len(actual)))
    if len(actual) != len(expected):
        return Verdict(False, tr("check.shapes.count", n=len(actual), given=len(expected)))
    layer, got, want = next(
        (layer, got, want)
        for layer, got, want in zip(model.layers, actual, expected, strict=True)
        if got != want
    )
    return Verdict(
        False,
        tr("check.shapes.wrong", layer=layer.name, kind=type(layer).__name__, got=got, want=want),
    )


def _default_canvases() -> list[np.ndarray]:
    from digitlab.samples import draw_sample

    return [draw_sample(digit) for digit in range(N_CLASSES)]


def check_preprocessing(
    fn: Callable[[np.ndarray], np.ndarray],
    canvases: Sequence[np.ndarray] | None = None,
    predictor=None,
    tolerance: float = PREPROCESSING_TOLERANCE,
) -> Verdict:
    """Does your preprocessing `fn` (canvas -> 28x28 floats in [0, 1]) match
    `canvas_to_mnist`? Lesson 05's exercise: crop to the ink, scale the longer side to
    20 px, centre by the centre of mass.

    Parameters
    ----------
    canvases : the drawings to try (default: the ten sample digits of `digitlab.samples`:
        big, small, off-centre, thin and thick pens).
    predictor : a `digitlab.predict.Predictor`; if given, your images must also get the
        same predicted digits.
    tolerance : the largest mean absolute pixel difference allowed on any canvas.
    """
    canvases = _default_canvases() if canvases is None else list(canvases)
    yours, theirs = [], []
    for number, canvas in enumerate(canvases):
        image = np.asarray(fn(canvas))
        if image.shape != INPUT_SHAPE[:2]:
            return Verdict(False, tr("check.preprocessing.shape", number=number, shape=image.shape))
        if not (np.isfinite(image).all() and image.min() >= 0 and image.max() <= 1):
            return Verdict(
                False,
                tr("check.preprocessing.values", number=number, low=f"{image.min():.3g}",
                   high=f"{image.max():.3g}"),
            )
        yours.append(image.astype(np.float32))
        theirs.append(canvas_to_mnist(canvas))
    yours, theirs = np.stack(yours), np.stack(theirs)
    differences = np.abs(yours - theirs).mean(axis=(1, 2))
    worst = int(differences.argmax())
    summary = tr(
        "check.preprocessing.summary", mean=f"{differences.mean():.4f}", worst=worst,
        worst_mean=f"{differences[worst]:.4f}", n=len(canvases),
    )
    if differences[worst] > tolerance:
        return Verdict(
            False,
            tr("check.preprocessing.too_far", summary=summary, tolerance=tolerance, worst=worst),
        )
    if predictor is not None:
        agree = predictor.predict_proba(yours).argmax(1) == predictor.predict_proba(theirs).argmax(
            1
        )
        if not agree.all():
            return Verdict(
                False,
                tr("check.preprocessing.disagree", summary=summary,
                   canvases=np.flatnonzero(~agree).tolist()),
            )
        summary = tr("check.preprocessing.same", summary=summary)
    return Verdict(True, summary)
