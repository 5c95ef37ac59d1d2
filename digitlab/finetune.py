"""Teach a trained model your hand: fine-tune its last layers on a few of your drawings.

Lesson 10 writes this recipe out in Keras before it uses `fine_tune` for repeated runs
(several seeds, one writer left out at a time); `benchmarks/finetune.py` measures it.
The convolutions (and their batch normalization) stay frozen: they already find strokes,
edges and loops, and a few dozen drawings cannot teach them better. Only the dense layers
move, with a small learning rate and few epochs, so the model learns your quirks without
forgetting MNIST.
"""

from __future__ import annotations

import keras
import numpy as np

FROZEN = (keras.layers.Conv2D, keras.layers.BatchNormalization)
"""Layer types `fine_tune` keeps as they are."""
EPOCHS = 10
LEARNING_RATE = 3e-4
BATCH_SIZE = 16


def fine_tune(
    model: keras.Model,
    images: np.ndarray,
    labels: np.ndarray,
    *,
    epochs: int = EPOCHS,
    learning_rate: float = LEARNING_RATE,
    batch_size: int = BATCH_SIZE,
    seed: int = 0,
) -> keras.Model:
    """A copy of `model` fine-tuned on `images` float (N, 28, 28) in [0, 1] and `labels`
    (N,): convolutions and batch normalization frozen, Adam at `learning_rate`, `epochs`
    passes in shuffled batches. `model` itself is left unchanged. Lesson 10.
    """
    images = np.asarray(images, np.float32)
    labels = np.asarray(labels)
    if images.ndim != 3 or images.shape[1:] != (28, 28) or len(images) != len(labels):
        raise ValueError(
            f"expected images (N, 28, 28) and N labels, got {images.shape} and {labels.shape}"
        )
    if len(images) == 0:
        raise ValueError("fine-tuning needs at least one drawing")
    keras.utils.set_random_seed(seed)
    tuned = keras.models.clone_model(model)
    tuned.set_weights(model.get_weights())
    for layer in tuned.layers:
        if isinstance(layer, FROZEN):
            layer.trainable = False
    tuned.compile(
        optimizer=keras.optimizers.Adam(learning_rate),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    tuned.fit(images[..., None], labels, epochs=epochs, batch_size=batch_size, verbose=0)
    return tuned
