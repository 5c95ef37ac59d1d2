"""Strokes replayed as a picture: one line per stroke, in order, on the canvas's scale."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pytest

from digitlab.data import sample_drawings
from digitlab.stroke_plots import plot_strokes, show_strokes


def test_each_stroke_is_one_line_in_its_own_colour_numbered_from_its_start():
    strokes = [(20.0, [(10.0, 20.0, 0.0), (200.0, 20.0, 5.0)]), (8.0, [(100.0, 30.0, 9.0),
                                                                      (100.0, 250.0, 12.0)])]
    ax = plot_strokes(strokes, title="7")
    lines = [line for line in ax.get_lines() if line.get_marker() in ("None", "")]
    assert len(lines) == 2
    np.testing.assert_array_equal(lines[1].get_ydata(), [30, 250])
    assert lines[0].get_color() is not lines[1].get_color()
    assert lines[0].get_linewidth() > lines[1].get_linewidth()  # the wider pen
    assert [t.get_text() for t in ax.texts] == ["1", "2"]
    assert ax.get_ylim() == (280, 0)  # y down, as on the canvas
    plt.close("all")


def test_show_strokes_titles_mistakes_with_the_guess():
    drawings = sample_drawings()
    figure = show_strokes(drawings, [0, 1], preds=[int(drawings.labels[0]), 9 - drawings.labels[1]])
    titles = [ax.get_title() for ax in figure.axes]
    assert titles == [str(drawings.labels[0]),
                      f"{drawings.labels[1]} -> {9 - drawings.labels[1]}"]
    with pytest.raises(ValueError, match="no drawings to show"):
        show_strokes(drawings, [])
    plt.close("all")
