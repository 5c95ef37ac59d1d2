"""The exercise checks pass right answers and fail wrong ones with a useful message."""

from __future__ import annotations

import inspect

import keras
import numpy as np
import pytest
from fake_models import tiny_cnn
from PIL import Image

from digitlab import checks
from digitlab.checks import (
    Verdict,
    check_in_range,
    check_most_confused,
    check_output_shapes,
    check_param_count,
    check_preprocessing,
    most_confused_pairs,
)
from digitlab.preprocess import canvas_to_mnist, ink_map, naive_squash


def small_cnn():
    return tiny_cnn(filters=8, kernel=5)


def learners_preprocessing(canvas, centre_by_mass=True, resample=Image.Resampling.BOX):
    """What lesson 05's exercise asks for, written as a learner would (about 15 lines)."""
    ink = ink_map(canvas)
    rows, cols = np.nonzero(ink)
    crop = ink[rows.min() : rows.max() + 1, cols.min() : cols.max() + 1]
    scale = 20 / max(crop.shape)
    size = (max(1, round(crop.shape[1] * scale)), max(1, round(crop.shape[0] * scale)))
    small = np.asarray(Image.fromarray(crop).resize(size, resample))
    small = small / small.max()
    h, w = small.shape
    if centre_by_mass:
        cy = (small.sum(axis=1) * np.arange(h)).sum() / small.sum()
        cx = (small.sum(axis=0) * np.arange(w)).sum() / small.sum()
    else:  # centre the box instead: the usual mistake
        cy, cx = (h - 1) / 2, (w - 1) / 2
    top = int(np.clip(round(14 - cy), 0, 28 - h))
    left = int(np.clip(round(14 - cx), 0, 28 - w))
    out = np.zeros((28, 28), np.float32)
    out[top : top + h, left : left + w] = small
    return out


def test_verdict_shows_a_tick_or_a_cross_and_is_truthy_when_passed():
    assert repr(Verdict(True, "fine")) == "✔ fine" and Verdict(True, "x")
    assert str(Verdict(False, "no")) == "✘ no" and not Verdict(False, "no")


def test_param_count():
    model = small_cnn()  # conv 5*5*1*8 + 8 = 208; dense 12*12*8*10 + 10 = 11,530
    assert check_param_count(model, 11_738).message == "11,738 parameters, as expected"
    wrong = check_param_count(model, 11_730)
    assert not wrong
    assert (
        "off by +8" in wrong.message
        and "conv 208" in wrong.message
        and "out 11,530" in wrong.message
    )


def test_output_shapes():
    model = small_cnn()
    assert check_output_shapes(model, [(24, 24, 8), (12, 12, 8), (1152,), (10,)])
    wrong = check_output_shapes(model, [(24, 24, 8), (11, 11, 8), (968,), (10,)])
    assert (
        not wrong
        and wrong.message == "pool (MaxPooling2D) outputs (12, 12, 8), you expected (11, 11, 8)"
    )
    assert "4 layers, you gave 2" in check_output_shapes(model, [(24, 24, 8), (10,)]).message


def test_in_range():
    assert check_in_range("untrained loss", np.log(10), 2.0, 2.6)
    low = check_in_range("accuracy", 0.9, 0.97, 0.99, hint="train longer")
    assert not low and low.message == "accuracy 0.9 is below the expected 0.97-0.99: train longer"
    assert "above" in check_in_range("loss", 3, 2, 2.5).message
    assert "diverged" in check_in_range("loss", float("nan"), 0, 1).message


def test_most_confused():
    confusion = np.diag([50] * 10)
    confusion[4, 9] = 7
    confusion[9, 4] = 7
    confusion[3, 5] = 2
    assert most_confused_pairs(confusion) == [(4, 9), (9, 4)]
    assert check_most_confused(confusion, (9, 4))
    wrong = check_most_confused(confusion, (3, 5))
    assert (
        not wrong
        and "3 read as 5 happens 2 times, but 4 read as 9 happens 7 times" in wrong.message
    )
    with pytest.raises(ValueError, match="square"):
        most_confused_pairs(np.zeros((2, 3)))


def test_preprocessing_passes_a_correct_rewrite_and_fails_the_usual_mistakes():
    assert check_preprocessing(canvas_to_mnist).message.startswith("mean pixel difference 0.0000")
    verdict = check_preprocessing(learners_preprocessing)
    assert verdict, verdict
    assert check_preprocessing(  # another anti-aliased resize is close enough
        lambda c: learners_preprocessing(c, resample=Image.Resampling.BILINEAR)
    )
    overshoot = check_preprocessing(  # Lanczos rings below 0
        lambda c: learners_preprocessing(c, resample=Image.Resampling.LANCZOS)
    )
    assert not overshoot and "np.clip(image, 0, 1)" in overshoot.message
    no_anti_aliasing = check_preprocessing(
        lambda c: learners_preprocessing(c, resample=Image.Resampling.NEAREST)
    )
    assert not no_anti_aliasing and "worst: canvas 0" in no_anti_aliasing.message
    assert not check_preprocessing(lambda c: learners_preprocessing(c, centre_by_mass=False))
    squashed = check_preprocessing(naive_squash)
    assert not squashed and "centre of mass at (14, 14)" in squashed.message
    assert (
        "expected a (28, 28) image, got (20, 20)"
        in check_preprocessing(lambda c: np.zeros((20, 20))).message
    )
    assert "[0, 1]" in check_preprocessing(lambda c: canvas_to_mnist(c) * 255).message


def template_predictor():
    """Reads each sample digit by matching it with the ten canvas_to_mnist templates."""
    from digitlab.checks import _default_canvases
    from digitlab.predict import Predictor

    templates = np.stack([canvas_to_mnist(c).ravel() for c in _default_canvases()])
    layer = keras.layers.Dense(10, activation="softmax")
    model = keras.Sequential([keras.Input((28, 28, 1)), keras.layers.Flatten(), layer])
    layer.set_weights([20 * templates.T / np.linalg.norm(templates, axis=1), np.zeros(10)])
    return Predictor(model)


def test_preprocessing_with_a_predictor_compares_predictions():
    predictor = template_predictor()
    verdict = check_preprocessing(learners_preprocessing, predictor=predictor)
    assert verdict and verdict.message.endswith("same predictions")
    differently = check_preprocessing(naive_squash, predictor=predictor, tolerance=1.0)
    assert not differently and "the model reads canvases [" in differently.message


# Every check a lesson calls, with one right and one wrong answer: the right one must pass,
# the wrong one must fail. A new check in digitlab.checks needs a row here (the test below).
RIGHT_AND_WRONG = {
    "check_param_count": (lambda: (small_cnn(), 11_738), lambda: (small_cnn(), 11_530)),
    "check_in_range": (lambda: ("gap", 0.012, 0.0, 0.03), lambda: ("gap", -0.004, 0.0, 0.03)),
    "check_most_confused": (
        lambda: (np.diag([9] * 10) + np.eye(10, k=1, dtype=int) * 3, (0, 1)),
        lambda: (np.diag([9] * 10) + np.eye(10, k=1, dtype=int) * 3, (1, 0)),
    ),
    "check_output_shapes": (
        lambda: (small_cnn(), [(24, 24, 8), (12, 12, 8), (1152,), (10,)]),
        lambda: (small_cnn(), [(28, 28, 8), (14, 14, 8), (1568,), (10,)]),
    ),
    "check_preprocessing": (lambda: (canvas_to_mnist,), lambda: (naive_squash,)),
}


def test_every_check_has_a_right_and_a_wrong_answer_below():
    defined = {
        name
        for name, function in inspect.getmembers(checks, inspect.isfunction)
        if name.startswith("check_") and function.__module__ == checks.__name__
    }
    assert defined == set(RIGHT_AND_WRONG)


@pytest.mark.parametrize("name", sorted(RIGHT_AND_WRONG))
def test_a_check_passes_the_right_answer_and_fails_a_wrong_one(name):
    check = getattr(checks, name)
    right, wrong = RIGHT_AND_WRONG[name]
    passed, failed = check(*right()), check(*wrong())
    assert isinstance(passed, Verdict) and passed, passed
    assert isinstance(failed, Verdict) and not failed, failed
    assert repr(passed).startswith("✔") and repr(failed).startswith("✘")
