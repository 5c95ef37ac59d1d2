"""Calibration on synthetic predictions whose calibration is known by construction."""

from __future__ import annotations

import numpy as np
import pytest
from fake_models import answers

from digitlab.calibration import (
    apply_temperature,
    confidences,
    expected_calibration_error,
    fit_temperature,
    plot_confidence_histogram,
    plot_reliability,
    reliability,
)


def softmax(logits):
    exp = np.exp(logits - logits.max(axis=1, keepdims=True))
    return exp / exp.sum(axis=1, keepdims=True)


def calibrated_logits(n, seed=0):
    """Logits and labels drawn from softmax(logits): calibrated by construction."""
    rng = np.random.default_rng(seed)
    logits = rng.normal(0, 2.5, size=(n, 10))
    cumulative = softmax(logits).cumsum(axis=1)
    labels = np.minimum((rng.random((n, 1)) > cumulative).sum(axis=1), 9)
    return logits, labels


def test_known_ece_of_two_groups():
    # 100 predictions at 90% of which 70 right (gap 0.2), 100 at 60% of which 60 right (0)
    best = np.zeros(200, int)
    labels = np.r_[np.zeros(70), np.ones(30), np.zeros(60), np.ones(40)].astype(int)
    probabilities = np.r_[answers(best[:100], 0.9), answers(best[100:], 0.6)]
    result = reliability(probabilities, labels)
    assert result.ece == pytest.approx(0.1)
    assert expected_calibration_error(probabilities, labels) == pytest.approx(0.1)
    assert result.counts[8] == 100 and result.counts[5] == 100 and result.counts.sum() == 200
    assert result.accuracy[8] == pytest.approx(0.7) and result.confidence[8] == pytest.approx(0.9)
    assert np.isnan(result.accuracy[0])
    assert "expected calibration error 10.00%" in str(result)


def test_confidences_and_bins_edges():
    probabilities = answers([3, 3, 5], 1.0)
    confidence, correct = confidences(probabilities, [3, 4, 5])
    assert confidence.tolist() == [1.0, 1.0, 1.0] and correct.tolist() == [True, False, True]
    assert reliability(probabilities, [3, 4, 5], n_bins=5).counts.tolist() == [0, 0, 0, 0, 3]
    assert reliability(answers([0], 0.2), [0], n_bins=5).counts.tolist() == [1, 0, 0, 0, 0]


def test_calibrated_predictions_have_small_ece_and_temperature_near_one():
    logits, labels = calibrated_logits(20_000)
    probabilities = softmax(logits)
    assert expected_calibration_error(probabilities, labels) < 0.015
    assert fit_temperature(probabilities, labels) == pytest.approx(1.0, abs=0.05)


@pytest.mark.parametrize("true_temperature", [0.5, 3.0])
def test_temperature_scaling_recovers_the_distortion_and_lowers_ece(true_temperature):
    logits, labels = calibrated_logits(20_000, seed=1)
    distorted = softmax(logits / true_temperature)  # over- (T<1) or under-confident (T>1)
    fitted = fit_temperature(distorted, labels)
    assert fitted == pytest.approx(1 / true_temperature, rel=0.05)
    rescaled = apply_temperature(distorted, fitted)
    assert (rescaled.argmax(axis=1) == distorted.argmax(axis=1)).all()
    before = expected_calibration_error(distorted, labels)
    after = expected_calibration_error(rescaled, labels)
    assert before > 0.1 and after < 0.015


def test_apply_temperature_one_is_identity_and_bad_inputs_are_refused():
    probabilities = softmax(np.random.default_rng(0).normal(size=(5, 10)))
    np.testing.assert_allclose(apply_temperature(probabilities, 1.0), probabilities, atol=1e-12)
    with pytest.raises(ValueError, match="positive"):
        apply_temperature(probabilities, 0)
    with pytest.raises(ValueError, match="shapes"):
        reliability(probabilities, [1, 2])
    with pytest.raises(ValueError, match="sum to 1"):
        reliability(probabilities * 2, [0, 1, 2, 3, 4])
    with pytest.raises(ValueError, match="n_bins"):
        reliability(probabilities, [0, 1, 2, 3, 4], n_bins=0)


def test_fit_temperature_survives_underflowed_softmax_zeros():
    probabilities = answers([1, 2, 3, 4], 1.0)  # exact zeros elsewhere, one wrong
    fitted = fit_temperature(probabilities, [1, 2, 3, 0])
    assert np.isfinite(fitted) and fitted > 1  # a confident mistake: soften


def test_plots_draw_histograms_and_overlaid_reliability_curves():
    logits, labels = calibrated_logits(2000, seed=2)
    probabilities = softmax(logits / 0.5)
    ax = plot_confidence_histogram(probabilities, labels)
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    right = int((probabilities.argmax(1) == labels).sum())
    assert legend == [f"right ({right:,})", f"wrong ({2000 - right:,})"]
    heights = [sum(p.get_height() for p in c) for c in ax.containers]
    assert heights == pytest.approx([1.0, 1.0])
    ax = plot_reliability(probabilities, labels, label="model")
    fitted = apply_temperature(probabilities, fit_temperature(probabilities, labels))
    assert plot_reliability(fitted, labels, ax=ax, label="T-scaled") is ax
    texts = [t.get_text() for t in ax.get_legend().get_texts()]
    assert texts[0] == "perfectly calibrated" and len(ax.lines) == 3
    assert texts[1] == f"model: ECE {expected_calibration_error(probabilities, labels):.2%}"
    assert texts[2].startswith("T-scaled: ECE")
