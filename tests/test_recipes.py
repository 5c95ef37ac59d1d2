"""The recipes chosen on the validation split: one per named model, a default for the rest."""

from __future__ import annotations

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
    import numpy as np

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
