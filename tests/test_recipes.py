"""The recipes chosen on the validation split: one per named model, a default for the rest."""

from __future__ import annotations

import numpy as np

from digitlab.models import MODELS
from digitlab.recipes import DEFAULT_RECIPE, RECIPES, recipe


def test_every_recipe_names_a_model_and_says_epochs_and_rate():
    assert set(RECIPES) <= set(MODELS)
    for chosen in [*RECIPES.values(), DEFAULT_RECIPE]:
        assert set(chosen) == {"epochs", "learning_rate"}
        assert chosen["epochs"] >= 1 and 0 < chosen["learning_rate"] < 0.1


def test_recipe_gives_a_copy_of_the_models_own_or_the_default():
    assert recipe("cnn") == RECIPES["cnn"] and recipe("cnn") is not RECIPES["cnn"]
    assert recipe("tfjs_cnn") == DEFAULT_RECIPE
    recipe("cnn")["epochs"] = 99
    assert RECIPES["cnn"]["epochs"] != 99


def test_the_shipped_recipe_mixes_drawn_digits_on_one_scale_and_records_the_run(
    fake_mnist, monkeypatch
):
    from digitlab import drawn, train
    from digitlab.recipes import recipe_data, train_with_recipe

    folder, _ = fake_mnist
    monkeypatch.setenv("DIGITLAB_DATA", str(folder))
    monkeypatch.setattr(drawn, "held_out_drawn", lambda: drawn.drawn_digits(
        20, 0, drawn.HELD_OUT, recipe_data(n_val=40).test))
    seen = {}
    real_train = train.train

    def spy(model, x, y, **kwargs):
        seen["x"], seen["y"] = x, y
        return real_train(model, x, y, **kwargs)

    monkeypatch.setattr(train, "train", spy)
    data = recipe_data(n_train=100, n_val=40, seed=1)
    assert [len(part[1]) for part in (data.train, data.val, data.test)] == [100, 40, 50]
    model, record = train_with_recipe("dense", data, epochs=1, drawn=30, seed=1)
    assert seen["x"].shape == (130, 28, 28, 1) and seen["x"].dtype == np.float32
    assert 0.9 <= seen["x"][:100].max() <= 1.0 and 0.9 <= seen["x"][100:].max() <= 1.0
    assert record["n_train"] == 130 and record["drawn_training_digits"] == 30
    assert record["epochs"] == 1 and record["learning_rate"] == RECIPES["dense"]["learning_rate"]
    from digitlab.evaluate import evaluate

    assert record["test_accuracy"] == round(evaluate(model, *data.test).accuracy, 6)
    assert "drawn_held_out_accuracy" in record and record["n_test"] == 50


def test_a_recipe_refuses_what_it_cannot_train_before_building(fake_mnist, monkeypatch):
    import pytest

    from digitlab.recipes import recipe_data, train_with_recipe

    monkeypatch.setenv("DIGITLAB_DATA", str(fake_mnist[0]))
    with pytest.raises(ValueError, match="--n-train 500 is more than the 160 training images"):
        recipe_data(n_train=500, n_val=40)
    data = recipe_data(n_val=40)
    with pytest.raises(ValueError, match="augment must be None, 'basic' or 'drawing'"):
        train_with_recipe("dense", data, augment="heavy")


def test_the_shipped_recipe_teaches_the_start_model_and_records_both_costs(
    fake_mnist, monkeypatch, tmp_path
):
    from digitlab import drawn
    from digitlab.evaluate import evaluate
    from digitlab.recipes import Teaching, recipe_data, train_shipped
    from digitlab.saving import load_model, save_model
    from tests.fake_models import tiny_cnn

    monkeypatch.setenv("DIGITLAB_DATA", str(fake_mnist[0]))
    monkeypatch.setattr(drawn, "held_out_drawn", lambda: drawn.drawn_digits(
        20, 0, drawn.HELD_OUT, recipe_data(n_val=40).test))
    start = save_model(tiny_cnn(), tmp_path / "start.keras",
                       info={"training_seconds": 12.5, "training_cpu_seconds": 20.0})
    data = recipe_data(n_val=40, seed=1)
    teaching = Teaching(drawn=30, epochs=1, batch_size=32)
    model, record = train_shipped(data, start, teaching, seed=1)
    assert record["start"] == str(start) and record["teaching"] == teaching.record()
    assert record["n_train"] == 160 + 30 and record["n_val"] == 40
    assert record["start_training_cpu_seconds"] == 20.0
    assert record["test_accuracy"] == round(evaluate(model, *data.test).accuracy, 6)
    weights = load_model(start).get_weights()
    assert any(not np.array_equal(a, b) for a, b in zip(model.get_weights(), weights,
                                                        strict=True))
