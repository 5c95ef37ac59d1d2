"""Evaluation: accuracy, per-class accuracy, confusion matrix and mistakes in one report.

Introduced in lesson 02 (dense baseline); lesson 04 plots the confusion matrix and the
gallery of mistakes; `digitlab evaluate` prints it.
"""

from __future__ import annotations

from dataclasses import dataclass

import keras
import numpy as np

from digitlab.config import N_CLASSES
from digitlab.data import normalize_images
from digitlab.i18n import tr, tr_name


@dataclass(frozen=True)
class EvaluationReport:
    """How a model did on labelled images. Lesson 02.

    `confusion[t, p]` counts images of true class t predicted as p; `mistakes` are the
    indices of the misclassified images, in order; `probabilities` is (N, 10); `on` names
    the images it was measured on ("test", "validation", ...), as `str(report)` says.
    """

    labels: np.ndarray
    probabilities: np.ndarray
    confusion: np.ndarray
    on: str = "test"

    @property
    def predictions(self) -> np.ndarray:
        return self.probabilities.argmax(axis=1)

    @property
    def n(self) -> int:
        return len(self.labels)

    @property
    def accuracy(self) -> float:
        return float(np.trace(self.confusion) / max(1, self.n))

    @property
    def per_class_accuracy(self) -> np.ndarray:
        """Recall of each digit 0-9 (NaN for a digit that has no images)."""
        totals = self.confusion.sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.diag(self.confusion) / totals

    @property
    def mistakes(self) -> np.ndarray:
        return np.flatnonzero(self.predictions != self.labels)

    def as_dict(self) -> dict:
        """A JSON-ready summary (what `digitlab evaluate --json` prints)."""
        return {
            "accuracy": self.accuracy,
            "n": self.n,
            "n_mistakes": len(self.mistakes),
            "per_class_accuracy": [
                None if np.isnan(a) else float(a) for a in self.per_class_accuracy
            ],
            "confusion_matrix": self.confusion.tolist(),
        }

    def __str__(self) -> str:
        per_class = "  ".join(f"{d}: {a:.2%}" for d, a in enumerate(self.per_class_accuracy))
        return tr(
            "report.evaluation", on=tr_name("report.on", self.on), accuracy=f"{self.accuracy:.2%}",
            n=f"{self.n:,}", mistakes=len(self.mistakes), per_digit=per_class,
        )


def confusion_matrix(labels: np.ndarray, predictions: np.ndarray) -> np.ndarray:
    """10x10 counts: row = true digit, column = predicted digit. Lesson 01 (lesson 04 reads it)."""
    labels, predictions = np.asarray(labels, int), np.asarray(predictions, int)
    if labels.shape != predictions.shape or labels.ndim != 1:
        raise ValueError(
            f"labels {labels.shape} and predictions {predictions.shape} must be "
            "1-D arrays of the same length"
        )
    if labels.size and (
        min(labels.min(), predictions.min()) < 0
        or max(labels.max(), predictions.max()) >= N_CLASSES
    ):
        raise ValueError("labels and predictions must be digits 0-9")
    return np.bincount(labels * N_CLASSES + predictions, minlength=N_CLASSES * N_CLASSES).reshape(
        N_CLASSES, N_CLASSES
    )


def report_from_probabilities(
    labels: np.ndarray, probabilities: np.ndarray, on: str = "test"
) -> EvaluationReport:
    """Build the report from labels and predicted probabilities (N, 10), without a model."""
    probabilities = np.asarray(probabilities, np.float32)
    if probabilities.ndim != 2 or probabilities.shape[1] != N_CLASSES:
        raise ValueError(f"expected probabilities of shape (N, 10), got {probabilities.shape}")
    if not np.isfinite(probabilities).all():  # argmax would call every such image a 0
        raise ValueError(
            "the model's outputs contain NaN or infinity, as when training diverged and left "
            "broken weights; it has no accuracy to report (retrain it, e.g. with a lower "
            "learning rate)"
        )
    labels = np.asarray(labels)
    return EvaluationReport(
        labels, probabilities, confusion_matrix(labels, probabilities.argmax(axis=1)), on
    )


def evaluate(
    model: keras.Model, x: np.ndarray, y: np.ndarray, batch_size: int = 1000, on: str = "test"
) -> EvaluationReport:
    """Run `model` on images `x` and compare its answers with labels `y`. Lesson 02.

    Parameters
    ----------
    model : a Keras model from (N, 28, 28, 1) images to 10 probabilities.
    x, y : images (uint8 or float in [0, 1]) and integer labels.
    batch_size : images per prediction step.
    on : what `x` is, for the report's sentence: "test" (the default), "validation", ...

    Returns
    -------
    An `EvaluationReport`: accuracy, per-digit accuracy, confusion matrix, mistakes.
    """
    from digitlab.saving import non_finite_weights  # as Predictor does: no score for these

    if len(x) != len(y):
        raise ValueError(f"{len(x)} images but {len(y)} labels")
    broken = non_finite_weights(model)
    if broken:
        raise ValueError(f"cannot evaluate this model: {broken}")
    probabilities = model.predict(normalize_images(x), batch_size=batch_size, verbose=0)
    return report_from_probabilities(y, probabilities, on)
