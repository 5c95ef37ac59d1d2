"""Recognise drawn digits with a trained model, fast enough for live use.

Introduced in lesson 06 (what_the_model_sees); lesson 05 reads image files with it through
`digitlab.your_images`. `Predictor` compiles the model call once with `tf.function`, so a
canvas becomes a `Prediction` in about a millisecond instead of the 50-100 ms
`model.predict` spends on one image. TensorFlow is imported only when a Predictor is built.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import numpy as np
from PIL import Image

from digitlab.config import INPUT_SHAPE, N_CLASSES, THRESHOLD, check_threshold
from digitlab.i18n import tr
from digitlab.preprocess import (
    MIN_DIGIT_EXTENT,
    canvas_to_mnist,
)

_IMAGE_SHAPE = INPUT_SHAPE[:2]  # one grey image without its channel axis


@dataclass(frozen=True, eq=False)
class Prediction:
    """What the model made of one drawing (lesson 06).

    `label` is the recognised digit, or None when the top probability is below the
    predictor's threshold (`confident` is False); `image28` is what the model saw.
    """

    label: int | None
    probabilities: np.ndarray
    confident: bool
    image28: np.ndarray

    @property
    def best(self) -> int:
        """The most probable digit, however unsure the model is."""
        return int(np.argmax(self.probabilities))

    @property
    def confidence(self) -> float:
        """The probability of the most probable digit."""
        return float(np.max(self.probabilities))

    @property
    def text(self) -> str:
        """`Prediction: 7`, or `Prediction: not sure` below the threshold (in the language
        set with `digitlab.i18n.set_language`: `预测：7`, `预测：不确定`)."""
        return tr("pad.prediction", digit=self.label) if self.confident else tr("pad.not_sure")


BATCH_SIZE = 1000  # images per model call in predict_proba


class Predictor:
    """A Keras model (28x28x1 in, 10 softmax probabilities out) ready for live prediction.

    The model call is compiled once with `tf.function` and run once at construction so the
    first drawing is as fast as the rest. `threshold` is the lowest top probability that
    still counts as confident; `model` is the wrapped Keras model. Lesson 05 (lesson 06
    explains its speed).
    """

    def __init__(self, model, threshold: float = THRESHOLD) -> None:
        check_threshold(threshold)
        import keras
        import tensorflow as tf

        if not isinstance(model, keras.Model):
            raise TypeError(
                f"expected a Keras model, got {type(model).__name__}; load one with "
                "digitlab.saving.load_model(path), or use Predictor.load() for the shipped one"
            )
        self.model = model
        self.threshold = threshold
        self._forward = tf.function(
            lambda images: model(images, training=False),
            input_signature=[tf.TensorSpec([None, *INPUT_SHAPE], tf.float32)],
        )
        self._check_model()

    @classmethod
    def load(
        cls, path: str | os.PathLike[str] | None = None, threshold: float = THRESHOLD
    ) -> Predictor:
        """A Predictor for the model saved at `path`, or the shipped course model if None.

        Lessons 05 and 06; loading goes through `digitlab.saving` (safe mode, checked shapes).
        """
        check_threshold(threshold)  # before the model is loaded
        from digitlab.saving import load_model, load_pretrained

        return cls(load_pretrained() if path is None else load_model(path), threshold)

    def predict_proba(self, images: np.ndarray) -> np.ndarray:
        """Probabilities (10,) for one image (28, 28[, 1]) or (N, 10) for (N, 28, 28[, 1]).

        Images are floats in [0, 1], white digit on black, like `canvas_to_mnist` returns.
        """
        batch, single = _as_batch(images)
        if len(batch) == 0:  # e.g. an empty Kaggle test file
            return np.zeros((0, N_CLASSES), np.float32)
        if len(batch) <= BATCH_SIZE:
            probabilities = self._forward(batch).numpy()
        else:  # bounded memory for whole test sets
            probabilities = np.concatenate([
                self._forward(batch[i : i + BATCH_SIZE]).numpy()
                for i in range(0, len(batch), BATCH_SIZE)
            ])
        return probabilities[0] if single else probabilities

    def predict_canvas(self, image: np.ndarray | Image.Image) -> Prediction:
        """Preprocess a drawing, photo or scan with `canvas_to_mnist` and recognise it.

        Raises EmptyDrawingError (a ValueError) for a blank canvas. No size rule: a photo
        may show a small digit on a big page; drawings on a pad use `predict_drawing`.
        """
        return self._predict_mnist(canvas_to_mnist(image))

    def predict_drawing(self, image: np.ndarray | Image.Image) -> Prediction:
        """`predict_canvas` for a drawing on a pad, after the not-a-digit rule (lesson 06).

        Raises EmptyDrawingError for a blank canvas and TooSmallDrawingError (a ValueError)
        for ink too small to be a digit (`digitlab.preprocess.check_drawing`): a tap, a dot
        or a short line gets no prediction instead of a confident guess.
        """
        return self._predict_mnist(canvas_to_mnist(image, min_extent=MIN_DIGIT_EXTENT))

    def _predict_mnist(self, image28: np.ndarray) -> Prediction:
        """The `Prediction` for one preprocessed (28, 28) image."""
        probabilities = self.predict_proba(image28)
        confident = bool(probabilities.max() >= self.threshold)
        label = int(np.argmax(probabilities)) if confident else None
        return Prediction(label, probabilities, confident, image28)

    def _check_model(self) -> None:
        """Check the model's weights and input, then run it once (compiling it) and check
        it gives 10 probabilities. Each problem is one sentence; TensorFlow's is chained."""
        from digitlab.saving import check_digit_model, non_finite_weights

        broken = non_finite_weights(self.model)
        if broken:
            raise ValueError(f"cannot predict with this model: {broken}")
        expected = f"the model must take {INPUT_SHAPE} images, as keras.Input({INPUT_SHAPE})"
        try:
            self.model.inputs  # noqa: B018 (a Sequential without keras.Input has none yet)
        except (AttributeError, ValueError):
            pass  # unbuilt: the call below says whether it takes 28x28 images
        else:
            check_digit_model(self.model)
        try:
            output = self._forward(np.zeros((1, *INPUT_SHAPE), np.float32)).numpy()
        except (ValueError, TypeError) as exc:
            raise ValueError(f"{expected}; it fails on them ({type(exc).__name__})") from exc
        if output.shape != (1, N_CLASSES) or not np.isclose(output.sum(), 1, atol=1e-3):
            raise ValueError(
                f"the model must end in a softmax over {N_CLASSES} digits; it returned "
                f"shape {output.shape[1:]}"
                + (f" summing to {output.sum():.3g}" if np.isfinite(output).all() else
                   " with NaN or infinite values")
            )


def _as_batch(images: np.ndarray) -> tuple[np.ndarray, bool]:
    """`images` as float32 (N, 28, 28, 1) and whether a single image was given."""
    array = np.asarray(images)
    if array.dtype.kind != "f":
        raise TypeError(
            f"expected float images in [0, 1], got dtype {array.dtype}; "
            "divide uint8 images by 255 (or use canvas_to_mnist)"
        )
    single = array.shape in (_IMAGE_SHAPE, (*_IMAGE_SHAPE, 1))
    batch = array.reshape(-1, *_IMAGE_SHAPE, 1) if single else array
    if batch.ndim == 3 and batch.shape[1:] == _IMAGE_SHAPE:
        batch = batch[..., None]
    if batch.ndim != 4 or batch.shape[1:] != (*_IMAGE_SHAPE, 1):
        raise ValueError(
            "expected one image (28, 28) or (28, 28, 1), or a batch (N, 28, 28) or "
            f"(N, 28, 28, 1), got shape {array.shape}"
        )
    if batch.size and not (np.isfinite(batch).all() and batch.min() >= 0 and batch.max() <= 1):
        raise ValueError("expected pixel values in [0, 1] with no NaN or infinity")
    return batch.astype(np.float32, copy=False), single
