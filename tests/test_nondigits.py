"""Non-digit drawings (noise, dot, short line, scribble, letters) and the pad's verdicts."""

from __future__ import annotations

import functools

import numpy as np
import pytest
from fake_models import fixed_predictor

from digitlab.nondigits import KINDS, LETTERS, PadVerdicts, letter, nondigits, pad_verdicts
from digitlab.preprocess import TooSmallDrawingError, check_drawing, ink_extent


@pytest.mark.parametrize("kind", list(KINDS))
def test_each_kind_is_a_deterministic_pad_sized_canvas(kind):
    first = nondigits(kind, 5, seed=3)
    assert first.shape == (5, 280, 280) and first.dtype == np.uint8
    np.testing.assert_array_equal(first, nondigits(kind, 5, seed=3))
    assert not np.array_equal(first, nondigits(kind, 5, seed=4))
    assert all(canvas.any() for canvas in first)


def test_taps_and_dots_are_too_small_and_scribbles_and_letters_are_not():
    for canvas in nondigits("dot", 30):
        with pytest.raises(TooSmallDrawingError):
            check_drawing(canvas)
    big = [ink_extent(c) for kind in ("scribble", "letter", "noise") for c in nondigits(kind, 30)]
    assert min(big) > 0.35


def test_short_lines_are_shorter_than_a_fifth_of_the_pad_plus_the_pen():
    extents = [ink_extent(c) for c in nondigits("short line", 50)]
    assert min(extents) > 0.03 and max(extents) < (0.2 * 280 + 33) / 280


def test_every_letter_draws_and_unknown_letters_are_refused():
    rng = np.random.default_rng(0)
    for char in LETTERS:
        image = letter(rng, char)
        assert 0.3 < ink_extent(image) < 0.85
    with pytest.raises(ValueError, match="char must be one of"):
        letter(rng, "O")
    with pytest.raises(ValueError, match="kind must be one of"):
        nondigits("circle", 1)


def test_pad_verdicts_counts_rule_and_confidence_separately():
    canvases = [*nondigits("dot", 4), *nondigits("letter", 6), np.zeros((280, 280), np.uint8)]
    sure = pad_verdicts(fixed_predictor(7, 0.82), canvases, "mixed")
    assert sure == PadVerdicts("mixed", 11, empty=1, too_small=4, not_sure=0, read_as_digit=6)
    unsure = pad_verdicts(fixed_predictor(3, 0.3), canvases)
    assert (unsure.not_sure, unsure.read_as_digit, unsure.too_small) == (10, 0, 4)
    loose = functools.partial(check_drawing, min_extent=0.01)
    assert pad_verdicts(fixed_predictor(7, 0.82), canvases, check_drawing=loose).read_as_digit == 10
    assert str(sure).startswith("mixed") and "too small  36.4%" in str(sure)
