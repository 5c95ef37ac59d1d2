"""Model builders: the dense baseline, the course CNN, and the reference architectures.

Each builder is plain Keras read top to bottom, one comment per layer: a
`keras.Sequential` that starts with `keras.Input((28, 28, 1))` and ends in a softmax over
the 10 digits, named as its builder's key in `MODELS`. They return uncompiled models;
`digitlab.train.train` (or your own `model.compile` and `model.fit`) trains them with
integer labels.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import keras
from keras import layers

from digitlab.config import INPUT_SHAPE, N_CLASSES
from digitlab.train import seed_globally


def _conv_bn_relu(
    filters: int,
    kernel_size: int,
    *,
    batch_norm: bool = True,
    bn_momentum: float = 0.99,
    padding: str = "same",
) -> list[keras.layers.Layer]:
    """One convolution as layers for a `keras.Sequential`: with `batch_norm`, Conv2D (no
    bias: batch norm adds its own) -> BatchNormalization -> ReLU; else Conv2D with a ReLU.
    """
    if not batch_norm:
        return [layers.Conv2D(filters, kernel_size, padding=padding, activation="relu")]
    return [
        layers.Conv2D(filters, kernel_size, padding=padding, use_bias=False),
        layers.BatchNormalization(momentum=bn_momentum),  # rescale each map to a steady range
        layers.ReLU(),  # max(0, x): keep what the filter found, drop the rest
    ]


def _dense_top(dropout: float | None, last_dropout: float | None) -> list[keras.layers.Layer]:
    """The top that cnn_plus and references B to E put on their convolutions, as layers for
    a `keras.Sequential`: the maps as one vector -> dropout -> Dense(128) with a ReLU ->
    dropout -> softmax; a rate of None leaves that dropout out. Lesson 04.
    """
    return [
        layers.Flatten(),  # all maps as one vector
        *([] if dropout is None else [layers.Dropout(dropout)]),  # only while training
        layers.Dense(128, activation="relu"),  # combine the parts into digits
        *([] if last_dropout is None else [layers.Dropout(last_dropout)]),
        layers.Dense(N_CLASSES, activation="softmax"),  # 10 probabilities
    ]


def build_dense(units: Sequence[int] = (128, 64, 64), dropout: float = 0.1) -> keras.Model:
    """The dense baseline of the course assignment (SEEDS.md B, 96.7% there). Lesson 02.

    Flatten -> per entry of `units` a Dense layer with ReLU, then dropout -> softmax.

    Parameters
    ----------
    units : the width of each hidden layer, first to last.
    dropout : the fraction of each hidden layer's outputs dropped while training.
    """
    hidden = []
    for n in units:
        hidden += [
            layers.Dense(n, activation="relu"),  # every input to every unit, then max(0, x)
            layers.Dropout(dropout),  # silence a random `dropout` share while training
        ]
    return keras.Sequential(
        [
            keras.Input(INPUT_SHAPE),  # a 28x28 grey image
            layers.Flatten(),  # its 28 rows end to end: 784 numbers
            *hidden,
            layers.Dense(N_CLASSES, activation="softmax"),  # 10 probabilities summing to 1
        ],
        name="dense",
    )


def build_cnn(
    filters: Sequence[int] = (16, 32),
    kernel_size: int = 5,
    dense_units: int = 128,
    dropout: float = 0.25,
    batch_norm: bool = False,
    bn_momentum: float = 0.9,
) -> keras.Model:
    """The course CNN: the assignment's CNN (SEEDS.md B) with dropout on both sides of its
    dense layer. Lesson 03.

    Per entry of `filters` a 5x5 convolution with a ReLU -> 2x2 max-pool, then dropout ->
    Dense(128) -> dropout -> softmax. Small first layers keep an epoch cheap on a 2-core
    CPU. No batch normalization by default: on this small network it did not raise the
    validation accuracy beyond the seeds' spread and made each training step about a third
    slower here (README, "Choosing the recipes"). With `batch_norm=True` each convolution is
    followed by batch norm, whose running averages move 10% a step (`bn_momentum=0.9`;
    Keras's default 0.99 moves them 1%, too slowly for small training sets: lesson 04).

    Parameters
    ----------
    filters : the number of filters of each convolution; each is followed by a 2x2 pool.
    kernel_size : the side of each filter, in pixels.
    dense_units : the width of the dense layer before the softmax.
    dropout : the rate of both dropout layers.
    batch_norm : batch normalization after each convolution.
    bn_momentum : with `batch_norm`, how slowly its running averages move.
    """
    convolutions = []
    for n in filters:
        convolutions += [
            *_conv_bn_relu(n, kernel_size, batch_norm=batch_norm, bn_momentum=bn_momentum),
            layers.MaxPooling2D(2),  # keep the strongest response per 2x2: half the size
        ]
    return keras.Sequential(
        [
            keras.Input(INPUT_SHAPE),  # a 28x28 grey image
            *convolutions,  # 28x28 -> 14x14 (16 maps) -> 7x7 (32 maps)
            layers.Flatten(),  # all maps as one vector: 7 * 7 * 32 = 1,568 numbers
            layers.Dropout(dropout),  # drop 25% while training: no unit can rely on one input
            layers.Dense(dense_units, activation="relu"),  # combine the parts into digits
            layers.Dropout(dropout),
            layers.Dense(N_CLASSES, activation="softmax"),  # 10 probabilities
        ],
        name="cnn",
    )


def build_cnn_plus() -> keras.Model:
    """The shipped model: the course CNN one block deeper and wider. Lesson 05.

    Trained with augmentation by `digitlab train --model cnn_plus` (command in the README).
    """
    return keras.Sequential(
        [
            keras.Input(INPUT_SHAPE),
            *_conv_bn_relu(32, 5),  # 32 filters of 5x5
            layers.MaxPooling2D(2),  # -> 14x14
            *_conv_bn_relu(64, 3),  # two 3x3 convolutions see 5x5 with fewer weights
            *_conv_bn_relu(64, 3),
            layers.MaxPooling2D(2),  # -> 7x7
            *_conv_bn_relu(128, 3),
            layers.MaxPooling2D(2),  # -> 3x3: 3 * 3 * 128 = 1,152 numbers
            *_dense_top(dropout=0.25, last_dropout=0.25),  # as in the course CNN
        ],
        name="cnn_plus",
    )


def build_tfjs_cnn() -> keras.Model:
    """Reference A (SEEDS.md), the TensorFlow.js in-browser recognizer. Lesson 04."""
    return keras.Sequential(
        [
            keras.Input(INPUT_SHAPE),
            layers.Conv2D(16, 3, activation="relu"),  # 16 filters of 3x3, no padding: 26x26
            layers.MaxPooling2D(2),  # -> 13x13
            layers.Conv2D(32, 3, activation="relu"),  # -> 11x11
            layers.MaxPooling2D(2),  # -> 5x5
            layers.Conv2D(32, 3, activation="relu"),  # -> 3x3
            layers.Flatten(),
            layers.Dense(64, activation="relu"),
            layers.Dense(N_CLASSES, activation="softmax"),
        ],
        name="tfjs_cnn",
    )


def _two_conv_cnn(
    name: str,
    filters: tuple[int, int],
    kernel_sizes: tuple[int, int],
    padding: str,
    dropout: float | None,
) -> keras.Model:
    """References B, C and D (SEEDS.md) share one shape, and lesson 04's table lists them
    by the numbers they differ in: two convolutions, each followed by a 2x2 max-pool, then
    the dense top with at most one dropout (`_dense_top`). Their builders below give the
    numbers their write-ups used.

    Parameters
    ----------
    name : the model's name, the key of `MODELS`.
    filters : the number of filters of the first and the second convolution.
    kernel_sizes : the side of their filters, in pixels.
    padding : "same" keeps each map's size through a convolution, "valid" trims its border.
    dropout : the rate of the dropout before the dense layer; None: no dropout layer.
    """
    return keras.Sequential(
        [
            keras.Input(INPUT_SHAPE),  # a 28x28 grey image
            layers.Conv2D(filters[0], kernel_sizes[0], padding=padding, activation="relu"),
            layers.MaxPooling2D(2),  # keep the strongest response per 2x2: half the size
            layers.Conv2D(filters[1], kernel_sizes[1], padding=padding, activation="relu"),
            layers.MaxPooling2D(2),  # half the size again
            *_dense_top(dropout=dropout, last_dropout=None),
        ],
        name=name,
    )


def build_assignment_cnn() -> keras.Model:
    """Reference B (SEEDS.md), the course assignment's CNN (99.43% after 50 epochs there).

    Lesson 04. 16 then 32 filters of 5x5, zero-padded (28x28 -> 14x14 -> 7x7 after the
    pools), dropout 0.5 before Dense(128).
    """
    return _two_conv_cnn("assignment_cnn", filters=(16, 32), kernel_sizes=(5, 5),
                         padding="same", dropout=0.5)


def build_browser_cnn() -> keras.Model:
    """Reference C (SEEDS.md), "Python trains, browser predicts" (98.5% there). Lesson 04.

    32 then 64 filters of 5x5, zero-padded (28x28 -> 14x14 -> 7x7 after the pools), no
    dropout. The write-up does not give the dense width; 128 as in the others.
    """
    return _two_conv_cnn("browser_cnn", filters=(32, 64), kernel_sizes=(5, 5),
                         padding="same", dropout=None)


def build_own_images_cnn() -> keras.Model:
    """Reference D (SEEDS.md), the Keras CNN tried on the author's own images (99.19%).

    Lesson 04. 32 filters of 5x5 then 32 of 3x3, no padding (28x28 -> 24x24, pooled to
    12x12 -> 10x10, pooled to 5x5), dropout 0.2 before Dense(128).
    """
    return _two_conv_cnn("own_images_cnn", filters=(32, 32), kernel_sizes=(5, 3),
                         padding="valid", dropout=0.2)


def build_keras_example() -> keras.Model:
    """Reference E (SEEDS.md), the Keras MNIST example (about 99.2%). Lesson 04.

    The course CNN is timed against it (`benchmarks/training.py`).
    """
    return keras.Sequential(
        [
            keras.Input(INPUT_SHAPE),
            layers.Conv2D(32, 3, activation="relu"),  # 32 filters of 3x3, no padding: 26x26
            layers.Conv2D(64, 3, activation="relu"),  # -> 24x24, no pooling in between
            layers.MaxPooling2D(2),  # -> 12x12: 12 * 12 * 64 = 9,216 numbers
            *_dense_top(dropout=0.25, last_dropout=0.5),
        ],
        name="keras_example",
    )


def build_keras_io_convnet() -> keras.Model:
    """The current keras.io example "Simple MNIST convnet" (about 99% test there). Lesson 04.

    The reference people use today, 34,826 parameters against the legacy example's 1.2
    million; `benchmarks/training.py` trains it with its own recipe (Adam, batch 128, 15 epochs).
    """
    return keras.Sequential(
        [
            keras.Input(INPUT_SHAPE),
            layers.Conv2D(32, 3, activation="relu"),  # 32 filters of 3x3, no padding: 26x26
            layers.MaxPooling2D(2),  # -> 13x13
            layers.Conv2D(64, 3, activation="relu"),  # 64 filters of 3x3: 11x11
            layers.MaxPooling2D(2),  # -> 5x5
            layers.Flatten(),  # 5 * 5 * 64 = 1,600 numbers
            layers.Dropout(0.5),  # silence half of them while training
            layers.Dense(N_CLASSES, activation="softmax"),  # straight to the ten digits
        ],
        name="keras_io_convnet",
    )


MODELS: dict[str, Callable[[], keras.Model]] = {
    "dense": build_dense,
    "cnn": build_cnn,
    "cnn_plus": build_cnn_plus,
    "tfjs_cnn": build_tfjs_cnn,
    "assignment_cnn": build_assignment_cnn,
    "browser_cnn": build_browser_cnn,
    "own_images_cnn": build_own_images_cnn,
    "keras_example": build_keras_example,
    "keras_io_convnet": build_keras_io_convnet,
}
"""Every model of the course by name: ours (dense, cnn, cnn_plus), references A-E and
the current keras.io example. Lesson 04."""

REFERENCES = ("tfjs_cnn", "assignment_cnn", "browser_cnn", "own_images_cnn", "keras_example")
"""The names of the five reference architectures of SEEDS.md (A-E). Lesson 04."""


def build(name: str, seed: int | None = 0) -> keras.Model:
    """Build the model registered as `name` in `MODELS`, its initial weights fixed by `seed`.

    Lesson 03 (lesson 04 compares them all).

    Parameters
    ----------
    name : a key of `MODELS`.
    seed : fixes the initial weights by calling `digitlab.train.seed_globally(seed)` first,
        which reseeds Python, NumPy and TensorFlow for the whole process (Keras draws
        initial weights from one global generator); None leaves the global state alone.
    """
    if name not in MODELS:
        raise ValueError(f"unknown model {name!r}; choose one of {', '.join(MODELS)}")
    if seed is not None:
        seed_globally(seed)
    return MODELS[name]()
