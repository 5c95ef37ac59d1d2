"""Digits drawn with a pen, the way people draw on the pad, as 280x280 canvases.

Lesson 07 (drawn digits) shows why they matter: a pad drawing is made of pen strokes of one
width and written in styles MNIST rarely holds. Three sources, each a 280x280 uint8 canvas
(white ink on black) that goes through `digitlab.preprocess.canvas_to_mnist` like the pad:

* "skeleton": an MNIST digit thinned to its skeleton (`skimage.morphology.skeletonize`) and
  redrawn as strokes with a random pen width;
* "styles": digits written as stroke lists in several styles (`WRITING_STYLES`: serif or plain `1`,
  barred `7`, open or closed `4`, looped `6` and `9`, flat-top `3`, ...) at random size,
  position, slant, rotation, wobble and pen width;
* "fonts": digits of the fonts matplotlib ships (DejaVu, STIX, Computer Modern) at random
  sizes, weights and slants.

Everything is seeded. `training_drawn` draws from MNIST training digits with one random
stream; `held_out_drawn` from MNIST test digits with another, never used for training or
for choosing a model (`benchmarks/drawing.py` reports on it).
"""

from __future__ import annotations

import enum
import itertools
import math
import os
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import matplotlib
import numpy as np
from PIL import Image, ImageDraw, ImageFont
from skimage.morphology import skeletonize

from digitlab.config import MNIST_ONLY_PATH as MNIST_ONLY_PATH  # lesson 06 imports it here
from digitlab.config import N_CLASSES
from digitlab.preprocess import canvas_to_mnist
from digitlab.strokes import CANVAS_SIZE, Point, Strokes, arc, ellipse, line, rasterize

SOURCES = ("skeleton", "styles", "fonts")


class Purpose(enum.IntEnum):
    """What drawn digits are for: each seeds its own random stream (its value), so held-out
    drawings never appear in training, nor in choosing."""

    TRAINING = 0
    HELD_OUT = 1  # the final report, never trained or chosen on
    VALIDATION = 2  # choosing a recipe (`benchmarks/drawing.py --choose`)


TRAINING, HELD_OUT, VALIDATION = Purpose.TRAINING, Purpose.HELD_OUT, Purpose.VALIDATION

_PEN_FRACTION = (0.04, 0.25)  # pen width as a fraction of the digit's height: fine pen to marker
_HEIGHT_FRACTION = (0.35, 0.85)  # the digit's height as a fraction of the canvas


# --- stroke templates: a digit 1 unit tall, centred on (0, 0), y pointing down ----------


def _bezier(*points: Point, n: int = 16) -> list[Point]:
    """A Bezier curve through its control points (first and last on the curve)."""
    ctrl = np.asarray(points, dtype=float)
    t = np.linspace(0, 1, n)[:, None]
    degree = len(ctrl) - 1
    curve = sum(
        math.comb(degree, i) * t**i * (1 - t) ** (degree - i) * ctrl[i] for i in range(degree + 1)
    )
    return [tuple(p) for p in curve]


def _poly(*points: Point) -> list[Point]:
    """A polyline through `points`, each segment split into 8 so it can bend when wobbled."""
    out = [points[0]]
    for (x0, y0), (x1, y1) in itertools.pairwise(points):
        out += line(x0, y0, x1, y1, n=9)[1:]
    return out


_NINE_LOOP = arc(0, -0.22, 0.25, 0.27, 90, -270)
WRITING_STYLES: dict[int, dict[str, Callable[[], Strokes]]] = {
    0: {
        "oval": lambda: [ellipse(0, 0, 0.3, 0.5, n=40)],
        "slashed": lambda: [ellipse(0, 0, 0.3, 0.5, n=40), _poly((-0.2, 0.35), (0.2, -0.35))],
        "overshoot": lambda: [arc(0, 0, 0.32, 0.5, 20, -350)],
        "open_top": lambda: [arc(0, 0, 0.3, 0.5, 15, 335)],
        "box": lambda: [
            _poly((0.25, -0.5), (-0.25, -0.5), (-0.25, 0.5), (0.25, 0.5), (0.25, -0.5))
        ],
    },
    1: {
        "plain": lambda: [_poly((0, -0.5), (0, 0.5))],
        "flag": lambda: [_poly((-0.22, -0.27), (0, -0.5), (0, 0.5))],
        "serif": lambda: [
            _poly((-0.22, -0.3), (0, -0.5), (0, 0.5)),
            _poly((-0.22, 0.5), (0.22, 0.5)),
        ],
        "short_flag": lambda: [_poly((-0.12, -0.4), (0, -0.5), (0, 0.5))],
        "long_flag": lambda: [_poly((-0.32, -0.14), (0, -0.5), (0, 0.5))],
        "long_flag_foot": lambda: [
            _poly((-0.3, -0.18), (0, -0.5), (0, 0.5)),
            _poly((-0.25, 0.5), (0.25, 0.5)),
        ],
        "hooked": lambda: [
            _bezier((-0.3, -0.2), (-0.15, -0.3), (0, -0.5)) + _poly((0, -0.5), (0, 0.5))
        ],
        "steep_flag": lambda: [_poly((-0.3, -0.02), (0.02, -0.5), (0, 0.5))],
    },
    2: {
        "round": lambda: [
            arc(0, -0.22, 0.27, 0.28, -70, 110)
            + _bezier((0.25, -0.12), (0.05, 0.2), (-0.3, 0.5))
            + _poly((-0.3, 0.5), (0.32, 0.48))
        ],
        "angular": lambda: [
            arc(0, -0.25, 0.27, 0.25, -80, 80) + _poly((0.27, -0.2), (-0.3, 0.5), (0.3, 0.5))
        ],
        "looped": lambda: [
            arc(0, -0.22, 0.27, 0.28, -70, 110)
            + _bezier((0.25, -0.12), (0.05, 0.25), (-0.3, 0.42))
            + arc(-0.2, 0.42, 0.1, 0.08, 270, 90)
            + _poly((-0.2, 0.5), (0.32, 0.47))
        ],
        "zed": lambda: [_poly((-0.28, -0.5), (0.28, -0.5), (-0.28, 0.5), (0.3, 0.5))],
        "hooked": lambda: [
            _bezier((-0.3, -0.25), (-0.2, -0.55), (0.3, -0.55), (0.28, -0.2))
            + _poly((0.28, -0.2), (-0.3, 0.5), (0.32, 0.5)),
            _poly((-0.1, 0.0), (0.2, 0.0)),
        ],
    },
    3: {
        "round": lambda: [
            arc(0, -0.25, 0.25, 0.25, -60, 180) + arc(0, 0.25, 0.28, 0.25, 0, 240)
        ],
        "flat_top": lambda: [
            _poly((-0.25, -0.5), (0.25, -0.5), (-0.02, -0.08)) + arc(0, 0.2, 0.28, 0.28, 0, 240)
        ],
        "square": lambda: [
            _poly((-0.25, -0.5), (0.25, -0.5), (0.25, 0.0), (-0.15, 0.0)),
            _poly((0.25, 0.0), (0.25, 0.5), (-0.25, 0.5)),
        ],
        "curled": lambda: [
            arc(-0.22, -0.38, 0.07, 0.07, 180, 420)
            + arc(0, -0.25, 0.25, 0.25, -60, 180) + arc(0, 0.25, 0.28, 0.25, 0, 240)
        ],
    },
    4: {
        "open": lambda: [
            _poly((-0.1, -0.5), (-0.32, 0.15), (0.3, 0.15)),
            _poly((0.15, -0.5), (0.15, 0.5)),
        ],
        "closed": lambda: [_poly((0.15, 0.5), (0.15, -0.5), (-0.32, 0.15), (0.32, 0.15))],
        "closed_two": lambda: [
            _poly((0.15, -0.5), (-0.32, 0.15), (0.32, 0.15)),
            _poly((0.15, -0.5), (0.15, 0.5)),
        ],
        "square": lambda: [
            _poly((-0.25, -0.5), (-0.25, 0.1), (0.3, 0.1)),
            _poly((0.15, -0.3), (0.15, 0.5)),
        ],
        "footed": lambda: [
            _poly((0.1, 0.5), (0.1, -0.5), (-0.32, 0.15), (0.32, 0.15)),
            _poly((-0.05, 0.5), (0.25, 0.5)),
        ],
    },
    5: {
        "two_strokes": lambda: [
            _poly((-0.2, -0.5), (-0.24, -0.05))
            + _bezier((-0.24, -0.05), (0.1, -0.2), (0.45, 0.2), (0.05, 0.5), (-0.3, 0.4)),
            _poly((-0.2, -0.5), (0.28, -0.5)),
        ],
        "one_stroke": lambda: [
            _poly((0.28, -0.5), (-0.2, -0.5), (-0.24, -0.05))
            + _bezier((-0.24, -0.05), (0.1, -0.2), (0.45, 0.2), (0.05, 0.5), (-0.3, 0.4))
        ],
        "square": lambda: [
            _poly((0.28, -0.5), (-0.25, -0.5), (-0.25, -0.02), (0.25, -0.02), (0.25, 0.5),
                  (-0.28, 0.5))
        ],
        "hooked": lambda: [
            _poly((-0.2, -0.5), (-0.24, -0.05))
            + _bezier((-0.24, -0.05), (0.1, -0.2), (0.45, 0.2), (0.05, 0.5), (-0.3, 0.4))
            + arc(-0.3, 0.32, 0.07, 0.08, 180, 0),
            _bezier((-0.2, -0.5), (0.05, -0.42), (0.2, -0.58), (0.32, -0.48)),
        ],
    },
    6: {
        "plain": lambda: [
            _bezier((0.2, -0.5), (-0.25, -0.3), (-0.28, 0.22))
            + arc(0, 0.22, 0.28, 0.28, 270, -90)
        ],
        "looped": lambda: [
            _bezier((0.25, -0.4), (0.1, -0.55), (-0.3, -0.2), (-0.27, 0.25))
            + arc(0, 0.25, 0.27, 0.25, 270, -90)
        ],
        "open_loop": lambda: [
            _bezier((0.2, -0.5), (-0.25, -0.3), (-0.28, 0.22))
            + arc(0, 0.22, 0.28, 0.28, 270, 0)
        ],
        "straight_stem": lambda: [
            _poly((0.15, -0.5), (-0.26, 0.2)) + arc(0, 0.25, 0.26, 0.25, 280, -80)
        ],
        "small_loop": lambda: [
            _bezier((0.15, -0.5), (-0.2, -0.2), (-0.22, 0.3)) + arc(0, 0.3, 0.22, 0.2, 270, -90)
        ],
        "square": lambda: [
            _poly((0.2, -0.5), (-0.25, -0.5), (-0.25, 0.5), (0.25, 0.5), (0.25, 0.0),
                  (-0.25, 0.0))
        ],
        "ornate": lambda: [
            arc(0.12, -0.42, 0.1, 0.08, 90, -180)
            + _bezier((0.05, -0.49), (-0.25, -0.35), (-0.28, 0.22))
            + arc(0, 0.22, 0.28, 0.28, 270, -90),
        ],
        "square_bowl": lambda: [
            _bezier((0.2, -0.5), (-0.25, -0.3), (-0.27, 0.05))
            + _poly((-0.27, 0.05), (-0.27, 0.5), (0.27, 0.5), (0.27, 0.05), (-0.27, 0.05))
        ],
    },
    7: {
        "plain": lambda: [_poly((-0.3, -0.5), (0.3, -0.5), (-0.05, 0.5))],
        "barred": lambda: [
            _poly((-0.3, -0.5), (0.3, -0.5), (-0.05, 0.5)),
            _poly((-0.1, 0.02), (0.3, 0.02)),
        ],
        "serif": lambda: [_poly((-0.3, -0.36), (-0.3, -0.5), (0.3, -0.5), (-0.05, 0.5))],
        "long_serif": lambda: [
            _poly((-0.32, -0.25), (-0.3, -0.5), (0.3, -0.5), (0.05, 0.5)),
            _poly((-0.05, 0.0), (0.35, 0.0)),
        ],
        "curved": lambda: [
            _poly((-0.3, -0.5), (0.3, -0.5)) + _bezier((0.3, -0.5), (0.05, -0.1), (0.0, 0.5))
        ],
        "hooked": lambda: [
            arc(-0.3, -0.4, 0.06, 0.1, 180, 0)
            + _poly((-0.3, -0.5), (0.3, -0.5))
            + _bezier((0.3, -0.5), (0.1, -0.1), (-0.05, 0.35), (0.1, 0.5))
        ],
    },
    8: {
        "figure_eight": lambda: [
            [
                (0.24 * math.sin(2 * t), -0.5 * math.cos(t))
                for t in np.linspace(0.1, 2 * math.pi + 0.1, 60)
            ]
        ],
        "two_loops": lambda: [ellipse(0, -0.27, 0.2, 0.23, n=32), ellipse(0, 0.24, 0.26, 0.26)],
        "boxes": lambda: [
            _poly((-0.2, 0.0), (-0.2, -0.5), (0.2, -0.5), (0.2, 0.0), (-0.25, 0.0), (-0.25, 0.5),
                  (0.25, 0.5), (0.25, 0.0), (0.2, 0.0))
        ],
    },
    9: {
        "plain": lambda: [_NINE_LOOP + _poly((0.25, -0.22), (0.25, 0.5))],
        "script": lambda: [
            _NINE_LOOP + _bezier((0.25, -0.22), (0.27, 0.35), (0.0, 0.55), (-0.2, 0.4))
        ],
        "slanted_stem": lambda: [_NINE_LOOP + _poly((0.25, -0.22), (0.05, 0.5))],
        "open_loop": lambda: [
            arc(0, -0.22, 0.25, 0.27, 90, -200),
            _poly((0.25, -0.45), (0.25, 0.5)),
        ],
        "curled": lambda: [
            _NINE_LOOP + _bezier((0.25, -0.22), (0.25, 0.45), (-0.25, 0.5))
        ],
        "square": lambda: [
            _poly((0.25, -0.05), (-0.25, -0.05), (-0.25, -0.5), (0.25, -0.5), (0.25, 0.5))
        ],
        "footed": lambda: [
            _NINE_LOOP + _poly((0.25, -0.22), (0.25, 0.5)),
            _poly((0.05, 0.5), (0.42, 0.5)),
        ],
    },
}
"""Stroke templates per digit, by style name: the ways people write each digit on a pad."""

HANDS: dict[str, dict[int, tuple[str, ...]]] = {
    # the commonest form of each digit, as a school copybook writes it
    "plain": {0: ("oval",), 1: ("plain",), 2: ("round",), 3: ("round",), 4: ("open",),
              5: ("two_strokes",), 6: ("plain",), 7: ("plain",), 8: ("figure_eight",),
              9: ("plain",)},
    # flags, feet, serifs, bars, curls and loops added to the plain forms
    "ornate": {0: ("slashed",), 1: ("flag", "serif", "long_flag_foot", "hooked"),
               2: ("looped", "hooked"), 3: ("curled",), 4: ("closed_two", "footed"),
               5: ("hooked",), 6: ("looped", "ornate"),
               7: ("barred", "serif", "long_serif", "hooked"), 8: ("two_loops",),
               9: ("script", "curled", "footed")},
    # written fast: open loops, overshoots, straight strokes, one stroke where two would do
    "quick": {0: ("overshoot", "open_top"), 1: ("short_flag", "long_flag", "steep_flag"),
              2: ("angular",), 3: ("flat_top",), 4: ("closed",), 5: ("one_stroke",),
              6: ("open_loop", "straight_stem", "small_loop"), 7: ("curved",),
              9: ("slanted_stem", "open_loop")},
    # boxy digits of straight lines and corners, as on forms and price tags
    "square": {0: ("box",), 2: ("zed",), 3: ("square",), 4: ("square",), 5: ("square",),
               6: ("square", "square_bowl"), 8: ("boxes",), 9: ("square",)},
}
"""The writing styles grouped into hands: each style of `WRITING_STYLES` is in exactly one.
A hand is one family of `FAMILIES`; leaving one out of training (`digitlab.leave_out`)
asks how a model reads a way of writing it has never seen. Lesson 07."""


# --- placing strokes on the canvas --------------------------------------------------------


def _transform(strokes: Strokes, rng: np.random.Generator, *, wobble: float) -> list[np.ndarray]:
    """Strokes slanted, rotated, stretched and wobbled at random (a smooth random warp)."""
    slant = rng.uniform(-0.35, 0.35)
    angle = math.radians(rng.uniform(-12, 12))
    aspect = rng.uniform(0.55, 1.35)  # condensed to wide
    rotate = np.array([[math.cos(angle), -math.sin(angle)], [math.sin(angle), math.cos(angle)]])
    matrix = rotate @ np.array([[aspect, -slant], [0.0, 1.0]])
    freq = rng.uniform(2, 6, size=(2, 2))
    phase = rng.uniform(0, 2 * math.pi, size=(2, 2))
    out = []
    for stroke in strokes:
        p = np.asarray(stroke, dtype=float)
        bend = np.stack(
            [np.sin(freq[i, 0] * p[:, 0] + phase[i, 0]) * np.sin(freq[i, 1] * p[:, 1] + phase[i, 1])
             for i in range(2)],
            axis=1,
        )
        p = p + wobble * bend + rng.normal(0, 0.003, size=p.shape)
        out.append(p @ matrix.T)
    return out


def _place(strokes: list[np.ndarray], rng: np.random.Generator) -> tuple[list[np.ndarray], float]:
    """Strokes scaled to a random height and moved to a random spot inside the canvas."""
    points = np.concatenate(strokes)
    low, high = points.min(axis=0), points.max(axis=0)
    height = rng.uniform(*_HEIGHT_FRACTION) * CANVAS_SIZE
    scale = height / max(high[1] - low[1], 1e-6)
    scale = min(scale, 0.9 * CANVAS_SIZE / max(high[0] - low[0], 1e-6))
    pen = max(2.0, rng.uniform(*_PEN_FRACTION) * height)
    margin = pen / 2 + 1
    extent = (high - low) * scale
    offset = [rng.uniform(margin, max(margin, CANVAS_SIZE - margin - e)) for e in extent]
    return [(s - low) * scale + offset for s in strokes], pen


def style_canvas(
    label: int, rng: np.random.Generator, style: str | None = None
) -> np.ndarray:
    """The digit `label` written in `style` (a key of `WRITING_STYLES[label]`, random if None):
    a (280, 280) uint8 canvas, white ink on black. Lesson 07."""
    styles = WRITING_STYLES[label]
    style = style if style is not None else str(rng.choice(list(styles)))
    if style not in styles:
        raise ValueError(f"digit {label} has the styles {', '.join(styles)}, got {style!r}")
    strokes = _transform(styles[style](), rng, wobble=rng.uniform(0, 0.04))
    placed, pen = _place(strokes, rng)
    return rasterize([stroke.tolist() for stroke in placed], CANVAS_SIZE, pen)


def skeleton_canvas(digit: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """An MNIST digit (28, 28) thinned to its skeleton and redrawn with a random pen:
    a (280, 280) uint8 canvas. Lesson 07."""
    grey = np.asarray(digit, dtype=np.float32)
    grey = grey / 255 if grey.max() > 1 else grey
    big = np.asarray(Image.fromarray(grey).resize((112, 112), Image.Resampling.BILINEAR))
    skeleton = skeletonize(big > 0.4)
    rows, cols = np.nonzero(skeleton)
    if len(rows) == 0:
        raise ValueError("the digit has no ink to thin to a skeleton")
    on = set(zip(rows.tolist(), cols.tolist(), strict=True))
    segments = [[(c, r)] for r, c in on]  # lone pixels stay dots
    for r, c in on:
        for dr, dc in ((0, 1), (1, 0), (1, 1), (1, -1)):
            if (r + dr, c + dc) in on:
                segments.append([(c, r), (c + dc, r + dr)])
    strokes = _transform(segments, rng, wobble=0.0)
    placed, pen = _place(strokes, rng)
    return rasterize([stroke.tolist() for stroke in placed], CANVAS_SIZE, pen)


FONT_FAMILIES: dict[str, tuple[str, ...]] = {
    "dejavu": ("DejaVuSans", "DejaVuSerif"),
    "stix": ("STIXGeneral",),
    "computer_modern": ("cmr10", "cmss10", "cmtt10", "cmb10"),
}
"""The fonts matplotlib ships with ordinary digits, by family (file name prefixes)."""


@cache
def font_files(family: str | None = None) -> tuple[Path, ...]:
    """The matplotlib fonts of `family` (a key of `FONT_FAMILIES`), or of all of them:
    DejaVu, STIX General, Computer Modern. Lesson 07."""
    if family is not None and family not in FONT_FAMILIES:
        raise ValueError(f"font families are {', '.join(FONT_FAMILIES)}, got {family!r}")
    keep = sum((FONT_FAMILIES[f] for f in ([family] if family else FONT_FAMILIES)), ())
    folder = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    return tuple(
        path
        for path in sorted(folder.glob("*.ttf"))
        if path.stem.startswith(keep) and "Display" not in path.stem
    )


def font_canvas(label: int, rng: np.random.Generator, font: Path | None = None) -> np.ndarray:
    """The digit `label` in a matplotlib font (random if None) at a random size, weight and
    slant: a (280, 280) uint8 canvas. Lesson 07."""
    files = font_files()
    font = font if font is not None else files[rng.integers(len(files))]
    size = int(rng.integers(60, 200))
    glyph = Image.new("L", (2 * size, 2 * size), 0)
    bold = int(rng.integers(0, max(1, size // 18)))
    ImageDraw.Draw(glyph).text(
        (size, size), str(label), fill=255, anchor="mm", stroke_width=bold, stroke_fill=255,
        font=ImageFont.truetype(str(font), size),
    )
    slant, angle = rng.uniform(-0.3, 0.3), rng.uniform(-10, 10)
    glyph = glyph.transform(glyph.size, Image.Transform.AFFINE, (1, slant, -slant * size, 0, 1, 0),
                            Image.Resampling.BILINEAR).rotate(angle, Image.Resampling.BILINEAR)
    glyph = glyph.crop(glyph.getbbox())
    height = rng.uniform(*_HEIGHT_FRACTION) * CANVAS_SIZE
    aspect = rng.uniform(0.6, 1.25)  # condensed to wide
    scale = min(height / glyph.height, 0.9 * CANVAS_SIZE / (glyph.width * aspect))
    glyph = glyph.resize(
        (max(1, round(glyph.width * scale * aspect)), max(1, round(glyph.height * scale))),
        Image.Resampling.LANCZOS,
    )
    canvas = Image.new("L", (CANVAS_SIZE, CANVAS_SIZE), 0)
    left = int(rng.integers(0, CANVAS_SIZE - glyph.width + 1))
    top = int(rng.integers(0, CANVAS_SIZE - glyph.height + 1))
    canvas.paste(glyph, (left, top))
    return np.asarray(canvas).copy()


# --- data sets ----------------------------------------------------------------------------

FAMILIES: dict[str, str] = {
    "skeleton": "skeleton",
    **{hand: "styles" for hand in HANDS},
    **{family: "fonts" for family in FONT_FAMILIES},
}
"""Each family of drawn digits and its source: the MNIST skeletons, the hands of `HANDS`,
the font families of `FONT_FAMILIES`. A family is what leave-one-out holds back whole."""


@dataclass(frozen=True)
class DrawnDigits:
    """Drawn digits as a model sees them: `images` float32 (N, 28, 28) in [0, 1] (after
    `canvas_to_mnist`), `labels` uint8 (N,), `sources` (N,) names from SOURCES and
    `families` (N,) names from FAMILIES. Lesson 07."""

    images: np.ndarray
    labels: np.ndarray
    sources: np.ndarray
    families: np.ndarray

    def __len__(self) -> int:
        return len(self.labels)

    def only(self, keep: np.ndarray) -> DrawnDigits:
        """The drawings where the boolean mask `keep` is true."""
        return DrawnDigits(self.images[keep], self.labels[keep], self.sources[keep],
                           self.families[keep])


def check_families(families: tuple[str, ...]) -> None:
    """Raise ValueError unless `families` names some of FAMILIES."""
    unknown = [family for family in families if family not in FAMILIES]
    if unknown or not families:
        raise ValueError(f"families must be some of {', '.join(FAMILIES)}, got {families!r}")


def _family_canvas(family: str, label: int, rng: np.random.Generator,
                   by_digit: list[np.ndarray], mnist_images: np.ndarray) -> np.ndarray:
    """One canvas of `label` from `family` (a hand that writes `label`)."""
    if family == "skeleton":
        return skeleton_canvas(mnist_images[rng.choice(by_digit[label])], rng)
    if family in HANDS:
        return style_canvas(label, rng, str(rng.choice(HANDS[family][label])))
    files = font_files(family)
    return font_canvas(label, rng, files[rng.integers(len(files))])


def drawn_canvases(
    n: int,
    rng: np.random.Generator,
    mnist: tuple[np.ndarray, np.ndarray],
    families: tuple[str, ...] = tuple(FAMILIES),
) -> tuple[list[np.ndarray], np.ndarray, np.ndarray]:
    """`n` drawn canvases of the given `families`, each digit equally often and the
    families' sources taking turns (a family picked at random within its source among
    those with that digit): (canvases, labels, families). "skeleton" redraws digits of
    `mnist` (images, labels). Lesson 07.
    """
    check_families(families)
    if n < 1:
        raise ValueError(f"n must be at least 1, got {n}")
    sources = list(dict.fromkeys(FAMILIES[family] for family in families))
    labels = rng.permutation(np.arange(n) % N_CLASSES).astype(np.uint8)
    mnist_images, mnist_labels = mnist
    by_digit = [np.flatnonzero(np.asarray(mnist_labels) == d) for d in range(N_CLASSES)]
    canvases, which = [], []
    for i, label in enumerate(labels.tolist()):
        turn = sources[i % len(sources)]
        choices = [f for f in families if FAMILIES[f] == turn
                   and (f not in HANDS or label in HANDS[f])]
        if not choices:  # e.g. only the "square" hand, which has no 1: another source's turn
            choices = [f for f in families if f not in HANDS or label in HANDS[f]]
        if not choices:
            raise ValueError(f"none of the families {families!r} writes the digit {label}")
        family = str(rng.choice(choices))
        canvases.append(_family_canvas(family, label, rng, by_digit, mnist_images))
        which.append(family)
    return canvases, labels, np.array(which)


def drawn_digits(
    n: int,
    seed: int,
    purpose: Purpose,
    mnist: tuple[np.ndarray, np.ndarray],
    families: tuple[str, ...] = tuple(FAMILIES),
) -> DrawnDigits:
    """`n` drawn digits through `canvas_to_mnist`, from the random stream (`seed`, `purpose`).

    `purpose` is TRAINING, VALIDATION or HELD_OUT: the same seed gives unrelated drawings
    for different purposes. Lesson 07.
    """
    rng = np.random.default_rng([seed, int(purpose)])
    canvases, labels, which = drawn_canvases(n, rng, mnist, families)
    images = np.stack([canvas_to_mnist(canvas) for canvas in canvases])
    sources = np.array([FAMILIES[family] for family in which])
    return DrawnDigits(images, labels, sources, which)


def training_drawn(n: int, mnist_train: tuple[np.ndarray, np.ndarray], seed: int = 0,
                   families: tuple[str, ...] = tuple(FAMILIES)) -> DrawnDigits:
    """Drawn digits of `families` to mix into training; "skeleton" uses only `mnist_train`,
    which should be the training part of `validation_split`. Lesson 07."""
    return drawn_digits(n, seed, TRAINING, mnist_train, families)


def held_out_drawn(n: int = 3000, data_dir: str | os.PathLike[str] | None = None,
                   families: tuple[str, ...] = tuple(FAMILIES)) -> DrawnDigits:
    """The held-out drawn digits (seed 0, MNIST test digits for "skeleton"): the benchmark's
    and lesson 07's before/after set, never used for training or choosing. Lesson 07.

    Example: `d = held_out_drawn(300)`, then `model.predict(d.images[..., None])` vs `d.labels`.
    """
    from digitlab.data import load_mnist

    _, test = load_mnist(data_dir)
    return drawn_digits(n, 0, HELD_OUT, test, families)
