"""What a model's confidence is worth: calibration measured, drawn and corrected.

Introduced in lesson 06. A model is calibrated when, of all the predictions it makes with
90% confidence, 90% are right. `reliability` bins the test predictions by their confidence
(the top softmax probability) and compares each bin's mean confidence with its accuracy;
the expected calibration error (ECE) is the gap averaged over all predictions. Temperature
scaling divides the logits by one number T, fitted on the validation split
(`fit_temperature`): T > 1 softens an overconfident model, and the predicted digit never
changes. Plots follow `digitlab.plots`: `ax=None`, return the Axes, no `plt.show()`.
"""

from __future__ import annotations

from dataclasses import dataclass

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.ticker import PercentFormatter
from numpy.typing import ArrayLike

from digitlab.i18n import pad, tr
from digitlab.plots import STYLE, styled

N_BINS = 10
_TINY = 1e-30  # softmax outputs that underflowed to 0 get this probability for their log


def _checked(probabilities: ArrayLike, labels: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    probabilities = np.asarray(probabilities, dtype=np.float64)
    labels = np.asarray(labels)
    if probabilities.ndim != 2 or labels.shape != probabilities.shape[:1]:
        raise ValueError(
            "expected probabilities (N, classes) and labels (N,), got shapes "
            f"{probabilities.shape} and {labels.shape}"
        )
    if len(labels) == 0:
        raise ValueError("expected at least one prediction, got none")
    if not np.allclose(probabilities.sum(axis=1), 1, atol=1e-3):
        raise ValueError("each row of probabilities must sum to 1 (the model's softmax output)")
    return probabilities, labels


def confidences(probabilities: ArrayLike, labels: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """Each prediction's confidence (top probability) and whether it is right (lesson 06).

    Parameters
    ----------
    probabilities : (N, 10) softmax outputs.
    labels : (N,) true digits.

    Returns
    -------
    `(confidence, correct)`: float (N,) and bool (N,).
    """
    probabilities, labels = _checked(probabilities, labels)
    return probabilities.max(axis=1), probabilities.argmax(axis=1) == labels


@dataclass(frozen=True)
class Reliability:
    """Predictions binned by confidence (lesson 06). Per bin (equal widths over [0, 1]):
    `confidence` mean confidence and `accuracy` fraction right (NaN when empty), `counts`
    predictions; `edges` the n_bins + 1 bin edges."""

    edges: np.ndarray
    confidence: np.ndarray
    accuracy: np.ndarray
    counts: np.ndarray

    @property
    def ece(self) -> float:
        """Expected calibration error: |accuracy - confidence| per bin, weighted by count."""
        used = self.counts > 0
        gaps = np.abs(self.accuracy[used] - self.confidence[used])
        return float(gaps @ self.counts[used] / self.counts.sum())

    def __str__(self) -> str:
        rows = [
            f"{pad(tr('report.reliability.confidence'), 13, '>')}  {'n':>6}  "
            f"{pad(tr('report.reliability.mean'), 9, '>')}  "
            f"{pad(tr('report.reliability.accuracy'), 8, '>')}"
        ]
        for i in np.flatnonzero(self.counts):
            rows.append(
                f"{self.edges[i]:5.0%} - {self.edges[i + 1]:4.0%}  {self.counts[i]:>6,}  "
                f"{self.confidence[i]:>9.2%}  {self.accuracy[i]:>8.2%}"
            )
        rows.append(tr("report.reliability.ece", ece=f"{self.ece:.2%}"))
        return "\n".join(rows)


def reliability(probabilities: ArrayLike, labels: ArrayLike, n_bins: int = N_BINS) -> Reliability:
    """Bin predictions by confidence, bins (0, 1/n], (1/n, 2/n], ... (lesson 06).

    Parameters
    ----------
    probabilities, labels : (N, 10) softmax outputs and (N,) true digits.
    n_bins : equal-width bins.

    Returns
    -------
    A `Reliability` (print it for a table; `.ece` for the calibration error).
    """
    if n_bins < 1:
        raise ValueError(f"n_bins must be at least 1, got {n_bins}")
    confidence, correct = confidences(probabilities, labels)
    index = np.clip(np.ceil(confidence * n_bins).astype(int) - 1, 0, n_bins - 1)
    counts = np.bincount(index, minlength=n_bins)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_confidence = np.bincount(index, confidence, n_bins) / counts
        accuracy = np.bincount(index, correct.astype(float), n_bins) / counts
    return Reliability(np.linspace(0, 1, n_bins + 1), mean_confidence, accuracy, counts)


def expected_calibration_error(
    probabilities: ArrayLike, labels: ArrayLike, n_bins: int = N_BINS
) -> float:
    """The ECE of `probabilities` against `labels` over `n_bins` bins (lesson 06)."""
    return reliability(probabilities, labels, n_bins).ece


def _log_probabilities(probabilities: ArrayLike) -> np.ndarray:
    """Logits up to a constant per row: log p (a softmax model's output turned back)."""
    return np.log(np.maximum(np.asarray(probabilities, dtype=np.float64), _TINY))


def apply_temperature(probabilities: ArrayLike, temperature: float) -> np.ndarray:
    """softmax(logits / T) computed from softmax(logits): same shape, same argmax (lesson 06)."""
    if not temperature > 0:
        raise ValueError(f"temperature must be a positive number, got {temperature!r}")
    scaled = _log_probabilities(probabilities) / temperature
    scaled -= scaled.max(axis=-1, keepdims=True)
    exp = np.exp(scaled)
    return exp / exp.sum(axis=-1, keepdims=True)


def _nll_and_derivatives(
    logits: np.ndarray, labels: np.ndarray, beta: float
) -> tuple[float, float, float]:
    """Mean negative log-likelihood of softmax(beta * logits) and its first two derivatives
    in beta (the mean of E[z] - z_label and of Var[z] under the scaled softmax)."""
    scaled = beta * logits
    top = scaled.max(axis=1, keepdims=True)
    exp = np.exp(scaled - top)
    total = exp.sum(axis=1, keepdims=True)
    p = exp / total
    chosen = logits[np.arange(len(labels)), labels]
    nll = np.mean(np.log(total[:, 0]) + top[:, 0] - beta * chosen)
    mean_z = (p * logits).sum(axis=1)
    var_z = (p * logits**2).sum(axis=1) - mean_z**2
    return float(nll), float(np.mean(mean_z - chosen)), float(np.mean(var_z))


def fit_temperature(probabilities: ArrayLike, labels: ArrayLike, max_steps: int = 100) -> float:
    """The temperature T that minimises the negative log-likelihood of `labels` under
    softmax(logits / T), fitted on the validation split (lesson 06).

    The loss is convex in 1/T, so Newton's method on 1/T (steps limited to halving or
    doubling it, halved while the loss would rise) finds it.

    Parameters
    ----------
    probabilities : (N, 10) the model's softmax outputs on the validation images (their
        log is the logits up to a constant).
    labels : (N,) true digits.

    Returns
    -------
    T (> 1: the model was overconfident; < 1: underconfident).
    """
    probabilities, labels = _checked(probabilities, labels)
    logits = _log_probabilities(probabilities)
    beta = 1.0
    nll, slope, curve = _nll_and_derivatives(logits, labels, beta)
    for _ in range(max_steps):
        if abs(slope) < 1e-10:  # at the minimum (or every row's logits equal)
            break
        step = slope / curve if curve > 1e-12 else np.sign(slope) * beta
        step = float(np.clip(step, -beta, beta / 2))  # 1/T at most doubles or halves
        while True:
            new = _nll_and_derivatives(logits, labels, beta - step)
            if new[0] <= nll or abs(step) < 1e-12 * beta:
                break
            step /= 2
        beta -= step
        nll, slope, curve = new
        if abs(step) < 1e-9 * beta:
            break
    return 1.0 / beta


@styled
def plot_confidence_histogram(
    probabilities: ArrayLike, labels: ArrayLike, ax: Axes | None = None, bins: int = 20
) -> Axes:
    """How confident the model is when right and when wrong: two histograms of the top
    probability, each scaled to its own total, so the few mistakes show too (lesson 06)."""
    confidence, correct = confidences(probabilities, labels)
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 3.5))
    edges = np.linspace(0.1, 1.0, bins + 1)
    for mask, name, colour in (
        (correct, tr("plot.calibration.right"), STYLE.palette[0]),
        (~correct, tr("plot.calibration.wrong"), STYLE.mistake),
    ):
        if mask.any():
            weights = np.full(mask.sum(), 1 / mask.sum())
            ax.hist(
                confidence[mask],
                edges,
                weights=weights,
                alpha=0.6,
                color=colour,
                label=tr("plot.calibration.count", name=name, count=f"{mask.sum():,}"),
            )
    ax.set_xlabel(tr("plot.calibration.confidence"))
    ax.set_ylabel(tr("plot.calibration.share"))
    ax.xaxis.set_major_formatter(PercentFormatter(1.0))
    ax.yaxis.set_major_formatter(PercentFormatter(1.0))
    ax.legend(loc="upper left")
    ax.grid(True, axis="y", alpha=STYLE.grid_alpha)
    return ax


@styled
def plot_reliability(
    probabilities: ArrayLike,
    labels: ArrayLike,
    n_bins: int = N_BINS,
    ax: Axes | None = None,
    label: str | None = None,
) -> Axes:
    """Reliability diagram: accuracy against mean confidence per bin, the diagonal being
    perfect calibration; the legend gives the ECE. Call again on the same `ax` to overlay
    e.g. the temperature-scaled model (lesson 06)."""
    result = reliability(probabilities, labels, n_bins)
    if ax is None:
        _, ax = plt.subplots(figsize=(4.5, 4.5))
    if not ax.lines:
        ax.plot([0, 1], [0, 1], ls="--", color=STYLE.muted, label=tr("plot.calibration.perfect"))
    used = result.counts > 0
    sizes = 20 + 200 * result.counts[used] / result.counts.max()
    name = f"{label}: " if label else ""
    (points,) = ax.plot(
        result.confidence[used], result.accuracy[used], "-", label=f"{name}ECE {result.ece:.2%}"
    )
    ax.scatter(
        result.confidence[used], result.accuracy[used], s=sizes, color=points.get_color(), zorder=3
    )
    ax.set_xlim(0, 1.02)
    ax.set_ylim(0, 1.02)
    ax.set_xlabel(tr("plot.calibration.bin_confidence"))
    ax.set_ylabel(tr("plot.calibration.bin_accuracy"))
    ax.xaxis.set_major_formatter(PercentFormatter(1.0))
    ax.yaxis.set_major_formatter(PercentFormatter(1.0))
    ax.set_title(tr("plot.calibration.title"))
    ax.legend(loc="upper left")
    ax.grid(True, alpha=STYLE.grid_alpha)
    return ax
