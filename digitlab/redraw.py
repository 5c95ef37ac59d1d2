"""MNIST digits redrawn as if someone had drawn them on a canvas or paper.

Introduced in lesson 05 (your images) to test the preprocessing without a human: each
28x28 MNIST digit becomes a canvas of random size with the digit at a random size and
position, with a thicker or thinner pen, on one of several backgrounds. Used by
`benchmarks/drawing.py` and the tests of `digitlab.preprocess`; lesson 05 measures
`digitlab.your_images.compare_preprocessing` on redrawn validation digits.
"""

from __future__ import annotations

import os

import numpy as np
from PIL import Image, ImageFilter

PAPER_STYLES = ("dark_on_white", "dark_on_grey", "light_on_black", "transparent")
"""dark ink on white RGB; dark ink on light 2-D grey; white ink on black RGB; coloured ink
on a transparent RGBA canvas (an HTML canvas)."""

_WORK_SIDE = 96  # the pen is thickened/thinned at this size, then scaled to the canvas
_PEN_FILTERS = (  # thinner, unchanged, thicker, much thicker
    ImageFilter.MinFilter(3),
    None,
    ImageFilter.MaxFilter(3),
    ImageFilter.MaxFilter(5),
)


def redraw_digit(
    digit: np.ndarray,
    rng: np.random.Generator,
    *,
    style: str | None = None,
    canvas_size: tuple[int, int] | None = None,
    digit_fraction: float | None = None,
    pen: int | None = None,
) -> np.ndarray:
    """One MNIST digit (28, 28; uint8 0-255 or float 0-1) as a uint8 canvas image.

    Random unless given: canvas (height, width) each 200-600 px; the digit's longer side
    `digit_fraction` (0.25-0.9) of the canvas's shorter side, at a random position; `pen`
    an index into the pen filters (0 thinner, 1 unchanged, 2 thicker, 3 much thicker);
    `style` one of PAPER_STYLES. Returns (H, W) for "dark_on_grey", (H, W, 3) or (H, W, 4)
    otherwise (lesson 06 draws real digits small with it; lesson 05 asks for it in exercise 3).
    """
    style = style if style is not None else str(rng.choice(PAPER_STYLES))
    if style not in PAPER_STYLES:
        raise ValueError(f"style must be one of {PAPER_STYLES}, got {style!r}")
    height, width = canvas_size or tuple(int(side) for side in rng.integers(200, 601, size=2))
    fraction = digit_fraction if digit_fraction is not None else rng.uniform(0.25, 0.9)
    pen_filter = _PEN_FILTERS[pen if pen is not None else rng.integers(len(_PEN_FILTERS))]

    stroke = _solid_stroke(digit, pen_filter)
    scale = fraction * min(height, width) / max(stroke.size)
    size = (max(1, round(stroke.width * scale)), max(1, round(stroke.height * scale)))
    stroke = stroke.resize(size, Image.Resampling.BILINEAR)
    ink = np.zeros((height, width), dtype=np.float32)
    top = int(rng.integers(0, height - stroke.height + 1))
    left = int(rng.integers(0, width - stroke.width + 1))
    ink[top : top + stroke.height, left : left + stroke.width] = np.asarray(stroke) / 255
    return _paint(ink, style, rng)


def _solid_stroke(digit: np.ndarray, pen_filter: ImageFilter.Filter | None) -> Image.Image:
    """The digit cropped, enlarged, made a solid pen stroke and thickened/thinned: mode L."""
    grey = np.asarray(digit, dtype=np.float32)
    grey = grey / 255 if grey.max() > 1 else grey
    rows = np.flatnonzero(grey.max(axis=1) > 0.1)
    cols = np.flatnonzero(grey.max(axis=0) > 0.1)
    crop = np.pad(grey[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1], 2)
    scale = _WORK_SIDE / max(crop.shape)
    size = (round(crop.shape[1] * scale), round(crop.shape[0] * scale))
    big = np.asarray(Image.fromarray(crop).resize(size, Image.Resampling.BILINEAR))
    solid = Image.fromarray((np.clip((big - 0.35) / 0.3, 0, 1) * 255).astype(np.uint8))
    return solid.filter(pen_filter) if pen_filter is not None else solid


def _paint(ink: np.ndarray, style: str, rng: np.random.Generator) -> np.ndarray:
    """Ink strength (H, W) in [0, 1] rendered in `style` as a uint8 image."""
    ink = ink[..., None]
    if style == "transparent":
        rgb = rng.integers(0, 256, size=3) * (ink > 0)  # a canvas is (0, 0, 0, 0) unpainted
        return np.concatenate([rgb, ink * 255], axis=2).round().astype(np.uint8)
    if style == "light_on_black":
        paper, pen = rng.uniform(0, 40), rng.uniform(200, 255)
    else:
        paper, pen = rng.uniform(200, 255), rng.uniform(0, 60)
    image = paper + (pen - paper) * ink
    image = image[..., 0] if style == "dark_on_grey" else np.repeat(image, 3, axis=2)
    return image.round().astype(np.uint8)


def redraw_digits(
    digits: np.ndarray, rng: np.random.Generator
) -> tuple[list[np.ndarray], np.ndarray]:
    """Every digit redrawn with a random style: the canvases, and the style of each.

    Lesson 05 (validation digits redrawn to measure preprocessing; lesson 06 checks the size
    rule on them); behind `redrawn_test_digits` and `benchmarks/drawing.py` (which reports
    accuracy per style).
    """
    canvases, styles = [], []
    for digit in digits:
        style = str(rng.choice(PAPER_STYLES))
        canvases.append(redraw_digit(digit, rng, style=style))
        styles.append(style)
    return canvases, np.array(styles)


def redrawn_test_digits(
    n: int, seed: int = 0, data_dir: str | os.PathLike[str] | None = None
) -> tuple[list[np.ndarray], np.ndarray]:
    """`n` MNIST test digits (a stratified sample) redrawn as canvases, and their labels.

    Each canvas has a random size, digit size and position, pen and background, as a
    drawing or a photo would (`redraw_digits`). Lesson 05.

    Parameters
    ----------
    n : how many test digits.
    seed : fixes which digits and how they are drawn.
    data_dir : the MNIST folder (default: `digitlab.config.data_dir()`).

    Returns
    -------
    `(canvases, labels)`: a list of uint8 images and an array of `n` labels.
    """
    from digitlab.data import load_mnist

    _, (images, labels) = load_mnist(data_dir, n_test=n, seed=seed)
    canvases, _ = redraw_digits(images, np.random.default_rng(seed))
    return canvases, labels
