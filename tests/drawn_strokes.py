"""Varied pen strokes of the digits 0-9 for the web page tests and benchmarks/web.py.

Each digit is a few strokes (lists of (x, y) points on the 280x280 canvas) built from
`digitlab.strokes.line`/`ellipse` and arcs, then slanted, scaled and moved at random, so a
set of them exercises the page's preprocessing the way a hand would: different sizes,
positions, slants and stroke counts. They look like digits, but the tests only need the page
and the Python pad to agree, not a particular label.
"""

from __future__ import annotations

import math

import numpy as np

from digitlab.strokes import CANVAS_SIZE, Point, ellipse, line


def arc(cx: float, cy: float, rx: float, ry: float, start: float, end: float, n: int = 24):
    """Points on an ellipse from angle `start` to `end` (degrees, 0 = up, clockwise)."""
    angles = np.radians(np.linspace(start, end, n))
    return [(cx + rx * math.sin(a), cy - ry * math.cos(a)) for a in angles]


def _templates() -> dict[int, list[list[Point]]]:
    """One upright digit per class, about 100 x 180 px, centred on (140, 140)."""
    return {
        0: [ellipse(140, 140, 50, 85, n=40)],
        1: [line(150, 55, 135, 225)],
        2: [arc(140, 95, 45, 40, -80, 120) + line(175, 125, 95, 225, 10)[1:]
            + line(95, 225, 190, 225, 8)[1:]],
        3: [arc(135, 95, 45, 40, -70, 180), arc(135, 180, 50, 45, 0, 240)],
        4: [line(130, 55, 90, 165, 12) + line(90, 165, 195, 165, 10)[1:], line(165, 100, 165, 230)],
        5: [line(185, 60, 110, 60, 8) + line(110, 60, 100, 130, 8)[1:]
            + arc(135, 170, 50, 50, -60, 220)[1:]],
        6: [arc(140, 140, 55, 90, 20, -180) + arc(135, 180, 45, 45, 180, -180)[1:]],
        7: [line(90, 60, 190, 60, 10) + line(190, 60, 120, 225, 14)[1:]],
        8: [ellipse(140, 95, 40, 40, n=32), ellipse(140, 180, 50, 45, n=32)],
        9: [ellipse(140, 100, 45, 42, n=32), line(185, 100, 170, 225)],
    }


def random_digits(n: int, seed: int = 0) -> list[tuple[int, list[list[Point]]]]:
    """`n` drawn digits, cycling through 0-9: (digit, strokes), each randomly slanted,
    scaled to 45-110% and moved, kept inside the canvas."""
    rng = np.random.default_rng(seed)
    templates = _templates()
    digits = []
    for i in range(n):
        digit = i % 10
        scale = rng.uniform(0.45, 1.1)
        slant = rng.uniform(-0.25, 0.25)
        margin = 30 + 100 * scale  # keeps the digit (about 100 x 180 px scaled) on the canvas
        cx = rng.uniform(140 - (140 - margin) * 0.8, 140 + (140 - margin) * 0.8)
        cy = rng.uniform(margin, CANVAS_SIZE - margin) if margin < 140 else 140
        jitter = rng.normal(0, 1.5, size=2)
        strokes = [
            [
                (
                    float(cx + scale * ((x - 140) - slant * (y - 140)) + jitter[0]),
                    float(cy + scale * (y - 140) + jitter[1]),
                )
                for x, y in stroke
            ]
            for stroke in templates[digit]
        ]
        digits.append((digit, strokes))
    return digits
