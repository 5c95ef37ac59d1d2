"""Your own images (lesson 05): image files read safely and recognised, and drawings read
after each way of turning them into 28x28.

`read_image_file` opens a photo or scan (upright, bounded in size, one frame);
`predict_files` recognises the digit in each file and `format_file_result` gives the line
`digitlab predict IMAGE...` prints; `compare_preprocessing` measures how the same canvases
are read after `naive_squash` and after the MNIST recipe (`canvas_to_mnist`). The live
predictor itself is `digitlab.predict.Predictor`.
"""

from __future__ import annotations

import os
import re
import warnings
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from digitlab.evaluate import EvaluationReport, report_from_probabilities
from digitlab.i18n import tr
from digitlab.paths import printable, regular_file
from digitlab.predict import Prediction, Predictor
from digitlab.preprocess import (
    MAX_SIDE,
    EmptyDrawingError,
    canvas_to_mnist,
    check_image_sides,
    check_single_frame,
    naive_squash,
)


@dataclass(frozen=True, eq=False)
class FileResult:
    """The outcome for one image file: a prediction, or an error message (lesson 05)."""

    path: Path
    prediction: Prediction | None = None
    error: str | None = None

    @property
    def ok(self) -> bool:
        """True when the file was read and recognised."""
        return self.error is None


def read_image_file(path: str | os.PathLike[str]) -> Image.Image:
    """Open a PNG/JPG (photo or scan) upright and at most MAX_SIDE px a side (lesson 05).

    Raises OSError or ValueError with a message fit to show the user.
    """
    regular_file(path, "image file", named=False)  # a pipe would block the read forever
    try:
        with warnings.catch_warnings():
            # PIL warns from 89 megapixels and refuses from twice that; refuse from the warning
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as opened:
                check_single_frame(opened)
                image = ImageOps.exif_transpose(opened)  # phone photos: apply the rotation tag
                image.load()
    except FileNotFoundError:
        raise FileNotFoundError("file not found") from None
    except IsADirectoryError:
        raise IsADirectoryError("is a folder, not an image file") from None
    except UnidentifiedImageError:
        raise ValueError("not an image file (expected PNG or JPG)") from None
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ValueError(f"image too large to open safely: {_pixels(exc)}") from None
    except OSError as exc:
        raise OSError(f"cannot read the image ({exc.strerror or exc})") from None
    check_image_sides(image.height, image.width, scaled=True)  # the file's size, not the copy's
    image.thumbnail((MAX_SIDE, MAX_SIDE))
    return image


def _pixels(exc: Exception) -> str:
    """`W x H pixels, more than the N million ...` from PIL's decompression-bomb message."""
    found = re.search(r"\((\d+) pixels\) exceeds limit of (\d+) pixels", str(exc))
    if found is None:
        return "more pixels than PIL decodes safely"
    return f"{int(found[1]) / 1e6:.0f} megapixels, more than the {int(found[2]) / 1e6:.0f} allowed"


def predict_files(
    paths: Iterable[str | os.PathLike[str]], predictor: Predictor | None = None
) -> list[FileResult]:
    """Recognise the digit in each image file; a file that fails gets an error message.

    `predictor` defaults to the shipped course model (`Predictor.load()`). Lesson 05 and
    `digitlab predict`.
    """
    predictor = predictor if predictor is not None else Predictor.load()
    results = []
    for path in paths:
        try:
            prediction = predictor.predict_canvas(read_image_file(path))
        except EmptyDrawingError:
            results.append(FileResult(Path(path), error="no digit found: the image is blank"))
        except (OSError, ValueError) as exc:
            results.append(FileResult(Path(path), error=str(exc)))
        else:
            results.append(FileResult(Path(path), prediction=prediction))
    return results


def format_file_result(result: FileResult) -> str:
    """One line for `digitlab predict` (lesson 05): `digit.png: 7 (99.1%)`, `x.png: not sure
    (best guess 3, 41.0%)` or `notes.txt: error: not an image file (expected PNG or JPG)`.
    """
    name = printable(result.path)  # a newline in a file name must not fake a line
    if result.prediction is None:
        return tr("report.file.error", name=name, error=result.error)
    prediction = result.prediction
    confidence = f"{prediction.confidence:.1%}"
    if prediction.confident:
        return tr("report.file.digit", name=name, digit=prediction.label, confidence=confidence)
    return tr("report.file.not_sure", name=name, digit=prediction.best, confidence=confidence)


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
    """Recognise the same canvases after each of `PREPROCESSORS`. Lesson 05.

    Parameters
    ----------
    predictor : a `digitlab.predict.Predictor`.
    canvases, labels : drawings (any image `canvas_to_mnist` accepts) and their digits.

    Returns
    -------
    `{preprocessor name: Preprocessed}`, in the order of `PREPROCESSORS`.
    """
    if len(canvases) != len(labels):
        raise ValueError(f"{len(canvases)} canvases but {len(labels)} labels")
    results = {}
    for name, preprocess in PREPROCESSORS.items():
        images = np.stack([preprocess(canvas) for canvas in canvases])
        report = report_from_probabilities(labels, predictor.predict_proba(images))
        results[name] = Preprocessed(images, report)
    return results
