"""Write digitlab's synthetic sample drawings (digitlab/samples/drawings/, lesson 10).

NOT human handwriting: five made-up "writers", each a fixed choice of stroke templates from
`digitlab.drawn.WRITING_STYLES` with its own slant, proportions, size and pen, drawn 100
times with small random changes. Each drawing is replayed through the collector and the pad
(`DigitCollector.pad.draw_stroke`, then `save`), so it is stored exactly as a drawing made
with the mouse would be. Fixed seed: every run draws the same strokes (only ids and dates
differ) for the same `WRITING_STYLES`; the committed set was drawn before issue 20 added
styles to it, so a run today draws other writers.

    python scripts/make_sample_drawings.py [SAMPLE_DRAWINGS_DIR]
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

import numpy as np

from digitlab.collector import DigitCollector
from digitlab.data.drawings import SAMPLE_DRAWINGS_DIR
from digitlab.drawn import WRITING_STYLES as STYLES
from digitlab.predict import Predictor

SEED = 19
WRITERS = ("synthetic-a", "synthetic-b", "synthetic-c", "synthetic-d", "synthetic-e")
PER_WRITER = 100


class Hand:
    """One synthetic writer: a style per digit and a way of placing it on the canvas."""

    def __init__(self, rng: np.random.Generator) -> None:
        self.styles = {d: str(rng.choice(list(STYLES[d]))) for d in range(10)}
        # beyond the ranges lesson 06's drawn training digits use (slant 0.35, aspect
        # 0.75-1.3): hands the shipped model has not seen
        self.slant = rng.choice([-1, 1]) * rng.uniform(0.4, 0.7)
        self.aspect = rng.choice([rng.uniform(0.45, 0.6), rng.uniform(1.4, 1.7)])
        self.tilt = rng.choice([-1, 1]) * rng.uniform(12, 28)  # degrees
        self.wobble = rng.uniform(0.04, 0.09)
        self.height = rng.uniform(130, 210)  # canvas pixels
        self.pen = rng.uniform(8, 30)

    def strokes(self, digit: int, rng: np.random.Generator) -> list[list[tuple[float, float]]]:
        """The digit drawn once more: the writer's shape, jittered a little."""
        slant = self.slant + rng.normal(0, 0.05)
        angle = math.radians(self.tilt + rng.normal(0, 4))
        height = self.height * rng.uniform(0.9, 1.1)
        matrix = np.array([[math.cos(angle), -math.sin(angle)],
                           [math.sin(angle), math.cos(angle)]]) @ np.array(
            [[self.aspect, -slant], [0.0, 1.0]]) * height
        centre = 140 + rng.normal(0, 12, size=2)
        phase = rng.uniform(0, 2 * math.pi, size=2)
        out = []
        for stroke in STYLES[digit][self.styles[digit]]():
            p = np.asarray(stroke, dtype=float)
            p = p + self.wobble * np.sin(5 * p[:, ::-1] + phase)  # the writer's wobble
            p = p @ matrix.T + centre
            out.append([(round(x, 1), round(y, 1)) for x, y in np.clip(p, 2, 278)])
        return out


def main(folder: Path = SAMPLE_DRAWINGS_DIR) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.jsonl"):
        old.unlink()
    predictor = Predictor.load()
    rng = np.random.default_rng(SEED)
    for writer in WRITERS:
        hand = Hand(rng)
        now = [0.0]

        def clock(now=now):
            now[0] += 0.016  # one mouse event per frame
            return now[0]

        collector = DigitCollector(folder, writer, predictor, pen_width=round(hand.pen),
                                   seed=SEED, clock=clock)
        while collector.counts.sum() < PER_WRITER:
            for stroke in hand.strokes(collector.prompt, rng):
                collector.pad.draw_stroke(stroke)
            collector.save()
            if collector.pad.strokes:  # refused (cannot happen at these sizes): say why
                raise RuntimeError(collector.status_text)
        print(f"{writer}: {PER_WRITER} drawings, styles {hand.styles}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else SAMPLE_DRAWINGS_DIR)
