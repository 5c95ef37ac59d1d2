"""Training several models the same way and measuring them side by side.

Introduced in lesson 04 (comparing models); `benchmarks/training.py` uses the same
function, so the lesson's table and the benchmark's are made alike. Models train on the
training part of `digitlab.data.validation_split` and are scored on its validation part:
the test set stays for one final report.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from digitlab.data.mnist import Split
from digitlab.i18n import tr, tr_name
from digitlab.models import build
from digitlab.train import TrainResult, train

if TYPE_CHECKING:
    import keras

@dataclass(frozen=True)
class RunSummary:
    """One trained model: its size, training time and accuracy on `scored_on`. Lesson 04.

    `accuracy` is measured on the validation images given to `fit_and_score` (after the
    last epoch); `result.history` has it per epoch; `seed` fixed the initial weights and
    the training; `model` is the trained model, for the one final evaluation on the test set.
    """

    name: str
    params: int
    seconds: float
    accuracy: float
    result: TrainResult
    scored_on: str = "validation"
    seed: int = 0
    model: keras.Model | None = field(default=None, repr=False, compare=False)

    def seconds_to_reach(self, accuracy: float, *, cpu: bool = False) -> float | None:
        """Training seconds (CPU seconds with `cpu`) until the validation accuracy first
        reached `accuracy`, or None."""
        return self.result.seconds_to_reach("val_accuracy", accuracy, cpu=cpu)

    def as_row(self) -> dict:
        """`name`, `params`, `seconds`, `accuracy`: what `plots.plot_model_comparison` takes
        (rows with the same name are seeds of one model)."""
        return {
            "name": self.name,
            "params": self.params,
            "seconds": self.seconds,
            "accuracy": self.accuracy,
        }


def fit_and_score(
    name: str,
    train_split: Split,
    val_split: Split,
    *,
    seed: int = 0,
    verbose: str | int = "auto",
    **train_kwargs,
) -> RunSummary:
    """Build model `name`, train it on `train_split`, score it on `val_split`. Lesson 04.

    Parameters
    ----------
    name : a key of `digitlab.models.MODELS`.
    train_split, val_split : `(images, labels)` to train on and to measure after each epoch
        (the two parts of `digitlab.data.validation_split`, never the test set).
    seed : fixes the initial weights and the training (`digitlab.train.seed_globally`: global).
    verbose : Keras's progress output; unless 0, a line naming the model and seed comes first.
    train_kwargs : passed to `digitlab.train.train` (epochs, batch_size, schedule, ...).

    Returns
    -------
    A `RunSummary` whose `accuracy` is the validation accuracy after the last epoch.
    """
    if verbose != 0:
        print(tr("report.compare.training", name=name, seed=seed, n=f"{len(train_split[0]):,}"))
    model = build(name, seed=seed)
    result = train(
        model, *train_split, validation_data=val_split, seed=seed, verbose=verbose, **train_kwargs
    )
    accuracy = result.history["val_accuracy"][-1]
    return RunSummary(
        name, model.count_params(), result.seconds, accuracy, result, seed=seed, model=model
    )


def compare_models(
    names: Iterable[str], train_split: Split, val_split: Split, **train_kwargs
) -> list[RunSummary]:
    """Train every named model with the same recipe on the same data. Lesson 04.

    Parameters
    ----------
    names : keys of `digitlab.models.MODELS`.
    train_split, val_split : the training and validation parts (see `fit_and_score`).
    train_kwargs : passed to `fit_and_score` and on to `digitlab.train.train`.

    Returns
    -------
    One `RunSummary` per name, in order.
    """
    return [fit_and_score(name, train_split, val_split, **train_kwargs) for name in names]


def sweep_train_sizes(
    names: Iterable[str],
    train_split: Split,
    val_split: Split,
    sizes: Iterable[int],
    *,
    seed: int = 0,
    **train_kwargs,
) -> dict[str, dict[int, RunSummary]]:
    """Train each model on stratified subsets of each size, score each on the validation part.

    Lesson 04 (comparing models): reference A's "watch how accuracy changes" slider
    (`digitlab.explore.TrainSizeExplorer` shows the result).

    Parameters
    ----------
    names : keys of `digitlab.models.MODELS`.
    train_split : the training part to draw the subsets from.
    val_split : the validation part every model is scored on.
    sizes : the subset sizes.
    seed : fixes the subsets, the initial weights and the training (global, as above).

    Returns
    -------
    `{name: {size: RunSummary}}`: each run's `accuracy` and its per-epoch `result.history`.
    """
    from digitlab.data import stratified_indices

    x, y = train_split
    names = list(names)
    table: dict[str, dict[int, RunSummary]] = {}
    for size in sizes:
        keep = stratified_indices(y, size, np.random.default_rng(seed))
        for name in names:
            table.setdefault(name, {})[size] = fit_and_score(
                name, (x[keep], y[keep]), val_split, seed=seed, verbose=0, **train_kwargs
            )
    return table


@dataclass(frozen=True)
class Reported:
    """What a write-up in SEEDS.md says about its model (a row of `ComparisonTable`); where
    the model comes from is the text `report.project.<name>` of `digitlab.texts`."""

    accuracy: float | None
    recipe: str


REPORTED: dict[str, Reported] = {
    "dense": Reported(0.967, "not given"),
    "cnn": Reported(None, "Adam, 10 epochs"),
    "tfjs_cnn": Reported(None, "rmsprop"),
    "assignment_cnn": Reported(0.9943, "50 epochs"),
    "browser_cnn": Reported(0.985, "not given"),
    "own_images_cnn": Reported(0.9919, "Adam, 10 epochs, batch 200"),
    "keras_example": Reported(0.992, "Adadelta, 12 epochs, batch 128"),
    "keras_io_convnet": Reported(0.9922, "Adam, 15 epochs, batch 128"),
}
"""The models of lesson 04 by name (`digitlab.models.MODELS`): where each comes from and
the test accuracy its write-up (or keras.io page) reports (None: not reported). Lesson 04."""


def by_model(runs: Iterable[RunSummary]) -> dict[str, list[RunSummary]]:
    """The runs grouped by model name, in order of first appearance: the seeds of each
    model together. Lesson 04."""
    groups: dict[str, list[RunSummary]] = {}
    for run in runs:
        groups.setdefault(run.name, []).append(run)
    return groups


def _over_seeds_text(accuracies: Sequence[float]) -> str:
    """'99.12% (1 seed)' for one run; 'mean 99.05% (98.98-99.12%, 3 seeds)' for several."""
    if len(accuracies) == 1:
        return tr("report.compare.one_seed", accuracy=f"{accuracies[0]:.2%}")
    return tr("report.compare.seeds", mean=f"{np.mean(accuracies):.2%}",
              low=f"{min(accuracies):.2%}", high=f"{max(accuracies):.2%}", n=len(accuracies))


@dataclass(frozen=True)
class ComparisonTable:
    """Lesson 04's table of trained models next to what their write-ups reported.

    Runs with the same name are seeds of one model: one row shows their mean accuracy,
    their range and how many seeds, and their mean training time. Shown as HTML in a
    notebook; its text form has one line per model,
    `name: validation accuracy 99.05% (1 seed), 110,458 parameters, 24 s (reported test: 99.43%)`.
    """

    runs: Sequence[RunSummary]

    def _rows(self) -> list[tuple[str, str, str, str, str, str]]:
        rows = []
        for name, runs in by_model(self.runs).items():
            reported = REPORTED.get(name)
            rows.append((
                name,
                tr(f"report.project.{name}") if reported else "",
                f"{runs[0].params:,}",
                f"{np.mean([run.seconds for run in runs]):.0f}",
                _over_seeds_text([run.accuracy for run in runs]),
                f"{reported.accuracy:.2%}" if reported and reported.accuracy else "-",
            ))
        return rows

    def _scored_on(self) -> str:
        return tr_name("report.on", self.runs[0].scored_on if self.runs else "validation")

    def __str__(self) -> str:
        return "\n".join(
            tr("report.compare.line", name=name, on=self._scored_on(), accuracy=accuracy,
               params=params, seconds=seconds, reported=reported)
            for name, _, params, seconds, accuracy, reported in self._rows()
        )

    __repr__ = __str__

    def _repr_html_(self) -> str:
        header = (tr("report.compare.model"), tr("report.compare.from"),
                  tr("report.compare.params"), tr("report.compare.seconds"),
                  tr("report.compare.accuracy", on=self._scored_on()),
                  tr("report.compare.reported"))
        align = ("left", "left", "right", "right", "right", "right")
        head = "".join(
            f'<th style="text-align:{a}">{h}</th>' for h, a in zip(header, align, strict=True)
        )
        body = "".join(
            "<tr>" + "".join(f'<td style="text-align:{a}">{html.escape(v)}</td>'
                             for v, a in zip(row, align, strict=True)) + "</tr>"
            for row in self._rows()
        )
        return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
