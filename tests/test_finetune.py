"""Fine-tuning (lesson 10): only the dense layers move, the model given is untouched, and
on a synthetic sample writer it reads that writer's unseen drawings better."""

from __future__ import annotations

import keras
import numpy as np
import pytest

from digitlab.finetune import fine_tune


def _tiny_cnn():
    return keras.Sequential([
        keras.Input((28, 28, 1)),
        keras.layers.Conv2D(4, 3, use_bias=False),
        keras.layers.BatchNormalization(),
        keras.layers.ReLU(),
        keras.layers.Flatten(),
        keras.layers.Dense(10, activation="softmax"),
    ])


def test_only_the_dense_layers_move_and_the_original_is_untouched():
    model = _tiny_cnn()
    before = [w.copy() for w in model.get_weights()]
    rng = np.random.default_rng(0)
    images = rng.random((32, 28, 28), dtype=np.float32)
    labels = np.arange(32) % 10
    tuned = fine_tune(model, images, labels, epochs=2)
    for old, new in zip(before, model.get_weights(), strict=True):
        np.testing.assert_array_equal(old, new)
    kinds = [type(layer).__name__ for layer in tuned.layers for _ in layer.weights]
    for kind, old, new in zip(kinds, before, tuned.get_weights(), strict=True):
        assert np.array_equal(old, new) == (kind != "Dense"), kind


@pytest.mark.parametrize(
    ("images", "labels", "says"),
    [
        (np.zeros((3, 28, 28)), np.zeros(2), "expected images"),
        (np.zeros((3, 32, 32)), np.zeros(3), "expected images"),
        (np.zeros((0, 28, 28)), np.zeros(0), "at least one drawing"),
    ],
)
def test_bad_inputs_are_one_sentence(images, labels, says):
    with pytest.raises(ValueError, match=says):
        fine_tune(_tiny_cnn(), images, labels)


def test_fine_tuning_on_a_writer_reads_their_other_drawings_better():
    from digitlab.data import sample_drawings
    from digitlab.saving import load_pretrained

    drawings = sample_drawings()
    mine = np.flatnonzero(drawings.writers == "synthetic-b")  # the hand the model reads worst
    train, test = mine[::2], mine[1::2]
    model = load_pretrained()
    tuned = fine_tune(model, drawings.images[train], drawings.labels[train])

    def accuracy(m):
        guesses = m.predict(drawings.images[test][..., None], verbose=0).argmax(axis=1)
        return np.mean(guesses == drawings.labels[test])

    assert accuracy(tuned) > accuracy(model) + 0.04


def test_lesson_10_writes_out_the_recipe_fine_tune_packages():
    import json
    import re

    from digitlab.config import PROJECT_DIR
    from digitlab.finetune import BATCH_SIZE, FROZEN, LEARNING_RATE

    cells = json.loads((PROJECT_DIR / "notebooks" / "10_your_handwriting.ipynb").read_text())
    code = "\n".join("".join(c["source"]) for c in cells["cells"] if c["cell_type"] == "code")
    [rate] = re.findall(r"keras\.optimizers\.Adam\(([0-9.e-]+)\)", code)
    assert float(rate) == LEARNING_RATE
    assert f"batch_size={BATCH_SIZE}" in code
    frozen = ", ".join(f"keras.layers.{kind.__name__}" for kind in FROZEN)
    assert f"isinstance(layer, ({frozen}))" in code
