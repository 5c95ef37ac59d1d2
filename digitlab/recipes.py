"""The training recipes chosen on the validation split, by model name.

Each was chosen with several seeds per candidate on the 5,000 validation images, before
any test accuracy was looked at (README, "Choosing the recipes"). `digitlab train --model
NAME` trains with NAME's recipe unless its options say otherwise, and
`benchmarks/training.py` measures them; lesson 03 writes the course CNN's out in its
parameters cell. Plain numbers, no TensorFlow: the CLI reads them before it loads Keras.

`recipe_data` and `train_with_recipe` train a model from scratch (`digitlab train`):
the data split, the augmentation, an optional mix of pen-drawn digits, the held-out
scoring and the record saved beside the model. The shipped model is the MNIST-only model
taught drawn digits (`teach`, as `SHIPPED_TEACHING` says; `train_shipped`, `digitlab train
--recipe shipped`); `digitlab.leave_out` measures that recipe on families it never saw.
TensorFlow loads only when training starts.
"""

from __future__ import annotations

import os
import time
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from digitlab.data.mnist import Split

if TYPE_CHECKING:
    import keras

    from digitlab.drawn import DrawnDigits

DEFAULT_RECIPE: dict[str, float] = {"epochs": 10, "learning_rate": 3e-3}
"""For a model without a recipe of its own: 10 epochs, warm-up + cosine peaking at 3e-3."""

RECIPES: dict[str, dict[str, float]] = {
    "cnn": {"epochs": 10, "learning_rate": 3e-3},  # the course CNN, no augmentation
    "dense": {"epochs": 30, "learning_rate": 3e-3},  # the dense baseline, no augmentation
}


def recipe(model: str) -> dict[str, float]:
    """`epochs` and `learning_rate` (the schedule's peak) for `model`, a name in
    `digitlab.models.MODELS`: its own recipe if it has one, else `DEFAULT_RECIPE`."""
    return dict(RECIPES.get(model, DEFAULT_RECIPE))


@dataclass(frozen=True)
class RecipeData:
    """The three parts `digitlab train` uses: train on one, choose on one, report on one."""

    train: Split
    val: Split
    test: Split


def recipe_data(n_train: int | None = None, n_val: int = 5000, seed: int = 0) -> RecipeData:
    """MNIST split for training: `n_val` training images held out for validation (seeded),
    the rest (or a stratified `n_train` of them) to train on, and the test set for the end.

    Reads the files only (no TensorFlow), so a bad size fails before Keras loads.
    """
    from digitlab.data import load_mnist, stratified_indices, validation_split

    (x_train, y_train), test = load_mnist()
    (x_train, y_train), val = validation_split(x_train, y_train, n_val=n_val, seed=seed)
    if n_train is not None:
        if n_train > len(y_train):
            raise ValueError(
                f"--n-train {n_train} is more than the {len(y_train):,} training images "
                f"left after holding out {n_val:,} for validation"
            )
        keep = stratified_indices(y_train, n_train, np.random.default_rng(seed))
        x_train, y_train = x_train[keep], y_train[keep]
    return RecipeData((x_train, y_train), val, test)


def train_with_recipe(
    name: str,
    data: RecipeData,
    *,
    epochs: int | None = None,
    learning_rate: float | None = None,
    batch_size: int = 128,
    augment: str | None = None,
    drawn: int = 0,
    seed: int = 0,
) -> tuple[keras.Model, dict]:
    """Train model `name` the way the shipped model was trained, and score it once on test.

    Parameters
    ----------
    name : a key of `digitlab.models.MODELS`.
    data : from `recipe_data`.
    epochs, learning_rate : None for the model's `recipe`.
    augment : None, "basic" (`digitlab.train.augmenter`) or "drawing"
        (`digitlab.augment.DrawingAugment`).
    drawn : pen-drawn digits (`digitlab.drawn.training_drawn`) added to the training images;
        with any, the record also holds the accuracy on the held-out drawn digits.
    seed : the split's, the weights' and the training's (`digitlab.train.seed_globally`).

    Returns
    -------
    `(model, record)`: the trained model and what `save_model(..., info=record)` keeps
    beside it (the options, validation and test accuracy, training time, machine).
    """
    from digitlab import __version__
    from digitlab.evaluate import evaluate
    from digitlab.machine import describe_machine
    from digitlab.models import build
    from digitlab.train import train

    if augment not in (None, "basic", "drawing"):
        raise ValueError(f"augment must be None, 'basic' or 'drawing', got {augment!r}")
    if drawn < 0:
        raise ValueError(f"drawn must be 0 or more pen-drawn digits, got {drawn}")
    chosen = recipe(name)  # what an option leaves unsaid comes from the model's recipe
    epochs = epochs or int(chosen["epochs"])
    learning_rate = learning_rate or chosen["learning_rate"]
    x_train, y_train = data.train
    model = build(name, seed=seed)
    distort: object = augment == "basic"
    if augment == "drawing":
        from digitlab.augment import DrawingAugment

        distort = DrawingAugment(seed)
    if drawn:
        from digitlab.drawn import training_drawn

        x_train, y_train = with_drawn(data.train, training_drawn(drawn, data.train, seed=seed))
    started, cpu_started = time.perf_counter(), time.process_time()
    result = train(model, x_train, y_train, epochs=epochs, batch_size=batch_size,
                   learning_rate=learning_rate, augment=distort, seed=seed,
                   validation_data=data.val)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    test = evaluate(model, *data.test)  # the test set, once, at the end
    record = {
        "model": name, "seed": seed, "epochs": epochs,
        "n_train": len(y_train), "n_val": len(data.val[1]), "augment": augment,
        "drawn_training_digits": drawn,
        "batch_size": batch_size, "learning_rate": learning_rate,
        "val_accuracy": round(result.history["val_accuracy"][-1], 6),
        "test_accuracy": round(test.accuracy, 6), "n_test": test.n,
        "training_seconds": round(seconds, 1), "training_cpu_seconds": round(cpu, 1),
        "machine": describe_machine(),
        "digitlab_version": __version__,
    }
    if drawn:
        from digitlab.drawn import held_out_drawn

        held_out = held_out_drawn()
        accuracy = evaluate(model, held_out.images, held_out.labels).accuracy
        record["drawn_held_out_accuracy"] = round(accuracy, 6)
    return model, record


def with_drawn(mnist: Split, drawn: DrawnDigits) -> Split:
    """MNIST images (uint8) and drawn digits as one training set on one scale: float32
    (N, 28, 28, 1) in [0, 1], and the labels. Lesson 07."""
    from digitlab.data import normalize_images

    x = np.concatenate([normalize_images(mnist[0]), drawn.images[..., None]])
    return x, np.concatenate([mnist[1], drawn.labels])


@dataclass(frozen=True)
class Teaching:
    """How a trained MNIST model is taught drawn digits: `drawn` drawn digits mixed into
    the MNIST training images, `epochs` passes with a warm-up + cosine learning rate
    peaking at `learning_rate`, every image distorted by `DrawingAugment(seed, **augment)`.
    Lesson 07."""

    drawn: int = 20_000
    epochs: int = 3
    learning_rate: float = 1e-3
    batch_size: int = 128
    augment: dict[str, float] = field(default_factory=dict)

    def record(self) -> dict:
        """The settings, for a model's record."""
        return asdict(self)


SHIPPED_TEACHING = Teaching(drawn=20_000, epochs=2, learning_rate=1e-3)
"""The teaching of the shipped model. Its augmentation (`DrawingAugment`'s defaults) was
chosen by leave-one-family-out accuracy on the validation drawings over a stronger one
(`benchmarks/drawing.py --choose`; README, "Reading unseen hands")."""


def teach(
    base: keras.Model, mnist_train: Split, drawn: DrawnDigits, teaching: Teaching, seed: int = 0
) -> keras.Model:
    """A copy of `base` trained further on `mnist_train` (images, labels) plus the `drawn`
    digits (`digitlab.drawn.training_drawn`), as `teaching` says; `base` is left unchanged.
    Every layer trains. Seeded through `digitlab.train.train`. Lesson 07.
    """
    import keras

    from digitlab.augment import DrawingAugment
    from digitlab.train import train

    x, y = with_drawn(mnist_train, drawn)
    model = keras.models.clone_model(base)
    model.set_weights(base.get_weights())
    train(model, x, y, epochs=teaching.epochs, batch_size=teaching.batch_size,
          learning_rate=teaching.learning_rate,
          augment=DrawingAugment(seed, **teaching.augment), seed=seed, verbose=0)
    return model


def train_shipped(
    data: RecipeData,
    start: str | os.PathLike[str],
    teaching: Teaching = SHIPPED_TEACHING,
    seed: int = 0,
) -> tuple[keras.Model, dict]:
    """The shipped model's recipe: the model saved at `start` (the MNIST-only model,
    trained on `data.train` alone) taught `teaching.drawn` drawn digits of every family,
    then scored once on the test set and the held-out drawn digits.

    Returns `(model, record)` as `train_with_recipe` does; the record also holds `start`
    and its own record's training time, so the whole recipe's cost is written down.
    """
    from digitlab import __version__
    from digitlab.drawn import held_out_drawn, training_drawn
    from digitlab.evaluate import evaluate
    from digitlab.machine import describe_machine
    from digitlab.saving import load_model, read_model_info

    base = load_model(start)
    started, cpu_started = time.perf_counter(), time.process_time()
    drawn = training_drawn(teaching.drawn, data.train, seed=seed)
    model = teach(base, data.train, drawn, teaching, seed)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    validation = evaluate(model, *data.val, on="validation")
    test = evaluate(model, *data.test)  # the test set, once, at the end
    held_out = held_out_drawn()
    base_record = read_model_info(start) or {}
    record = {
        "model": base.name, "start": os.fspath(start), "seed": seed,
        "teaching": teaching.record(), "n_train": len(data.train[1]) + teaching.drawn,
        "n_val": len(data.val[1]),
        "val_accuracy": round(validation.accuracy, 6),
        "test_accuracy": round(test.accuracy, 6), "n_test": test.n,
        "drawn_held_out_accuracy": round(
            evaluate(model, held_out.images, held_out.labels).accuracy, 6),
        "training_seconds": round(seconds, 1), "training_cpu_seconds": round(cpu, 1),
        "start_training_seconds": base_record.get("training_seconds"),
        "start_training_cpu_seconds": base_record.get("training_cpu_seconds"),
        "machine": describe_machine(), "digitlab_version": __version__,
    }
    return model, record


ASSIGNMENT_BAR = 0.993
"""Write-up B's assignment asks for at least 99.3% MNIST test accuracy; `digitlab grade`
marks each submission against it (docs/teachers.md)."""
