"""Training: a tf.data pipeline, warm-up + cosine learning rate, optional augmentation.

Introduced in lesson 02 (dense baseline); lessons 03 and 04 train CNNs with it, and
`digitlab train` and `benchmarks/training.py` call it too. No XLA (`jit_compile`): on a
CPU it is about 4x slower here.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import keras
import numpy as np
import tensorflow as tf

from digitlab.config import fast_mode
from digitlab.data import normalize_images, stratified_indices

FAST_TRAIN_SIZE = 2048
"""In fast mode (`DIGITLAB_FAST=1`) training uses this many images and a single epoch."""


@dataclass
class TrainResult:
    """What a training run gives back: per-epoch metrics and how long it took.

    `history` maps `loss`, `accuracy` (and `val_loss`, `val_accuracy` when validation data
    was given) to one value per epoch; `epoch_seconds` is the cumulative training time at
    the end of each epoch, validation excluded; `seconds` is the total.
    """

    history: dict[str, list[float]]
    epoch_seconds: list[float] = field(default_factory=list)

    @property
    def seconds(self) -> float:
        return self.epoch_seconds[-1] if self.epoch_seconds else 0.0

    def seconds_to_reach(self, metric: str, value: float) -> float | None:
        """Training seconds until `metric` first reached `value` at an epoch end, or None."""
        for seconds, reached in zip(self.epoch_seconds, self.history.get(metric, []), strict=False):
            if reached >= value:
                return seconds
        return None


class _Clock(keras.callbacks.Callback):
    """Cumulative training time at each epoch end, without the time spent validating."""

    def __init__(self) -> None:
        super().__init__()
        self.epoch_seconds: list[float] = []
        self._elapsed = 0.0

    def on_epoch_begin(self, epoch, logs=None):
        self._start = time.perf_counter()

    def on_test_begin(self, logs=None):
        self._elapsed += time.perf_counter() - self._start

    def on_test_end(self, logs=None):
        self._start = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        self._elapsed += time.perf_counter() - self._start
        self._start = time.perf_counter()
        self.epoch_seconds.append(self._elapsed)


def augmenter(seed: int = 0) -> keras.Sequential:
    """Small, digit-preserving distortions: rotation <= 10 degrees, shift and zoom <= 10%.

    Lesson 03 (CNN with dropout) shows what it does to a few digits.
    """
    fill = {"fill_mode": "constant", "fill_value": 0.0}
    return keras.Sequential(
        [
            keras.layers.RandomRotation(10 / 360, seed=seed, **fill),
            keras.layers.RandomTranslation(0.1, 0.1, seed=seed + 1, **fill),
            keras.layers.RandomZoom(0.1, seed=seed + 2, **fill),
        ],
        name="augment",
    )


def make_dataset(
    x: np.ndarray,
    y: np.ndarray,
    *,
    batch_size: int = 128,
    shuffle: bool = True,
    augment: bool | Callable[[tf.Tensor], tf.Tensor] = False,
    seed: int = 0,
) -> tf.data.Dataset:
    """The input pipeline: cache -> shuffle (before batching) -> batch -> [augment] -> prefetch.

    `augment`: True for `augmenter()`, or a callable applied to each batch of float32
    (B, 28, 28, 1) images. Lesson 02 (dense baseline).
    """
    ds = tf.data.Dataset.from_tensor_slices((normalize_images(x), np.asarray(y))).cache()
    if shuffle:
        ds = ds.shuffle(len(x), seed=seed, reshuffle_each_iteration=True)
    ds = ds.batch(batch_size)
    if augment:
        layer = augmenter(seed)
        distort = (lambda images: layer(images, training=True)) if augment is True else augment
        ds = ds.map(
            lambda images, labels: (distort(images), labels),
            num_parallel_calls=tf.data.AUTOTUNE,
        )
    return ds.prefetch(tf.data.AUTOTUNE)


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
    augment: bool | Callable[[tf.Tensor], tf.Tensor] = False,
    seed: int = 0,
    callbacks: Sequence[keras.callbacks.Callback] = (),
    verbose: str | int = "auto",
) -> TrainResult:
    """Compile `model` (sparse categorical cross-entropy, accuracy) and fit it on `(x, y)`.

    `x` are MNIST images (uint8 or float in [0, 1]); `y` integer labels. The learning rate
    warms up and decays on a cosine (`schedule="cosine"`) or stays at `learning_rate`
    (`schedule="constant"`). Seeded: the same seed gives the same weights. In fast mode
    (`DIGITLAB_FAST=1`) it trains one epoch on 2,048 images and says so.
    Lesson 02 (dense baseline).
    """
    if epochs < 1 or batch_size < 1:
        raise ValueError(f"epochs and batch_size must be >= 1, got {epochs} and {batch_size}")
    if len(x) != len(y):
        raise ValueError(f"{len(x)} images but {len(y)} labels")
    if fast_mode() and (epochs > 1 or len(x) > FAST_TRAIN_SIZE):
        keep = stratified_indices(
            np.asarray(y), min(len(x), FAST_TRAIN_SIZE), np.random.default_rng(seed)
        )
        x, y, epochs = np.asarray(x)[keep], np.asarray(y)[keep], 1
        print(f"DIGITLAB_FAST=1: training on {len(x):,} images for 1 epoch")
    keras.utils.set_random_seed(seed)
    tf.config.experimental.enable_op_determinism()
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
    clock = _Clock()
    history = model.fit(
        make_dataset(x, y, batch_size=batch_size, augment=augment, seed=seed),
        epochs=epochs,
        validation_data=val,
        callbacks=[clock, *callbacks],
        shuffle=False,  # the pipeline shuffles before batching
        verbose=verbose,
    )
    return TrainResult(
        history={k: [float(v) for v in vs] for k, vs in history.history.items()},
        epoch_seconds=clock.epoch_seconds,
    )
