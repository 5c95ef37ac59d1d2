"""Drawings shown as the pen made them: strokes in order, coloured from first to last.

Lesson 10 shows the mistakes a model makes on your drawings this way: the 28x28 image says
what the model saw, the strokes say how you drew it (where you started, how many strokes,
in which order), which is often why.
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from digitlab.data.drawings import Drawings, Stroke
from digitlab.plots import STYLE, styled

STROKE_CMAP = "plasma"  # first stroke dark purple, last one yellow


@styled
def plot_strokes(
    strokes: Sequence[Stroke], canvas_size: int = 280, ax: Axes | None = None,
    title: str | None = None,
) -> Axes:
    """One drawing's strokes (from `Drawings.strokes`) on a black canvas, each in its own
    colour by order, a dot where it starts and its number beside it. Lesson 10."""
    if ax is None:
        _, ax = plt.subplots(figsize=(2.4, 2.4))
    ax.set_facecolor("black")
    colours = plt.get_cmap(STROKE_CMAP)(np.linspace(0.15, 1, max(len(strokes), 2)))
    scale = 72 * ax.figure.get_figwidth() * ax.get_position().width / canvas_size  # pt / px
    for number, ((width, points), colour) in enumerate(zip(strokes, colours, strict=False), 1):
        xy = np.array([(x, y) for x, y, _ in points])
        ax.plot(xy[:, 0], xy[:, 1], color=colour, lw=max(width * scale, 1),
                solid_capstyle="round", solid_joinstyle="round")
        ax.plot(*xy[0], "o", color="white", ms=3)
        ax.annotate(str(number), xy[0], xytext=(3, 3), textcoords="offset points",
                    color="white", fontsize=STYLE.small_size)
    ax.set_xlim(0, canvas_size)
    ax.set_ylim(canvas_size, 0)
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
    if title:
        ax.set_title(title, fontsize=STYLE.small_size + 1)
    return ax


@styled
def show_strokes(
    drawings: Drawings, index: Sequence[int], preds: Sequence[int] | None = None,
    ncols: int = 6, title: str | None = None,
) -> Figure:
    """A grid of the drawings at `index`, strokes replayed (`plot_strokes`), titled with the
    label, and with "label -> pred" where `preds` (one per index) differ. Lesson 10."""
    index = list(index)
    if not index:
        raise ValueError("no drawings to show: index is empty")
    if preds is not None and len(preds) != len(index):
        raise ValueError(f"{len(preds)} predictions for {len(index)} drawings")
    ncols = max(1, min(ncols, len(index)))
    nrows = -(-len(index) // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(1.9 * ncols, 2.1 * nrows), squeeze=False)
    for ax in axes.ravel()[len(index):]:
        ax.remove()
    for k, (i, ax) in enumerate(zip(index, axes.ravel(), strict=False)):
        label = int(drawings.labels[i])
        text = str(label) if preds is None or preds[k] == label else f"{label} -> {preds[k]}"
        plot_strokes(drawings.strokes[i], int(drawings.canvas_sizes[i]), ax=ax, title=text)
    if title:
        fig.suptitle(title)
    return fig
