"""Training several models the same way and measuring them side by side.

Introduced in lesson 04 (comparing models); `benchmarks/training.py` uses the same
function, so the lesson's table and the benchmark's are made alike.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from digitlab.models import build
from digitlab.train import TrainResult, train

Split = tuple[np.ndarray, np.ndarray]


@dataclass(frozen=True)
class RunSummary:
    """One trained model: its size, training time and test accuracy (per epoch, too)."""

    name: str
    params: int
    seconds: float
    accuracy: float
    result: TrainResult

    def seconds_to_reach(self, accuracy: float) -> float | None:
        """Training seconds until the test accuracy first reached `accuracy`, or None."""
        return self.result.seconds_to_reach("val_accuracy", accuracy)

    def as_row(self) -> dict:
        """`name`, `params`, `seconds`, `accuracy`: what `plots.plot_model_comparison` takes."""
        return {
            "name": self.name,
            "params": self.params,
            "seconds": self.seconds,
            "accuracy": self.accuracy,
        }


def fit_and_score(
    name: str,
    train_split: Split,
    test_split: Split,
    *,
    seed: int = 0,
    verbose: str | int = "auto",
    **train_kwargs,
) -> RunSummary:
    """Build model `name`, train it (test set as validation data) and summarize the run.

    `train_kwargs` go to `digitlab.train.train` (epochs, batch_size, schedule, ...).
    Lesson 04 (comparing models).
    """
    model = build(name, seed=seed)
    result = train(
        model, *train_split, validation_data=test_split, seed=seed, verbose=verbose, **train_kwargs
    )
    return RunSummary(
        name, model.count_params(), result.seconds, result.history["val_accuracy"][-1], result
    )


def compare_models(
    names: Iterable[str], train_split: Split, test_split: Split, **train_kwargs
) -> list[RunSummary]:
    """Train every named model with the same recipe on the same data. Lesson 04."""
    return [fit_and_score(name, train_split, test_split, **train_kwargs) for name in names]


def accuracy_vs_train_size(
    names: Iterable[str],
    train_split: Split,
    test_split: Split,
    sizes: Iterable[int],
    *,
    seed: int = 0,
    **train_kwargs,
) -> dict[str, dict[int, float]]:
    """Test accuracy of each model trained on stratified subsets of each size.

    Returns `{name: {size: accuracy}}`, what `plots.plot_accuracy_vs_train_size` takes.
    Lesson 04 (comparing models): reference A's "watch how accuracy changes" slider.
    """
    from digitlab.data import stratified_indices

    x, y = train_split
    names = list(names)
    table: dict[str, dict[int, float]] = {}
    for size in sizes:
        keep = stratified_indices(y, size, np.random.default_rng(seed))
        for name in names:
            run = fit_and_score(
                name, (x[keep], y[keep]), test_split, seed=seed, verbose=0, **train_kwargs
            )
            table.setdefault(name, {})[size] = run.accuracy
    return table
