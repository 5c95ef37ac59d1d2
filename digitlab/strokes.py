"""Pen strokes as Python data, and the grey image they make (lesson 06, what the model sees).

The drawing pad keeps every stroke in Python and paints it here with PIL instead of
reading pixels back from the browser: the kernel always knows exactly what was drawn,
and the widget can be tested without a browser. A stroke is a sequence of (x, y) points
in canvas pixels; a single point is a dot. Ink is white (255) on black (0), like MNIST.

`line` and `ellipse` make point lists for synthetic digits (a "1" and a "0").
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from PIL import Image, ImageDraw

Point = tuple[float, float]
Strokes = list[list[Point]]
"""A drawing: its strokes, each a list of (x, y) points."""

CANVAS_SIZE = 280
DEFAULT_WIDTH = 20
INK = 255

# How often a drawing pad predicts: the notebook's DrawingPad (lesson 07) and the exported
# web page (lesson 08) read this, so both pads behave alike (what they say: digitlab.texts).
PREDICT_INTERVAL = 0.1  # seconds between live predictions during a stroke


def _check_positive(name: str, value: float) -> None:
    if not value > 0:
        raise ValueError(f"{name} must be a positive number of pixels, got {value!r}")


def _as_point(point: Sequence[float]) -> Point:
    try:
        x, y = point
        x, y = float(x), float(y)
    except (TypeError, ValueError):
        x = y = math.nan
    if not (math.isfinite(x) and math.isfinite(y)):
        msg = f"a stroke point must be an (x, y) pair of finite numbers, got {point!r}"
        raise ValueError(msg)
    return x, y


def as_stroke(points: Sequence[Sequence[float]]) -> list[Point]:
    """`points` checked and converted to a list of (float, float). Lesson 06."""
    if len(points) == 0:
        raise ValueError("a stroke needs at least one (x, y) point, got an empty one")
    return [_as_point(point) for point in points]


@dataclass
class Stroke:
    """One pen stroke: its points (canvas pixels) and pen width. Lesson 06."""

    width: float
    points: list[Point] = field(default_factory=list)


class StrokeRaster:
    """A square grey image that strokes are painted onto one segment at a time. Lesson 06.

    `begin` puts the pen down (a dot), `extend` paints only the new segment, so a mouse
    move costs one short line and one circle however much is already drawn.
    """

    def __init__(self, size: int = CANVAS_SIZE, width: float = DEFAULT_WIDTH) -> None:
        _check_positive("size", size)
        self.size = int(size)
        self.width = width
        self.strokes: list[Stroke] = []
        self._image = Image.new("L", (self.size, self.size), 0)
        self._draw = ImageDraw.Draw(self._image)

    @property
    def width(self) -> float:
        """Pen width in pixels for the next stroke."""
        return self._width

    @width.setter
    def width(self, value: float) -> None:
        _check_positive("width", value)
        self._width = float(value)

    def _dot(self, point: Point, width: float) -> None:
        x, y = point
        r = max(width - 1, 1) / 2  # PIL boxes are inclusive: the dot is `width` across
        self._draw.ellipse((x - r, y - r, x + r, y + r), fill=INK)

    def begin(self, x: float, y: float, width: float | None = None) -> Stroke:
        """Start a stroke at (x, y), `width` wide (default: `self.width`); it shows as a dot."""
        if width is not None:
            _check_positive("width", width)
        point = _as_point((x, y))
        stroke = Stroke(self.width if width is None else float(width), [point])
        self.strokes.append(stroke)
        self._dot(point, stroke.width)
        return stroke

    def extend(self, x: float, y: float) -> tuple[Point, Point]:
        """Continue the last stroke to (x, y); returns the new segment (start, end)."""
        if not self.strokes:
            raise RuntimeError("extend() needs a stroke: call begin(x, y) first")
        stroke = self.strokes[-1]
        start, end = stroke.points[-1], _as_point((x, y))
        stroke.points.append(end)
        self._draw.line((start, end), fill=INK, width=round(stroke.width))
        self._dot(end, stroke.width)
        return start, end

    def add_stroke(self, points: Sequence[Sequence[float]], width: float | None = None) -> None:
        """Paint a whole stroke (at least one point) with `width` (default: current width)."""
        first, *rest = as_stroke(points)
        self.begin(*first, width=width)
        for point in rest:
            self.extend(*point)

    def clear(self) -> None:
        """Forget all strokes and blank the image."""
        self.strokes.clear()
        self._draw.rectangle((0, 0, self.size, self.size), fill=0)

    def to_array(self) -> np.ndarray:
        """A copy of the image: (size, size) uint8, white ink on black."""
        return np.asarray(self._image).copy()


def rasterize(
    strokes: Sequence[Sequence[Sequence[float]]],
    size: int = CANVAS_SIZE,
    width: float = DEFAULT_WIDTH,
) -> np.ndarray:
    """Paint strokes (each a sequence of (x, y) points) with round ends. Lesson 06.

    Returns a (size, size) uint8 image, white ink (255) on black (0), ready for
    `digitlab.preprocess.canvas_to_mnist`.
    """
    raster = StrokeRaster(size, width)
    for points in strokes:
        raster.add_stroke(points)
    return raster.to_array()


def line(x0: float, y0: float, x1: float, y1: float, n: int = 20) -> list[Point]:
    """`n` evenly spaced points from (x0, y0) to (x1, y1), ends included. Lesson 06."""
    if n < 2:
        raise ValueError(f"a line needs n >= 2 points, got n={n}")
    return [(x0 + (x1 - x0) * i / (n - 1), y0 + (y1 - y0) * i / (n - 1)) for i in range(n)]


def ellipse(cx: float, cy: float, rx: float, ry: float, n: int = 64) -> list[Point]:
    """A closed ellipse of `n` segments around (cx, cy); first point repeated last. Lesson 06."""
    if n < 3:
        raise ValueError(f"an ellipse needs n >= 3 segments, got n={n}")
    return arc(cx, cy, rx, ry, 0, 360, n=n + 1)


def arc(
    cx: float, cy: float, rx: float, ry: float, start: float, end: float, n: int | None = None
) -> list[Point]:
    """`n` points on an ellipse around (cx, cy) from angle `start` to `end`, ends included.

    Angles are degrees clockwise from 12 o'clock, as on a watch (the image's y grows
    downwards); `end < start` goes anticlockwise. `n` defaults to one point per 10 degrees
    (at least 4).
    """
    n = max(4, int(abs(end - start) / 10)) if n is None else n
    angles = np.radians(np.linspace(start, end, n))
    return [(cx + rx * math.sin(a), cy - ry * math.cos(a)) for a in angles]
