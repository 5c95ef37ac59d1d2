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
