"""The training-set-size slider of lesson 04, driven from Python."""

from __future__ import annotations

import io
from types import SimpleNamespace

import numpy as np
import pytest
from PIL import Image

from digitlab.explore import TrainSizeExplorer

SIZES = (500, 2000, 8000)


def run(accuracy, epochs=3):
    curve = list(np.linspace(accuracy - 0.1, accuracy, epochs))
    return {"accuracy": accuracy, "history": {"accuracy": curve, "val_accuracy": curve}}


RESULTS = {
    "dense": {size: run(0.90 + i / 100) for i, size in enumerate(SIZES)},
    "cnn": {size: run(0.95 + i / 100, epochs=4) for i, size in enumerate(SIZES)},
}


def test_slider_offers_the_trained_sizes_and_starts_at_the_largest():
    explorer = TrainSizeExplorer(RESULTS)
    assert [label for label, _ in explorer.slider.options] == ["500", "2,000", "8,000"]
    assert explorer.slider.value == 8000
    assert "dense: 92.00% validation accuracy with 8,000 training images" in explorer.summary.value
    assert "cnn: 97.00%" in explorer.summary.value


def test_moving_the_slider_shows_that_sizes_results_without_retraining():
    explorer = TrainSizeExplorer(RESULTS)
    before = explorer.image.value
    explorer.slider.value = 500
    assert explorer.summary.value == (
        "dense: 90.00% validation accuracy with 500 training images<br>"
        "cnn: 95.00% validation accuracy with 500 training images"
    )
    assert explorer.image.value != before
    picture = Image.open(io.BytesIO(bytes(explorer.image.value)))
    assert picture.format == "PNG" and picture.width > 600


def test_figure_marks_the_size_and_draws_that_runs_curves():
    figure = TrainSizeExplorer(RESULTS).figure(2000)
    by_size, curves = figure.axes
    assert by_size.get_title() == "Accuracy against training-set size"
    assert [t.get_text() for t in by_size.get_xticklabels()] == ["500", "2,000", "8,000"]
    assert by_size.lines[-1].get_xdata()[0] == 2000  # the marker line
    assert curves.get_title() == "Learning curves, 2,000 training images"
    cnn_validation = next(line for line in curves.lines if line.get_label() == "cnn (validation)")
    assert list(cnn_validation.get_ydata()) == RESULTS["cnn"][2000]["history"]["val_accuracy"]
    assert len(curves.lines) == 4  # two models, training and validation


def test_run_summaries_are_accepted():
    summary = SimpleNamespace(accuracy=0.93, result=SimpleNamespace(history=run(0.93)["history"]))
    explorer = TrainSizeExplorer({"dense": {1000: summary}})
    assert "93.00%" in explorer.summary.value


@pytest.mark.parametrize(
    ("results", "message"),
    [
        ({}, "results is empty"),
        ({"a": {1: run(0.9)}, "b": {2: run(0.9)}}, "same sizes"),
        ({"a": {1: {"accuracy": 0.9}}}, "'accuracy' and 'history'"),
    ],
)
def test_bad_results_are_refused(results, message):
    with pytest.raises(ValueError, match=message):
        TrainSizeExplorer(results)
