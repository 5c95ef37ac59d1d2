"""Helpers of the lesson notebooks: model paths, the comparison table, preprocessing compared."""

from __future__ import annotations

import matplotlib
import numpy as np
import pytest
from fake_models import answers, fixed_model, fixed_predictor

from digitlab import lessons
from digitlab.compare import RunSummary
from digitlab.lessons import (
    FAST_MODEL_PATH,
    OWN_MODEL_PATH,
    REPORTED,
    ComparisonTable,
    compare_preprocessing,
    course_model,
    own_model_path,
    show_preprocessing,
    train_sizes,
)
from digitlab.models import MODELS
from digitlab.strokes import ellipse, line, rasterize
from digitlab.train import TrainResult


def test_lesson_03_saves_under_build_in_fast_mode(monkeypatch):
    monkeypatch.setenv("DIGITLAB_FAST", "1")
    assert own_model_path() == FAST_MODEL_PATH
    monkeypatch.setenv("DIGITLAB_FAST", "0")
    assert own_model_path() == OWN_MODEL_PATH
    assert OWN_MODEL_PATH.parts[-2:] == ("models", "cnn.keras")


def test_course_model_prefers_the_lesson_03_model(tmp_path, monkeypatch):
    from digitlab import saving

    own, shipped = tmp_path / "models" / "cnn.keras", tmp_path / "shipped.keras"
    saving.save_model(fixed_model(answers(3, 0.9)), shipped)
    monkeypatch.setattr(lessons, "OWN_MODEL_PATH", own)
    monkeypatch.setattr(saving, "PRETRAINED_PATH", shipped)

    model, which = course_model()
    assert which.startswith("the model shipped with digitlab")
    assert model.predict(np.zeros((1, 28, 28, 1)), verbose=0).argmax() == 3

    saving.save_model(fixed_model(answers(7, 0.9)), own)
    model, which = course_model()
    assert which.startswith("the CNN you trained in lesson 03")
    assert model.predict(np.zeros((1, 28, 28, 1)), verbose=0).argmax() == 7


def test_course_model_without_any_model_says_how_to_get_one(tmp_path, monkeypatch):
    from digitlab import saving

    monkeypatch.setattr(lessons, "OWN_MODEL_PATH", tmp_path / "none.keras")
    monkeypatch.setattr(saving, "PRETRAINED_PATH", tmp_path / "missing.keras")
    with pytest.raises(FileNotFoundError, match="digitlab train"):
        course_model()


def test_every_model_has_its_write_up_facts():
    assert set(REPORTED) == set(MODELS) - {"cnn_plus"}
    assert REPORTED["assignment_cnn"].accuracy == pytest.approx(0.9943)
    assert REPORTED["tfjs_cnn"].accuracy is None


def test_comparison_table_as_text_and_html():
    runs = [RunSummary("cnn", 215514, 21.4, 0.9912, TrainResult({})),
            RunSummary("assignment_cnn", 110000, 30.0, 0.9875, TrainResult({}))]
    table = ComparisonTable(runs)
    assert str(table).splitlines() == [
        "cnn: test accuracy 99.12%, 215,514 parameters, 21 s (reported: -)",
        "assignment_cnn: test accuracy 98.75%, 110,000 parameters, 30 s (reported: 99.43%)",
    ]
    html = table._repr_html_()
    assert html.count("<tr>") == 3 and "B, the university assignment" in html
    assert "<td style=\"text-align:right\">99.12%</td>" in html


def test_train_sizes_shrink_in_fast_mode(monkeypatch):
    monkeypatch.setenv("DIGITLAB_FAST", "0")
    full = train_sizes()
    monkeypatch.setenv("DIGITLAB_FAST", "1")
    fast = train_sizes()
    assert list(full) == sorted(full) and full[-1] <= 60000
    assert len(fast) < len(full) and sum(fast) < sum(full)


def test_compare_preprocessing_runs_both_recipes():
    canvases = [rasterize([line(140, 40, 140, 240)]), rasterize([ellipse(60, 60, 30, 45)])]
    results = compare_preprocessing(fixed_predictor(1, 0.9), canvases, np.array([1, 0]))
    assert list(results) == ["naive_squash", "canvas_to_mnist"]
    for result in results.values():
        assert result.images.shape == (2, 28, 28)
        assert result.report.accuracy == 0.5
    # the recipe scales the small zero up to 20 px; the squash keeps it small
    small_zero = [r.images[1] for r in results.values()]
    assert (small_zero[0] > 0.1).sum() < (small_zero[1] > 0.1).sum()
    with pytest.raises(ValueError, match="2 canvases but 1 labels"):
        compare_preprocessing(fixed_predictor(1, 0.9), canvases, np.array([1]))


def test_show_preprocessing_draws_four_steps_and_keeps_interactive_mode():
    matplotlib.interactive(True)
    try:
        fig = show_preprocessing(rasterize([[(185, 30), (250, 30), (210, 120)]], width=12),
                                 fixed_predictor(7, 0.9))
        assert matplotlib.is_interactive()
    finally:
        matplotlib.interactive(False)
    titles = [ax.get_title() for ax in fig.axes]
    assert len(titles) == 4 and titles[0] == "1. the canvas, 280x280"
    assert titles[2].endswith("model: 7 (90%)") and titles[3].endswith("model: 7 (90%)")


@pytest.mark.integration
def test_redrawn_test_digits_are_canvases_of_mnist_digits(real_mnist):
    canvases, labels = lessons.redrawn_test_digits(5, seed=1)
    assert len(canvases) == len(labels) == 5
    assert all(c.dtype == np.uint8 and min(c.shape[:2]) >= 200 for c in canvases)
    again, _ = lessons.redrawn_test_digits(5, seed=1)
    assert all(np.array_equal(a, b) for a, b in zip(canvases, again, strict=True))
