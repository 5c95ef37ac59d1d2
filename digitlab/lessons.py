"""Small helpers that only the lesson notebooks need (lessons 03-06).

Where lesson 03 saves its CNN and which model lessons 05 and 06 load; what the five
reference projects reported and the comparison table of lesson 04; the training-set
sizes of lesson 04's sweep; MNIST digits redrawn as canvases and recognised after each
preprocessing (lesson 05); the preprocessing steps as pictures (lesson 06). Sizes shrink
in fast mode (`digitlab.config.pick`), so the notebooks run unchanged in CI.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from digitlab.config import PROJECT_DIR, pick
from digitlab.plots import STYLE, styled
from digitlab.preprocess import canvas_to_mnist, ink_map, naive_squash

if TYPE_CHECKING:
    import keras
    from matplotlib.figure import Figure

    from digitlab.compare import RunSummary
    from digitlab.evaluate import EvaluationReport
    from digitlab.predict import Predictor

OWN_MODEL_PATH = PROJECT_DIR / "models" / "cnn.keras"
"""Where lesson 03 saves the CNN it trains; lessons 05 and 06 use it when it is there."""
FAST_MODEL_PATH = PROJECT_DIR / "build" / "fast" / "cnn.keras"
"""Where lesson 03 saves in fast mode, so a CI run never replaces a fully trained model."""


def own_model_path() -> Path:
    """The file lesson 03 saves its CNN to: `models/cnn.keras` (fast mode: under build/)."""
    return pick(OWN_MODEL_PATH, FAST_MODEL_PATH)


def course_model() -> tuple[keras.Model, str]:
    """The model lessons 04-06 study, and a sentence saying which one it is.

    The CNN you trained in lesson 03 (`models/cnn.keras`) if it is there, else the model
    shipped with digitlab. Both are loaded with `digitlab.saving.load_model` (safe mode).
    """
    from digitlab.saving import PRETRAINED_PATH, load_model

    if OWN_MODEL_PATH.is_file():
        path, which = OWN_MODEL_PATH, "the CNN you trained in lesson 03"
    else:
        path, which = PRETRAINED_PATH, "the model shipped with digitlab"
    return load_model(path), f"{which} ({_shown(path)})"


def _shown(path: Path) -> str:
    """`path` relative to the project when it is inside it."""
    return str(path.relative_to(PROJECT_DIR)) if path.is_relative_to(PROJECT_DIR) else str(path)


@dataclass(frozen=True)
class Reported:
    """What a write-up in SEEDS.md says about its model (lesson 04)."""

    project: str
    accuracy: float | None
    recipe: str


REPORTED: dict[str, Reported] = {
    "dense": Reported("B, the assignment's dense baseline", 0.967, "not given"),
    "cnn": Reported("digitlab, the course CNN (lesson 03)", None, "Adam, 6 epochs"),
    "tfjs_cnn": Reported("A, TensorFlow.js in the browser", None, "rmsprop"),
    "assignment_cnn": Reported("B, the university assignment", 0.9943, "50 epochs"),
    "browser_cnn": Reported("C, Python trains, browser predicts", 0.985, "not given"),
    "own_images_cnn": Reported("D, Keras CNN and own images", 0.9919,
                               "Adam, 10 epochs, batch 200"),
    "keras_example": Reported("E, the Keras example", 0.992,
                              "Adadelta, 12 epochs, batch 128"),
}
"""The models of lesson 04 by name (`digitlab.models.MODELS`): where each comes from and
the test accuracy its write-up reports (None: not reported)."""


@dataclass(frozen=True)
class ComparisonTable:
    """Lesson 04's table of trained models next to what their write-ups reported.

    Shown as HTML in a notebook; its text form has one line per model,
    `name: test accuracy 99.05%, 110,458 parameters, 24 s (reported: 99.43%)`.
    """

    runs: Sequence[RunSummary]

    def _rows(self) -> list[tuple[str, str, str, str, str, str]]:
        rows = []
        for run in self.runs:
            reported = REPORTED.get(run.name)
            rows.append((
                run.name,
                reported.project if reported else "",
                f"{run.params:,}",
                f"{run.seconds:.0f}",
                f"{run.accuracy:.2%}",
                f"{reported.accuracy:.2%}" if reported and reported.accuracy else "-",
            ))
        return rows

    def __str__(self) -> str:
        return "\n".join(
            f"{name}: test accuracy {accuracy}, {params} parameters, {seconds} s "
            f"(reported: {reported})"
            for name, _, params, seconds, accuracy, reported in self._rows()
        )

    __repr__ = __str__

    def _repr_html_(self) -> str:
        header = ("model", "from (SEEDS.md)", "parameters", "training s", "test accuracy",
                  "reported")
        align = ("left", "left", "right", "right", "right", "right")
        head = "".join(f'<th style="text-align:{a}">{h}</th>' for h, a in zip(header, align,
                                                                               strict=True))
        body = "".join(
            "<tr>" + "".join(f'<td style="text-align:{a}">{html.escape(v)}</td>'
                             for v, a in zip(row, align, strict=True)) + "</tr>"
            for row in self._rows()
        )
        return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def train_sizes() -> tuple[int, ...]:
    """Training-set sizes of lesson 04's sweep (fewer in fast mode)."""
    return pick((500, 1000, 2000, 5000, 10000), (500, 2000))


def redrawn_test_digits(n: int | None = None, seed: int = 0) -> tuple[list[np.ndarray],
                                                                       np.ndarray]:
    """`n` MNIST test digits redrawn as canvas images (`digitlab.redraw`), and their labels.

    Each canvas has a random size, digit size and position, pen and background, like a
    drawing or a photo would. `n` defaults to 400 (100 in fast mode). Lesson 05.
    """
    from digitlab.data import load_mnist
    from digitlab.redraw import redraw_digits

    n = pick(400, 100) if n is None else n
    _, (images, labels) = load_mnist(n_test=n, seed=seed)
    canvases, _ = redraw_digits(images, np.random.default_rng(seed))
    return canvases, labels


PREPROCESSORS: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "naive_squash": naive_squash,
    "canvas_to_mnist": canvas_to_mnist,
}
"""The two ways lesson 05 turns a canvas into 28x28: shrink it whole, or the MNIST recipe."""


@dataclass(frozen=True)
class Preprocessed:
    """Canvases after one preprocessing: the 28x28 images the model saw and how it did."""

    images: np.ndarray
    report: EvaluationReport


def compare_preprocessing(
    predictor: Predictor, canvases: Sequence[np.ndarray], labels: np.ndarray
) -> dict[str, Preprocessed]:
    """Recognise the same canvases after each of `PREPROCESSORS`. Lesson 05."""
    from digitlab.evaluate import report_from_probabilities

    if len(canvases) != len(labels):
        raise ValueError(f"{len(canvases)} canvases but {len(labels)} labels")
    results = {}
    for name, preprocess in PREPROCESSORS.items():
        images = np.stack([preprocess(canvas) for canvas in canvases])
        report = report_from_probabilities(labels, predictor.predict_proba(images))
        results[name] = Preprocessed(images, report)
    return results


@styled
def show_preprocessing(canvas: np.ndarray, predictor: Predictor | None = None) -> Figure:
    """What happens to a drawing before the model sees it, in four pictures. Lesson 06.

    The canvas as drawn; the ink cropped to its bounding box; the whole canvas squashed to
    28x28 (what most tutorials feed the model); and `canvas_to_mnist`: the crop scaled
    to 20 px and placed so its centre of mass (+) sits at the centre (dotted). With a
    `predictor`, the two 28x28 panels are titled with the model's answer.
    """
    import matplotlib.pyplot as plt

    ink = ink_map(canvas)
    rows, cols = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
    crop = ink[rows[0]:rows[-1] + 1, cols[0]:cols[-1] + 1]
    squashed, recipe = naive_squash(canvas), canvas_to_mnist(canvas)
    fig, axes = plt.subplots(1, 4, figsize=(11, 3.2))
    canvas_ax, crop_ax, squash_ax, recipe_ax = axes
    canvas_ax.imshow(canvas, cmap="gray" if np.ndim(canvas) == 2 else None)
    canvas_ax.add_patch(plt.Rectangle((cols[0] - 0.5, rows[0] - 0.5), len(crop[0]),
                                      len(crop), fill=False, ec=STYLE.mistake, lw=1.5))
    canvas_ax.set_title(f"1. the canvas, {canvas.shape[1]}x{canvas.shape[0]}")
    crop_ax.imshow(crop, cmap="gray")
    crop_ax.set_title(f"2. the ink, cropped: {crop.shape[1]}x{crop.shape[0]}")
    for ax, image, title in ((squash_ax, squashed, "naive: canvas squashed to 28x28"),
                             (recipe_ax, recipe, "MNIST recipe: 20x20, centred")):
        ax.imshow(image, cmap="gray", vmin=0, vmax=1)
        if predictor is not None:
            probabilities = predictor.predict_proba(image)
            best = int(probabilities.argmax())
            title += f"\nmodel: {best} ({probabilities[best]:.0%})"
        ax.set_title(title)
    mass_y, mass_x = (np.indices(recipe.shape) * recipe).sum(axis=(1, 2)) / recipe.sum()
    recipe_ax.plot(mass_x, mass_y, "+", color=STYLE.palette[1], ms=14, mew=2)
    recipe_ax.axhline(14, ls=":", color=STYLE.palette[1])
    recipe_ax.axvline(14, ls=":", color=STYLE.palette[1])
    for ax in axes:
        ax.set_xticks([])
        ax.set_yticks([])
    return fig
