"""Turn a drawing, photo or scan into the 28x28 image an MNIST model expects.

Introduced in lesson 05 (save_load_and_your_images); lesson 06 pictures its steps, and the
pad of lesson 07 runs it on every stroke. MNIST digits were made with a fixed recipe: crop
the ink, scale it with anti-aliasing so its longer side is 20 px, and place it in a 28x28
field so that its centre of mass sits at the centre. `canvas_to_mnist` repeats that recipe;
`naive_squash` is the shortcut many tutorials take (shrink the whole canvas to 28x28) and is
kept so lesson 05 can show why it fails.

Accepted input (numpy array or PIL image), else a ValueError/TypeError that says why:

* shape (H, W) grey, (H, W, 1), (H, W, 3) RGB or (H, W, 4) RGBA, each side 8..4096 px;
* integer dtypes hold 0..255, float dtypes hold 0..1 (a rounding overshoot up to 0.001 is
  clipped; NaN, inf and 0..255 floats are rejected); bool, complex and object arrays are
  rejected; PIL images of any mode are converted (16-bit greyscale included; modes I and F
  holding 0-255 are read as 0-255);
* dark ink on a light background or light ink on a dark one (the background is the median
  of the border, the ink is whatever differs most from it);
* an RGBA image whose border is mostly transparent (an HTML canvas) takes its ink from
  alpha; otherwise alpha is ignored and the colour is used.

A canvas with no visible ink raises `EmptyDrawingError` (a ValueError).

The not-a-digit rule for drawings (the drawing pad, `Predictor.predict_drawing` and the web
page share it): ink is the pixels of `ink_map` with strength >= 0.5; fewer than
MIN_INK_PIXELS of them is no drawing ("Draw a digit"); if the longer side of their bounding
box is less than MIN_DIGIT_EXTENT of the canvas's shorter side, the drawing is a tap, a dot
or a short line, not a digit ("Draw a bigger digit"). `check_drawing` applies it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PIL import Image

from digitlab.config import IMAGE_SIDE

DIGIT_BOX = 20  # MNIST scaled each digit so its longer side is 20 px ...
MNIST_CENTRE = 14.0  # ... and put its centre of mass at pixel (14, 14).
MIN_SIDE = 8
MAX_SIDE = 4096
MIN_CONTRAST = 0.1  # ink must differ from the background by at least this (0..1 scale)
NOISE_FLOOR = 0.1  # ink fainter than this fraction of the strongest ink counts as paper
MIN_INK_PIXELS = 4  # fewer pixels of at least half-strength ink: nothing was drawn
# Ink spanning less of the canvas's shorter side is not read as a digit. Measured by
# benchmarks/not_a_digit.py: a tap spans at most 0.14 even with the widest pen (40 px on
# 280), MNIST validation digits redrawn at 25-90% of the canvas (digitlab.redraw) at least
# 0.19; 0.2 refuses every tap and dot, lines under 56 px on the pad, and 0.1% of those
# digits (0.25 refused 8.5%).
MIN_DIGIT_EXTENT = 0.2

_EMPTY_MESSAGE = "the canvas is empty: draw a digit first"
_TOO_SMALL_MESSAGE = (
    "the drawing is too small to be a digit (a tap, a dot or a short line): draw a bigger digit"
)
_LUMA = (np.float32(0.299), np.float32(0.587), np.float32(0.114))  # ITU-R 601, like PIL "L"


class EmptyDrawingError(ValueError):
    """The image has no ink to recognise (lessons 05 and 06)."""


class TooSmallDrawingError(ValueError):
    """The ink on a drawing is too small to be a digit: a tap, a dot, a short line (lesson 06)."""


def ink_map(image: np.ndarray | Image.Image) -> np.ndarray:
    """Ink strength per pixel: float32 (H, W), 1 = strongest ink, 0 = background.

    Handles every input described in the module docstring; shared by `canvas_to_mnist` and
    `naive_squash` (lesson 05). Raises EmptyDrawingError when nothing was drawn.
    """
    signal = _signal(_checked_array(image))
    background = float(np.median(_border(signal)))
    darkest, brightest = float(signal.min()), float(signal.max())
    if background - darkest >= brightest - background:
        peak, raw = background - darkest, background - signal
    else:
        peak, raw = brightest - background, signal - background
    if peak < MIN_CONTRAST:
        raise EmptyDrawingError(_EMPTY_MESSAGE)
    floor = NOISE_FLOOR * peak
    raw -= floor
    raw /= peak - floor
    ink = np.clip(raw, 0.0, 1.0, out=raw)
    if np.count_nonzero(ink >= 0.5) < MIN_INK_PIXELS:
        raise EmptyDrawingError(_EMPTY_MESSAGE)
    return ink


def ink_extent(image: np.ndarray | Image.Image) -> float:
    """How big the drawing is: the longer side of the bounding box of its ink (pixels of
    strength >= 0.5) as a fraction of the canvas's shorter side (lesson 06).

    A 280 px pad with a 20 px pen: a tap is 0.07, a digit drawn across the pad about 0.7.
    Raises EmptyDrawingError when nothing was drawn.
    """
    return _extent(ink_map(image))


def _extent(ink: np.ndarray) -> float:
    """`ink_extent` of an ink map."""
    strong = ink >= 0.5
    rows = np.flatnonzero(strong.any(axis=1))
    cols = np.flatnonzero(strong.any(axis=0))
    longer = max(rows[-1] - rows[0] + 1, cols[-1] - cols[0] + 1)
    return float(longer / min(strong.shape))


def check_drawing(image: np.ndarray | Image.Image, min_extent: float = MIN_DIGIT_EXTENT) -> None:
    """The not-a-digit rule for drawings (lesson 06): return if `image` may hold a digit.

    Raises EmptyDrawingError when nothing was drawn and TooSmallDrawingError when the ink's
    `ink_extent` is below `min_extent` (a tap, a dot, a short line). Drawings only: a photo
    or scan frames its digit arbitrarily, so files are not held to a size.
    """
    if ink_extent(image) < min_extent:
        raise TooSmallDrawingError(_TOO_SMALL_MESSAGE)


@dataclass(frozen=True)
class MnistSteps:
    """The MNIST recipe step by step, as `canvas_to_mnist` runs it (`show_preprocessing`).

    `ink` is the canvas's ink map (H, W); `box` the ink's bounding box (top, left, bottom,
    right; bottom and right exclusive); `crop` the ink inside it; `digit` the crop scaled
    so its longer side is 20 px; `image` the 28x28 result; `centre` (row, column) the
    centre of mass of the digit in `image`.
    """

    ink: np.ndarray
    box: tuple[int, int, int, int]
    crop: np.ndarray
    digit: np.ndarray
    image: np.ndarray
    centre: tuple[float, float]


def mnist_steps(image: np.ndarray | Image.Image, min_extent: float | None = None) -> MnistSteps:
    """Run the MNIST recipe of `canvas_to_mnist` and keep every intermediate step. Lesson 06.

    Crop to the ink, scale with anti-aliasing so the longer side is 20 px (aspect ratio
    kept), place it in a 28x28 field with its centre of mass at pixel (14, 14). With
    `min_extent`, first the size rule of `check_drawing`, on the same ink map.
    """
    ink = ink_map(image)
    if min_extent is not None and _extent(ink) < min_extent:
        raise TooSmallDrawingError(_TOO_SMALL_MESSAGE)
    rows = np.flatnonzero(ink.any(axis=1))
    cols = np.flatnonzero(ink.any(axis=0))
    box = (int(rows[0]), int(cols[0]), int(rows[-1]) + 1, int(cols[-1]) + 1)
    crop = ink[box[0] : box[2], box[1] : box[3]]
    scale = DIGIT_BOX / max(crop.shape)
    height = max(1, round(crop.shape[0] * scale))
    width = max(1, round(crop.shape[1] * scale))
    digit = _resize(crop, width, height)
    digit /= digit.max()
    # A faint speck at the crop's edge can vanish in the resize: centre the ink that is left,
    # not the empty rows and columns it leaves behind.
    kept_rows, kept_cols = np.flatnonzero(digit.any(axis=1)), np.flatnonzero(digit.any(axis=0))
    digit = digit[kept_rows[0] : kept_rows[-1] + 1, kept_cols[0] : kept_cols[-1] + 1]
    field, centre = _centre_by_mass(digit)
    return MnistSteps(ink, box, crop, digit, field, centre)


def canvas_to_mnist(
    image: np.ndarray | Image.Image, min_extent: float | None = None
) -> np.ndarray:
    """The drawing as an MNIST digit: float32 (28, 28) in [0, 1], white ink on black.

    The MNIST recipe (lesson 05): crop to the ink, scale with anti-aliasing so the longer
    side is 20 px (aspect ratio kept), then place it in a 28x28 field with its centre of
    mass at pixel (14, 14), rounded to whole pixels. The digit is never cut off: if centring
    would push it past an edge it stops at the edge. Scaled so the strongest ink is 1.
    `mnist_steps` returns the steps in between. With `min_extent` (the pad's
    `MIN_DIGIT_EXTENT`), ink spanning less of the canvas raises TooSmallDrawingError, as
    `check_drawing` would, without finding the ink twice.
    """
    return mnist_steps(image, min_extent).image


def naive_squash(image: np.ndarray | Image.Image) -> np.ndarray:
    """The whole canvas shrunk to 28x28, as most tutorials do: float32 (28, 28) in [0, 1].

    Same ink detection as `canvas_to_mnist` but no cropping, scaling to 20 px or centring,
    so a small or off-centre drawing looks nothing like MNIST (compared in lesson 05).
    """
    return np.clip(_resize(ink_map(image), IMAGE_SIDE, IMAGE_SIDE), 0.0, 1.0)


def _checked_array(image: np.ndarray | Image.Image) -> np.ndarray:
    """The image as an (H, W) or (H, W, 3|4) numpy array, or a clear error."""
    if isinstance(image, Image.Image):
        check_single_frame(image)
        array = _pil_to_array(image)
    elif isinstance(image, np.ndarray):
        array = image
    else:
        raise TypeError(
            f"expected a numpy array or a PIL image, got {type(image).__name__}; "
            "wrap lists with np.asarray(...)"
        )
    if array.dtype.kind not in "uif":
        raise TypeError(
            f"expected an image of integers (0-255) or floats (0-1), got dtype {array.dtype}"
            + ("; convert masks with mask.astype(np.uint8) * 255" if array.dtype == bool else "")
        )
    if array.ndim == 3 and array.shape[2] == 1:
        array = array[..., 0]
    if array.ndim not in (2, 3) or (array.ndim == 3 and array.shape[2] not in (3, 4)):
        raise ValueError(
            "expected a grey (H, W), grey (H, W, 1), RGB (H, W, 3) or RGBA (H, W, 4) image, "
            f"got shape {array.shape}"
        )
    check_image_sides(*array.shape[:2])
    return array


def check_image_sides(height: int, width: int, *, scaled: bool = False) -> None:
    """Raise ValueError unless each side is MIN_SIDE to MAX_SIDE pixels, naming the real size.

    `scaled`: the image will first be shrunk to at most MAX_SIDE a side, keeping its shape
    (image files, as `read_image_file` opens them), so only a shorter side then under MIN_SIDE is
    refused, and the message gives the size of the file, not of the shrunk copy.
    """
    short, long = sorted((height, width))
    if scaled and long > MAX_SIDE:
        if short * MAX_SIDE / long < MIN_SIDE:
            raise ValueError(
                f"got a {height}x{width} image: too thin, its shorter side would be under "
                f"{MIN_SIDE} pixels once the longer is scaled down to {MAX_SIDE}"
            )
    elif short < MIN_SIDE or long > MAX_SIDE:
        raise ValueError(
            f"expected an image between {MIN_SIDE} and {MAX_SIDE} pixels a side, "
            f"got {height}x{width}; resize it first"
        )


def check_single_frame(image: Image.Image) -> None:
    """Raise ValueError for an animated image (GIF, APNG, WebP): which frame is the digit?

    Lessons 05 and 06 read one picture; `digitlab predict` refuses animations the same way.
    """
    frames = getattr(image, "n_frames", 1)
    if frames > 1:
        raise ValueError(
            f"an animated image ({frames} frames); save the frame with the digit as PNG or JPG"
        )


def _pil_to_array(image: Image.Image) -> np.ndarray:
    """A PIL image of any mode as uint8 L/RGB/RGBA or float32 grey in [0, 1].

    Modes `I;16*` (16-bit PNGs) hold 0-65535. Modes `I` (32-bit integers) and `F` (floats)
    say nothing about their range, so it is read from the values: `I` holding 0-255 (as
    `.convert("I")` makes) or 0-65535, `F` holding 0-1 or 0-255; anything else is refused.
    """
    if image.mode in ("L", "RGB", "RGBA"):
        return np.asarray(image)
    if image.mode.startswith("I;16"):
        return np.asarray(image, dtype=np.float32) / np.float32(65535)
    if image.mode in ("I", "F"):
        return _scaled_by_range(np.asarray(image, dtype=np.float32), image.mode)
    has_alpha = bool({"A", "a"} & set(image.getbands())) or "transparency" in image.info
    return np.asarray(image.convert("RGBA" if has_alpha else "RGB"))


def _scaled_by_range(values: np.ndarray, mode: str) -> np.ndarray:
    """A mode I or F image as floats in [0, 1], its scale told by its largest value."""
    if not np.isfinite(values).all():
        raise ValueError("the image contains NaN or infinite values")
    low, high = float(values.min()), float(values.max())
    scales = (255, 65535) if mode == "I" else (1, 255)
    scale = next((s for s in scales if high <= s * (1 + 1e-6) + 1e-3 * (s == 1)), None)
    if low < 0 or scale is None:
        raise ValueError(
            f"a PIL image of mode {mode} must hold values {' or '.join(f'0-{s}' for s in scales)}, "
            f"got {low:g}..{high:g}; convert it to mode L first"
        )
    return values / np.float32(scale)


def _signal(array: np.ndarray) -> np.ndarray:
    """One float32 channel in [0, 1] that carries the ink: alpha or luminance (alpha ignored)."""
    if array.ndim == 3 and array.shape[2] == 4:
        alpha = array[..., 3]
        transparent = 0.5 * (255 if array.dtype.kind in "ui" else 1)
        if np.median(_border(alpha)) < transparent:
            return _unit_float(alpha)
    if array.ndim == 3 and array.dtype == np.uint8:  # PIL's C code: 10x faster than numpy
        return _unit_float(np.asarray(Image.fromarray(array).convert("L")))
    if array.ndim == 3:
        red, green, blue = (_unit_float(array[..., i]) for i in range(3))
        return red * _LUMA[0] + green * _LUMA[1] + blue * _LUMA[2]
    return _unit_float(array)


def _unit_float(channel: np.ndarray) -> np.ndarray:
    """An integer (0-255) or float (0-1) channel as a new float32 array in [0, 1]."""
    if channel.dtype == np.uint8:
        return channel.astype(np.float32) / np.float32(255)
    if channel.dtype.kind in "ui":
        low, high = int(channel.min()), int(channel.max())
        if low < 0 or high > 255:
            raise ValueError(
                f"integer images must hold values 0-255, got {low}..{high}; "
                "convert to uint8 or to floats in [0, 1]"
            )
        return channel.astype(np.float32) / np.float32(255)
    if not np.isfinite(channel).all():
        raise ValueError("the image contains NaN or infinite values")
    low, high = float(channel.min()), float(channel.max())
    if low < -1e-3 or high > 1 + 1e-3:
        raise ValueError(
            f"float images must hold values in [0, 1], got {low:g}..{high:g}; "
            "divide 0-255 images by 255"
        )
    return np.clip(channel, 0, 1).astype(np.float32, copy=False)


def _border(channel: np.ndarray) -> np.ndarray:
    """The pixels along the four edges, where the background shows."""
    return np.concatenate((channel[0], channel[-1], channel[1:-1, 0], channel[1:-1, -1]))


def _resize(ink: np.ndarray, width: int, height: int) -> np.ndarray:
    """Anti-aliased resize of a float32 ink map: area average down, bilinear up."""
    shrinking = width * height <= ink.shape[0] * ink.shape[1]
    resample = Image.Resampling.BOX if shrinking else Image.Resampling.BILINEAR
    image = Image.fromarray(np.ascontiguousarray(ink, dtype=np.float32))
    return np.array(image.resize((width, height), resample), dtype=np.float32)


def _centre_by_mass(digit: np.ndarray) -> tuple[np.ndarray, tuple[float, float]]:
    """Paste `digit` into a 28x28 field so its centre of mass lands on (14, 14).

    Returns the field and where the centre of mass landed (row, column).
    """
    height, width = digit.shape
    total = digit.sum()
    centre_y = digit.sum(axis=1) @ np.arange(height) / total
    centre_x = digit.sum(axis=0) @ np.arange(width) / total
    top = int(np.clip(round(MNIST_CENTRE - centre_y), 0, IMAGE_SIDE - height))
    left = int(np.clip(round(MNIST_CENTRE - centre_x), 0, IMAGE_SIDE - width))
    field = np.zeros((IMAGE_SIDE, IMAGE_SIDE), dtype=np.float32)
    field[top : top + height, left : left + width] = digit
    return field, (top + float(centre_y), left + float(centre_x))
