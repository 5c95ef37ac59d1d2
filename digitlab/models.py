"""Model builders: the dense baseline, the course CNN, and the reference architectures.

Every builder returns an uncompiled `keras.Model` that starts with `keras.Input((28, 28, 1))`
and ends in a softmax over the 10 digits; `digitlab.train.train` compiles and fits it with
sparse integer labels. Lessons 02 (dense), 03 (CNN) and 04 (the comparison of `MODELS`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import keras
from keras import layers

INPUT_SHAPE = (28, 28, 1)
N_CLASSES = 10


def _conv(
    x,
    filters: int,
    kernel_size: int,
    name: str,
    *,
    batch_norm: bool,
    padding="same",
    bn_momentum: float = 0.99,
):
    """Conv -> ReLU, or conv (no bias) -> batch norm -> ReLU."""
    if not batch_norm:
        return layers.Conv2D(filters, kernel_size, padding=padding, activation="relu", name=name)(x)
    x = layers.Conv2D(filters, kernel_size, padding=padding, use_bias=False, name=name)(x)
    x = layers.BatchNormalization(momentum=bn_momentum, name=f"{name}_bn")(x)
    return layers.ReLU(name=f"{name}_relu")(x)


def _pool(x, name: str):
    return layers.MaxPooling2D(2, name=name)(x)


Spec = Sequence[tuple[int, int] | str]
"""Layers in order: `(filters, kernel_size)` for a conv block, `"pool"` for 2x2 max-pool."""


def _network(
    name: str,
    spec: Spec,
    units: Sequence[int],
    dropout: Sequence[float],
    *,
    padding: str = "same",
    batch_norm: bool = False,
    bn_momentum: float = 0.99,
) -> keras.Model:
    """The input, the conv blocks and pools `spec` lists, then `_head`."""
    inputs = keras.Input(INPUT_SHAPE, name="image")
    x = inputs
    for i, layer in enumerate(spec):
        if layer == "pool":
            x = _pool(x, f"pool_{i}")
        else:
            filters, kernel_size = layer
            x = _conv(
                x,
                filters,
                kernel_size,
                f"conv_{i}",
                batch_norm=batch_norm,
                padding=padding,
                bn_momentum=bn_momentum,
            )
    return _head(inputs, x, name, units, dropout)


def _head(inputs, x, name: str, units: Sequence[int], dropout: Sequence[float]) -> keras.Model:
    """Flatten -> [Dropout] -> Dense(relu) per unit count -> [Dropout] -> Dense(10, softmax).

    `dropout` holds `len(units) + 1` rates: before each dense layer, then before the output.
    """
    if len(dropout) != len(units) + 1:
        raise ValueError(f"expected {len(units) + 1} dropout rates, got {len(dropout)}")
    x = layers.Flatten(name="flatten")(x)
    for i, n in enumerate(units):
        if dropout[i]:
            x = layers.Dropout(dropout[i], name=f"dropout_{i}")(x)
        x = layers.Dense(n, activation="relu", name=f"dense_{i}")(x)
    if dropout[-1]:
        x = layers.Dropout(dropout[-1], name="dropout_out")(x)
    outputs = layers.Dense(N_CLASSES, activation="softmax", name="probabilities")(x)
    return keras.Model(inputs, outputs, name=name)


def build_dense(units: Sequence[int] = (128, 64, 64), dropout: float = 0.1) -> keras.Model:
    """The dense baseline: Flatten -> Dense 128/64/64 (ReLU) -> softmax, as in the course
    assignment (SEEDS.md B, 96.7% there), with dropout after each hidden layer.

    Lesson 02 (dense baseline).
    """
    inputs = keras.Input(INPUT_SHAPE, name="image")
    return _head(inputs, inputs, "dense", units, [0.0] + [dropout] * len(units))


def build_cnn(
    filters: Sequence[int] = (16, 32),
    kernel_size: int = 5,
    dense_units: int = 128,
    dropout: float = 0.4,
    batch_norm: bool = True,
    bn_momentum: float = 0.9,
) -> keras.Model:
    """The course CNN: per filter count a 5x5 conv -> batch norm -> ReLU -> 2x2 max-pool,
    then dropout -> Dense(128) -> dropout -> softmax.

    The assignment's CNN (SEEDS.md B) with batch norm and dropout on both dense layers;
    small first layers keep an epoch near 10 s on a 2-core CPU. Batch norm's running
    averages move 10% a step (`bn_momentum=0.9`, Keras's default is 0.99), so they settle
    within a few dozen steps: small training sets work too. Lesson 03 (CNN with dropout).
    """
    spec = [layer for f in filters for layer in ((f, kernel_size), "pool")]
    return _network(
        "cnn",
        spec,
        [dense_units],
        [dropout, dropout],
        batch_norm=batch_norm,
        bn_momentum=bn_momentum,
    )


def build_cnn_plus() -> keras.Model:
    """The shipped model: the course CNN one block deeper and wider. A 5x5 conv of 32
    filters, two 3x3 convs of 64, one 3x3 conv of 128 (each with batch norm and ReLU, a
    2x2 max-pool after each width), then dropout -> Dense(128) -> dropout -> softmax.

    Trained with augmentation by `digitlab train --model cnn_plus` (command in the README).
    Lessons 05 (save, load and your images) and 06 (live drawing) use it.
    """
    spec = [(32, 5), "pool", (64, 3), (64, 3), "pool", (128, 3), "pool"]
    return _network("cnn_plus", spec, [128], [0.25, 0.25], batch_norm=True)


def build_tfjs_cnn() -> keras.Model:
    """Reference A (SEEDS.md), the TensorFlow.js in-browser recognizer: Conv(16, 3x3) ->
    MaxPool -> Conv(32, 3x3) -> MaxPool -> Conv(32, 3x3) -> Dense(64) -> softmax.

    Lesson 04 (comparing models).
    """
    spec = [(16, 3), "pool", (32, 3), "pool", (32, 3)]
    return _network("tfjs_cnn", spec, [64], [0.0, 0.0], padding="valid")


def build_assignment_cnn() -> keras.Model:
    """Reference B (SEEDS.md), the course assignment's CNN (99.43% after 50 epochs there):
    Conv(16, 5x5) -> MaxPool -> Conv(32, 5x5) -> MaxPool -> Dropout(0.5) -> Dense(128).

    Lesson 04 (comparing models).
    """
    spec = [(16, 5), "pool", (32, 5), "pool"]
    return _network("assignment_cnn", spec, [128], [0.5, 0.0])


def build_browser_cnn() -> keras.Model:
    """Reference C (SEEDS.md), "Python trains, browser predicts" (98.5% there):
    Conv(32, 5x5) -> MaxPool -> Conv(64, 5x5) -> MaxPool -> Dense -> softmax.

    The write-up does not give the dense width; 128 as in the others. Lesson 04.
    """
    spec = [(32, 5), "pool", (64, 5), "pool"]
    return _network("browser_cnn", spec, [128], [0.0, 0.0])


def build_own_images_cnn() -> keras.Model:
    """Reference D (SEEDS.md), the Keras CNN tried on the author's own images (99.19%):
    Conv(32, 5x5) -> MaxPool -> Conv(32, 3x3) -> MaxPool -> Dropout(0.2) -> Dense(128).

    Lesson 04 (comparing models).
    """
    spec = [(32, 5), "pool", (32, 3), "pool"]
    return _network("own_images_cnn", spec, [128], [0.2, 0.0], padding="valid")


def build_keras_example() -> keras.Model:
    """Reference E (SEEDS.md), the Keras MNIST example (about 99.2%): Conv(32, 3x3) ->
    Conv(64, 3x3) -> MaxPool -> Dropout(0.25) -> Dense(128) -> Dropout(0.5) -> softmax.

    About 50 s per epoch on a 2-core CPU: the reference the course CNN is timed against.
    Lesson 04 (comparing models).
    """
    spec = [(32, 3), (64, 3), "pool"]
    return _network("keras_example", spec, [128], [0.25, 0.5], padding="valid")


MODELS: dict[str, Callable[[], keras.Model]] = {
    "dense": build_dense,
    "cnn": build_cnn,
    "cnn_plus": build_cnn_plus,
    "tfjs_cnn": build_tfjs_cnn,
    "assignment_cnn": build_assignment_cnn,
    "browser_cnn": build_browser_cnn,
    "own_images_cnn": build_own_images_cnn,
    "keras_example": build_keras_example,
}
"""Every model of the course by name: ours (dense, cnn, cnn_plus) and references A-E."""

REFERENCES = ("tfjs_cnn", "assignment_cnn", "browser_cnn", "own_images_cnn", "keras_example")


def build(name: str, seed: int | None = 0) -> keras.Model:
    """Build the model registered as `name` in `MODELS`, its initial weights fixed by `seed`
    (None: random). Lesson 04 (comparing models).
    """
    if name not in MODELS:
        raise ValueError(f"unknown model {name!r}; choose one of {', '.join(MODELS)}")
    if seed is not None:
        keras.utils.set_random_seed(seed)
    return MODELS[name]()
