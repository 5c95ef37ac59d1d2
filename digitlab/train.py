"""Training: Keras's compile + fit, plus a tf.data pipeline, a warm-up + cosine learning
rate and optional augmentation.

Introduced in lesson 02 (dense baseline), after the lesson has trained with `model.fit`
itself; lessons 03 and 04 train CNNs with it, and `digitlab train` and
`benchmarks/training.py` call it too. `train` depends only on its arguments. No XLA
(`jit_compile`): on a CPU it is about 4x slower here.

Seeding is global in Keras (initial weights and dropout draw from one process-wide
generator), so it happens in one named place, `seed_globally`, which `train(seed=...)` and
`digitlab.models.build(seed=...)` call; `seed=None` leaves the global state alone.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import keras
import numpy as np
import tensorflow as tf

from digitlab.data import normalize_images

FLOAT32_SLACK = 1e-6  # metrics are float32: 0.992 is stored as 0.99199998

Augment = bool | Callable[[tf.Tensor], tf.Tensor]
"""False, True (the distortions of `augmenter()`), or a function of a batch of images."""


@dataclass
class TrainResult:
    """What a training run gives back: per-epoch metrics and how long it took. Lesson 02.

    `history` maps `loss`, `accuracy` (and `val_loss`, `val_accuracy` when validation data
    was given) to one value per epoch; `epoch_seconds` is the cumulative training time at
    the end of each epoch, validation excluded; `seconds` is the total.
    `epoch_cpu_seconds` is the same in CPU seconds of this process (all its threads),
    which other programs sharing the machine disturb much less than the clock on the wall.
    """

    history: dict[str, list[float]]
    epoch_seconds: list[float] = field(default_factory=list)
    epoch_cpu_seconds: list[float] = field(default_factory=list)

    @property
    def seconds(self) -> float:
        return self.epoch_seconds[-1] if self.epoch_seconds else 0.0

    def seconds_to_reach(self, metric: str, value: float, *, cpu: bool = False) -> float | None:
        """Training seconds (CPU seconds with `cpu`) until `metric` first reached `value` at
        an epoch end, or None.

        Keras keeps metrics in float32, where 4,960 of 5,000 right is 0.99199998: a value
        within float32 rounding (1e-6) of `value` counts as reaching it.
        """
        clock = self.epoch_cpu_seconds if cpu else self.epoch_seconds
        for seconds, reached in zip(clock, self.history.get(metric, []), strict=False):
            if reached >= value - FLOAT32_SLACK:
                return seconds
        return None


class _Clock(keras.callbacks.Callback):
    """Cumulative training time at each epoch end by `timer`, without the time validating."""

    def __init__(self, timer: Callable[[], float]) -> None:
        super().__init__()
        self.timer = timer
        self.epoch_seconds: list[float] = []
        self._elapsed = 0.0

    def on_epoch_begin(self, epoch, logs=None):
        self._start = self.timer()

    def on_test_begin(self, logs=None):
        self._elapsed += self.timer() - self._start

    def on_test_end(self, logs=None):
        self._start = self.timer()

    def on_epoch_end(self, epoch, logs=None):
        self._elapsed += self.timer() - self._start
        self._start = self.timer()
        self.epoch_seconds.append(self._elapsed)


def seed_globally(seed: int) -> None:
    """Fix the random numbers of everything that follows from `seed`, for the whole process.

    This sets global state, on purpose: Python's `random`, NumPy's global generator and
    TensorFlow's (`keras.utils.set_random_seed`: Keras's initial weights, dropout masks,
    augmentation) are reseeded, and TensorFlow's ops are made deterministic
    (`tf.config.experimental.enable_op_determinism`), which stays on until Python exits.
    `train(seed=s)` and `build(name, seed=s)` call it; pass `seed=None` to them instead to
    keep the current global state.
    """
    keras.utils.set_random_seed(seed)
    tf.config.experimental.enable_op_determinism()


def augmenter(seed: int | None = 0) -> keras.Sequential:
    """Small, digit-preserving distortions: rotation <= 10 degrees, shift and zoom <= 10%.

    Lesson 03 (CNN with dropout) shows what it does to a few digits; `train(...,
    augment=True)` applies it to every training batch.
    """
    fill = {"fill_mode": "constant", "fill_value": 0.0}
    return keras.Sequential(
        [
            keras.layers.RandomRotation(10 / 360, seed=seed, **fill),
            keras.layers.RandomTranslation(0.1, 0.1, seed=_offset(seed, 1), **fill),
            keras.layers.RandomZoom(0.1, seed=_offset(seed, 2), **fill),
        ],
        name="augment",
    )


def _offset(seed: int | None, by: int) -> int | None:
    return None if seed is None else seed + by


def make_dataset(
    x: np.ndarray,
    y: np.ndarray,
    *,
    batch_size: int = 128,
    shuffle: bool = True,
    augment: Augment = False,
    seed: int | None = 0,
) -> tf.data.Dataset:
    """The input pipeline: cache -> shuffle (before batching) -> batch -> [augment] -> prefetch.

    Lesson 02 (dense baseline).

    Parameters
    ----------
    x, y : images (uint8 or float in [0, 1]) and integer labels.
    batch_size : images per batch.
    shuffle : reshuffle the images every epoch, seeded by `seed` (None: unseeded).
    augment : False; True for `augmenter(seed)`; or a function called on each batch of
        float32 (B, 28, 28, 1) images inside the pipeline (a TensorFlow graph: use
        TensorFlow or Keras ops, or wrap NumPy code in `tf.numpy_function`) that returns
        images of the same shape.

    Returns
    -------
    A `tf.data.Dataset` of `(images, labels)` batches, images float32 (B, 28, 28, 1).
    """
    ds = tf.data.Dataset.from_tensor_slices((normalize_images(x), np.asarray(y))).cache()
    if shuffle:
        ds = ds.shuffle(len(x), seed=seed, reshuffle_each_iteration=True)
    ds = ds.batch(batch_size)
    distort = _augmentation(augment, seed)
    if distort is not None:
        ds = ds.map(
            lambda images, labels: (distort(images), labels),
            num_parallel_calls=tf.data.AUTOTUNE,
        )
    return ds.prefetch(tf.data.AUTOTUNE)


def _augmentation(augment: Augment, seed: int | None) -> Callable[[tf.Tensor], tf.Tensor] | None:
    """The function `make_dataset` maps over the batches, or None for no augmentation."""
    if augment is True:
        layer = augmenter(seed)
        return lambda images: layer(images, training=True)
    if augment is False:
        return None
    if callable(augment):
        return augment
    raise TypeError(
        f"augment must be False, True or a function of a batch of images, got {augment!r}"
    )


def learning_rate_schedule(
    peak: float, total_steps: int, warmup_fraction: float = 0.1
) -> keras.optimizers.schedules.LearningRateSchedule:
    """Linear warm-up to `peak`, then cosine decay to zero over the remaining steps.

    Lesson 03 (CNN with dropout) plots it.
    """
    warmup = int(total_steps * warmup_fraction)
    return keras.optimizers.schedules.CosineDecay(
        initial_learning_rate=0.0,
        decay_steps=max(1, total_steps - warmup),
        warmup_target=peak,
        warmup_steps=warmup,
    )


def train(
    model: keras.Model,
    x: np.ndarray,
    y: np.ndarray,
    *,
    epochs: int = 6,
    batch_size: int = 128,
    learning_rate: float = 3e-3,
    schedule: str = "cosine",
    optimizer: str = "adam",
    validation_data: tuple[np.ndarray, np.ndarray] | None = None,
    augment: Augment = False,
    seed: int | None = 0,
    callbacks: Sequence[keras.callbacks.Callback] = (),
    verbose: str | int = "auto",
) -> TrainResult:
    """Compile `model` and fit it: what lesson 02 does by hand, plus a tf.data pipeline
    (`make_dataset`) and a warm-up + cosine learning rate. Lesson 02 (dense baseline).

    The loss is sparse categorical cross-entropy, the metric accuracy. Seeded: the same
    seed gives the same weights, through `seed_globally` (global state: it reseeds Python,
    NumPy and TensorFlow and makes TensorFlow's ops deterministic for the whole process).
    It trains exactly what its arguments say.

    Parameters
    ----------
    model : an uncompiled or compiled Keras model from images to 10 probabilities.
    x, y : training images (uint8 or float in [0, 1]) and integer labels.
    epochs, batch_size : passes over `x`, and images per step.
    learning_rate : the peak (cosine) or the constant rate.
    schedule : "cosine" (warm-up, then cosine decay to 0) or "constant".
    optimizer : a Keras optimizer name ("adam", "rmsprop", "adadelta", ...).
    validation_data : `(x_val, y_val)` measured after each epoch (never the test set).
    augment : False, True or a function of each batch of images (see `make_dataset`).
    seed : fixes the shuffling, the augmentation and the dropout via `seed_globally`;
        None leaves the global random state as it is (and the run unrepeatable).
    callbacks, verbose : passed to `model.fit`.

    Returns
    -------
    A `TrainResult`: the per-epoch history and the training seconds.
    """
    if epochs < 1 or batch_size < 1:
        raise ValueError(f"epochs and batch_size must be >= 1, got {epochs} and {batch_size}")
    if len(x) != len(y):
        raise ValueError(f"{len(x)} images but {len(y)} labels")
    distort = _augmentation(augment, seed)  # a bad `augment` fails before any work
    if seed is not None:
        seed_globally(seed)
    steps = epochs * int(np.ceil(len(x) / batch_size))
    if schedule == "cosine":
        rate = learning_rate_schedule(learning_rate, steps)
    elif schedule == "constant":
        rate = learning_rate
    else:
        raise ValueError(f"schedule must be 'cosine' or 'constant', got {schedule!r}")
    model.compile(
        optimizer=keras.optimizers.get(
            {"class_name": optimizer, "config": {"learning_rate": rate}}
        ),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
        jit_compile=False,
    )
    val = None
    if validation_data is not None:
        val = make_dataset(*validation_data, batch_size=1000, shuffle=False)
    clock, cpu_clock = _Clock(time.perf_counter), _Clock(time.process_time)
    history = model.fit(
        make_dataset(x, y, batch_size=batch_size, augment=distort or False, seed=seed),
        epochs=epochs,
        validation_data=val,
        callbacks=[clock, cpu_clock, *callbacks],
        shuffle=False,  # the pipeline shuffles before batching
        verbose=verbose,
    )
    return TrainResult(
        history={k: [float(v) for v in vs] for k, vs in history.history.items()},
        epoch_seconds=clock.epoch_seconds,
        epoch_cpu_seconds=cpu_clock.epoch_seconds,
    )
