"""Probability rows and tiny Keras models with known answers, shared by the tests (the
predictor and widget tests, the `sure_seven` and `unsure` fixtures in conftest.py, the
calibration and plot tests) or just small (`tiny_cnn`). Keras is imported only by the
functions that build a model, so numpy-only tests stay light."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from digitlab.predict import Predictor

if TYPE_CHECKING:
    import keras


def answers(best: int | Sequence[int], probability: float) -> np.ndarray:
    """Ten probabilities: `probability` on `best`, the rest shared equally; for a sequence of
    digits, one such row per digit."""
    rows = np.atleast_1d(best)
    probabilities = np.full((len(rows), 10), (1 - probability) / 9)
    probabilities[np.arange(len(rows)), rows] = probability
    return probabilities if np.ndim(best) else probabilities[0]


def fixed_model(probabilities) -> keras.Model:
    """A model that ignores its input and always answers `probabilities`."""
    import keras

    return keras.Sequential(
        [
            keras.Input((28, 28, 1)),
            keras.layers.Flatten(),
            keras.layers.Dense(
                10,
                activation="softmax",
                kernel_initializer="zeros",
                bias_initializer=keras.initializers.Constant(np.log(probabilities)),
            ),
        ]
    )


def tiny_cnn(filters: int = 4, kernel: int = 3) -> keras.Model:
    """An untrained CNN small enough to build in a blink: conv (by default 4 filters of 3x3,
    26x26 maps), pool, flat, out. Its answers are arbitrary but depend on the input."""
    import keras

    return keras.Sequential(
        [
            keras.Input((28, 28, 1)),
            keras.layers.Conv2D(filters, kernel, activation="relu", name="conv"),
            keras.layers.MaxPooling2D(name="pool"),
            keras.layers.Flatten(name="flat"),
            keras.layers.Dense(10, activation="softmax", name="out"),
        ]
    )


def fixed_predictor(best: int, probability: float, threshold: float = 0.5) -> Predictor:
    """A Predictor that always gives `best` with `probability`."""
    return Predictor(fixed_model(answers(best, probability)), threshold=threshold)
