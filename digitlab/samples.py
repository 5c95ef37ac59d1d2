"""Sample digit images shipped with digitlab, for predicting image files (lesson 05).

Ten small PNGs in `digitlab/samples/`, one per digit, named `<digit>_<look>.png`. They
are drawn here with the stroke rasterizer (`digitlab.strokes`), not taken from MNIST, and
look like what a learner might photograph or scan: dark ink on white paper or chalk on a
board, big or small, centred or off in a corner, thin or thick pen. Regenerate them with
`python -m digitlab.samples` (a test checks the files match this code).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image

from digitlab.atomic import atomic_path
from digitlab.config import PACKAGE_DIR
from digitlab.strokes import Strokes, arc, ellipse, line, rasterize

SAMPLES_DIR = PACKAGE_DIR / "samples"
SAMPLE_SIDE = 160  # pixels a side of every sample image


# Each digit as pen strokes in a unit box (x right, y down); placed and scaled later.
_GLYPHS: dict[int, Strokes] = {
    0: [ellipse(0.5, 0.5, 0.3, 0.46)],
    1: [[(0.35, 0.2), (0.58, 0.03), *line(0.58, 0.03, 0.55, 0.97)[1:]]],
    2: [[*arc(0.5, 0.3, 0.28, 0.25, 280, 460, n=24), (0.2, 0.97), (0.85, 0.97)]],
    3: [[*arc(0.48, 0.27, 0.27, 0.23, 290, 540, n=24),
         *arc(0.48, 0.73, 0.3, 0.24, 360, 600, n=24)]],
    4: [[(0.62, 0.03), (0.12, 0.66), (0.88, 0.66)], line(0.64, 0.3, 0.64, 0.97)],
    5: [[(0.8, 0.03), (0.3, 0.03), (0.25, 0.45), *arc(0.5, 0.69, 0.3, 0.27, 310, 590, n=24)]],
    6: [[*arc(1.02, 0.72, 0.75, 0.7, 340, 270, n=24),
         *arc(0.5, 0.72, 0.25, 0.24, 270, 630, n=24)]],
    7: [[(0.12, 0.05), (0.88, 0.05), (0.42, 0.97)]],
    8: [ellipse(0.5, 0.26, 0.22, 0.23), ellipse(0.5, 0.73, 0.27, 0.24)],
    9: [ellipse(0.48, 0.28, 0.25, 0.25), line(0.73, 0.28, 0.68, 0.97)],
}


@dataclass(frozen=True)
class Look:
    """How one sample is drawn: the digit's height and centre as fractions of the image,
    pen width in pixels, and whether it is dark ink on paper or light ink on a board."""

    name: str
    height: float
    centre: tuple[float, float]
    pen: float
    on_paper: bool


# One look per digit: the first five are easy, the last five are what squashing gets wrong.
_LOOKS: dict[int, Look] = {
    0: Look("paper", 0.7, (0.5, 0.5), 11, True),
    1: Look("board", 0.75, (0.5, 0.5), 12, False),
    2: Look("thin", 0.7, (0.5, 0.5), 6, True),
    3: Look("board", 0.7, (0.45, 0.5), 14, False),
    4: Look("paper", 0.75, (0.5, 0.45), 10, True),
    5: Look("small", 0.3, (0.5, 0.5), 6, True),
    6: Look("corner", 0.35, (0.25, 0.72), 6, True),
    7: Look("thick", 0.6, (0.55, 0.5), 26, False),
    8: Look("corner", 0.35, (0.75, 0.25), 7, False),
    9: Look("small", 0.3, (0.6, 0.4), 5, True),
}


def draw_sample(digit: int) -> np.ndarray:
    """The sample image of `digit` (0-9): uint8 (SAMPLE_SIDE, SAMPLE_SIDE) grey. Lesson 05."""
    if digit not in _GLYPHS:
        raise ValueError(f"digit must be an integer 0-9, got {digit!r}")
    look = _LOOKS[digit]
    scale = look.height * SAMPLE_SIDE
    cx, cy = (c * SAMPLE_SIDE for c in look.centre)
    strokes = [[(cx + (x - 0.5) * scale, cy + (y - 0.5) * scale) for x, y in stroke]
               for stroke in _GLYPHS[digit]]
    ink = rasterize(strokes, size=SAMPLE_SIDE, width=look.pen)  # white ink on black
    if look.on_paper:
        return (235 - ink.astype(np.int16) * 215 // 255).astype(np.uint8)
    return (30 + ink.astype(np.int16) * 200 // 255).astype(np.uint8)


def sample_name(digit: int) -> str:
    """The file name of `digit`'s sample, e.g. `6_corner.png`. Lesson 05."""
    return f"{digit}_{_LOOKS[digit].name}.png"


def sample_paths(folder: str | os.PathLike[str] = SAMPLES_DIR) -> list[Path]:
    """The sample PNG files, digits 0-9 in order. Lesson 05.

    Raises FileNotFoundError naming the missing files and the command that makes them.
    """
    folder = Path(folder)
    paths = [folder / sample_name(digit) for digit in sorted(_GLYPHS)]
    missing = [p.name for p in paths if not p.is_file()]
    if missing:
        raise FileNotFoundError(
            f"{folder}: sample images missing ({', '.join(missing)}); "
            "make them with `python -m digitlab.samples`"
        )
    return paths


def sample_label(path: str | os.PathLike[str]) -> int:
    """The digit a sample file shows, read from its name (`6_corner.png` -> 6). Lesson 05."""
    name = Path(path).name
    if not (name[:1].isdigit() and name[1:2] == "_"):
        raise ValueError(f"{name}: a sample's name starts with its digit, like 6_corner.png")
    return int(name[0])


def write_samples(folder: str | os.PathLike[str] = SAMPLES_DIR) -> list[Path]:
    """Draw every sample and save it as a PNG in `folder` (atomically). Lesson 05."""
    paths = []
    for digit in sorted(_GLYPHS):
        path = Path(folder) / sample_name(digit)
        with atomic_path(path) as tmp:
            Image.fromarray(draw_sample(digit)).save(tmp, format="PNG", optimize=True)
        paths.append(path)
    return paths


if __name__ == "__main__":
    for written in write_samples():
        print(f"wrote {written} ({written.stat().st_size:,} bytes)")
