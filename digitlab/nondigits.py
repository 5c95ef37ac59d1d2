"""Drawings that are not digits, and what a model and the pad's rule make of them.

Introduced in lesson 06 (what the model's confidence is worth): a softmax always picks one
of ten digits, however little the input looks like one. These generators make pad-sized
canvases (280x280 uint8, white ink on black, like `digitlab.strokes.rasterize`) that are
not digits: random noise, a dot, a short line, a scribble, capital letters drawn with pen
strokes. Each is deterministic for a given `numpy.random.Generator` state.
`pad_verdicts` measures how often "not sure" fires on them and how often the pad's
not-a-digit rule (`digitlab.preprocess.check_drawing`) catches them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from digitlab.i18n import pad, tr, tr_name
from digitlab.preprocess import EmptyDrawingError, TooSmallDrawingError, canvas_to_mnist
from digitlab.preprocess import check_drawing as _check_drawing
from digitlab.strokes import CANVAS_SIZE, Point, line, rasterize

_PEN_WIDTH_RANGE = (8, 32)  # pen widths drawn from, canvas pixels (the pad's default is 20)

# Capital letters as strokes in a unit box (x right, y down), chosen not to look like a digit
# (no O, I, S, Z, B, G, L, Q).
LETTERS: dict[str, list[list[Point]]] = {
    "A": [[(0.0, 1.0), (0.5, 0.0), (1.0, 1.0)], [(0.22, 0.6), (0.78, 0.6)]],
    "E": [[(1.0, 0.0), (0.0, 0.0), (0.0, 1.0), (1.0, 1.0)], [(0.0, 0.5), (0.7, 0.5)]],
    "F": [[(1.0, 0.0), (0.0, 0.0), (0.0, 1.0)], [(0.0, 0.5), (0.7, 0.5)]],
    "H": [[(0.0, 0.0), (0.0, 1.0)], [(1.0, 0.0), (1.0, 1.0)], [(0.0, 0.5), (1.0, 0.5)]],
    "K": [[(0.0, 0.0), (0.0, 1.0)], [(1.0, 0.0), (0.0, 0.55), (1.0, 1.0)]],
    "M": [[(0.0, 1.0), (0.0, 0.0), (0.5, 0.6), (1.0, 0.0), (1.0, 1.0)]],
    "N": [[(0.0, 1.0), (0.0, 0.0), (1.0, 1.0), (1.0, 0.0)]],
    "T": [[(0.0, 0.0), (1.0, 0.0)], [(0.5, 0.0), (0.5, 1.0)]],
    "V": [[(0.0, 0.0), (0.5, 1.0), (1.0, 0.0)]],
    "W": [[(0.0, 0.0), (0.25, 1.0), (0.5, 0.35), (0.75, 1.0), (1.0, 0.0)]],
    "X": [[(0.0, 0.0), (1.0, 1.0)], [(1.0, 0.0), (0.0, 1.0)]],
    "Y": [[(0.0, 0.0), (0.5, 0.5), (1.0, 0.0)], [(0.5, 0.5), (0.5, 1.0)]],
}


def _pen(rng: np.random.Generator) -> int:
    return int(rng.integers(_PEN_WIDTH_RANGE[0], _PEN_WIDTH_RANGE[1] + 1))


def noise(rng: np.random.Generator, size: int = CANVAS_SIZE) -> np.ndarray:
    """Random grey noise over the whole canvas: (size, size) uint8. Lesson 06."""
    return rng.integers(0, 256, size=(size, size), dtype=np.uint8)


def dot(rng: np.random.Generator, size: int = CANVAS_SIZE) -> np.ndarray:
    """One tap of the pen somewhere on the canvas: (size, size) uint8. Lesson 06."""
    x, y = rng.uniform(0.1 * size, 0.9 * size, size=2)
    return rasterize([[(x, y)]], size=size, width=_pen(rng))


def short_line(rng: np.random.Generator, size: int = CANVAS_SIZE) -> np.ndarray:
    """A line 5-20% of the canvas long, any direction: (size, size) uint8. Lesson 06."""
    length = rng.uniform(0.05, 0.2) * size
    angle = rng.uniform(0, np.pi)
    x0, y0 = rng.uniform(0.25 * size, 0.75 * size, size=2)
    x1, y1 = x0 + length * np.cos(angle), y0 + length * np.sin(angle)
    return rasterize([line(x0, y0, x1, y1)], size=size, width=_pen(rng))


def scribble(rng: np.random.Generator, size: int = CANVAS_SIZE) -> np.ndarray:
    """A random zig-zag of 8-20 points over most of the canvas: (size, size) uint8. Lesson 06."""
    n = int(rng.integers(8, 21))
    points = [tuple(p) for p in rng.uniform(0.1 * size, 0.9 * size, size=(n, 2))]
    return rasterize([points], size=size, width=_pen(rng))


def letter(
    rng: np.random.Generator, char: str | None = None, size: int = CANVAS_SIZE
) -> np.ndarray:
    """A capital letter from LETTERS (random if `char` is None) drawn with pen strokes, its
    box 40-75% of the canvas side at a random place: (size, size) uint8. Lesson 06."""
    char = char if char is not None else str(rng.choice(sorted(LETTERS)))
    if char not in LETTERS:
        raise ValueError(f"char must be one of {''.join(sorted(LETTERS))}, got {char!r}")
    width = _pen(rng)
    side = rng.uniform(0.4, 0.75) * size
    aspect = rng.uniform(0.7, 1.0)
    left = rng.uniform(width / 2, size - width / 2 - side * aspect)
    top = rng.uniform(width / 2, size - width / 2 - side)
    strokes = [
        [(left + x * side * aspect, top + y * side) for x, y in stroke] for stroke in LETTERS[char]
    ]
    return rasterize(strokes, size=size, width=width)


KINDS: dict[str, Callable[[np.random.Generator], np.ndarray]] = {
    "noise": noise,
    "dot": dot,
    "short line": short_line,
    "scribble": scribble,
    "letter": letter,
}
"""Every kind of non-digit, by name, with its generator."""


def nondigits(kind: str, n: int, seed: int = 0) -> np.ndarray:
    """`n` canvases of one kind of non-digit (a key of KINDS): (n, 280, 280) uint8.

    The same `seed` gives the same canvases (lesson 06).
    """
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}, got {kind!r}")
    rng = np.random.default_rng(seed)
    return np.stack([KINDS[kind](rng) for _ in range(n)])


@dataclass(frozen=True)
class PadVerdicts:
    """What the pad says about a set of drawings (lesson 06), as counts out of `n`.

    `not_sure`: the model's top probability is below the threshold, on every drawing
    that has ink, size rule ignored (what confidence alone catches). `too_small`: caught
    by the not-a-digit rule. `read_as_digit`: passed the rule and named a digit with
    confidence (for non-digits, the pad's mistakes). `empty`: no ink at all.
    """

    kind: str
    n: int
    empty: int
    too_small: int
    not_sure: int
    read_as_digit: int

    def __str__(self) -> str:
        def pct(count: int) -> str:
            return f"{count / self.n:6.1%}"

        return tr(
            "report.verdicts", kind=pad(tr_name("report.kind", self.kind), 12),
            n=f"{self.n:<4}", not_sure=pct(self.not_sure), too_small=pct(self.too_small),
            digit=pct(self.read_as_digit),
        )


def pad_verdicts(
    predictor,
    canvases: Sequence[np.ndarray],
    kind: str = "",
    *,
    check_drawing: Callable[[np.ndarray], None] = _check_drawing,
) -> PadVerdicts:
    """Count what `predictor` (a `digitlab.predict.Predictor`) and the not-a-digit rule
    make of `canvases` (lesson 06). `check_drawing` is the rule: pass e.g.
    `functools.partial(check_drawing, min_extent=0.2)` to try another size limit.
    """
    images, small, empty = [], [], 0
    for canvas in canvases:
        try:
            image = canvas_to_mnist(canvas)
        except EmptyDrawingError:
            empty += 1
            continue
        try:
            check_drawing(canvas)
        except TooSmallDrawingError:
            small.append(True)
        else:
            small.append(False)
        images.append(image)
    if images:
        confidence = predictor.predict_proba(np.stack(images)).max(axis=1)
        sure = confidence >= predictor.threshold
    else:
        sure = np.zeros(0, bool)
    small = np.array(small, bool)
    return PadVerdicts(
        kind=kind,
        n=len(canvases),
        empty=empty,
        too_small=int(small.sum()),
        not_sure=int((~sure).sum()),
        read_as_digit=int((sure & ~small).sum()),
    )
