"""Pen-drawn digit generators (digitlab.drawn) and the drawing augmentation (digitlab.augment)."""

from __future__ import annotations

import numpy as np
import pytest

from digitlab.drawn import (
    FAMILIES,
    FONT_FAMILIES,
    HANDS,
    HELD_OUT,
    SOURCES,
    TRAINING,
    VALIDATION,
    WRITING_STYLES,
    drawn_canvases,
    drawn_digits,
    font_canvas,
    font_files,
    held_out_drawn,
    skeleton_canvas,
    style_canvas,
)
from digitlab.preprocess import canvas_to_mnist
from digitlab.strokes import CANVAS_SIZE


def _bar(width: int = 3) -> np.ndarray:
    """A 28x28 MNIST-like vertical bar, the digit 1 at its plainest."""
    digit = np.zeros((28, 28), np.uint8)
    digit[4:24, 14 - width // 2 : 14 - width // 2 + width] = 255
    return digit


def _fake_mnist(n: int = 40) -> tuple[np.ndarray, np.ndarray]:
    labels = (np.arange(n) % 10).astype(np.uint8)
    return np.stack([_bar() for _ in labels]), labels


def _ink_box(canvas: np.ndarray) -> tuple[int, int]:
    """Width and height of the ink's bounding box."""
    rows, cols = np.nonzero(canvas > 127)
    return cols.max() - cols.min() + 1, rows.max() - rows.min() + 1


def test_every_style_draws_a_canvas_the_pad_recipe_reads():
    rng = np.random.default_rng(0)
    for label, styles in WRITING_STYLES.items():
        for style in styles:
            canvas = style_canvas(label, rng, style)
            assert canvas.shape == (CANVAS_SIZE, CANVAS_SIZE) and canvas.dtype == np.uint8
            width, height = _ink_box(canvas)
            assert max(width, height) >= 0.25 * CANVAS_SIZE  # big enough to be read
            assert canvas_to_mnist(canvas).shape == (28, 28)


def test_every_digit_has_several_styles_and_unknown_style_is_refused():
    assert sorted(WRITING_STYLES) == list(range(10))
    assert all(len(styles) >= 2 for styles in WRITING_STYLES.values())
    with pytest.raises(ValueError, match="styles"):
        style_canvas(1, np.random.default_rng(0), "gothic")


@pytest.mark.parametrize("seed", range(5))
def test_serif_one_is_drawn_wider_than_a_plain_one(seed):
    # The same seed gives the same slant, rotation and stretch: only the style differs.
    plain_w, plain_h = _ink_box(style_canvas(1, np.random.default_rng(seed), "plain"))
    serif_w, serif_h = _ink_box(style_canvas(1, np.random.default_rng(seed), "serif"))
    assert serif_w / serif_h > 1.4 * plain_w / plain_h  # flag and foot stick out


def test_barred_seven_bar_crosses_its_stem():
    (stem,), (top_and_stem, bar) = WRITING_STYLES[7]["plain"](), WRITING_STYLES[7]["barred"]()
    assert stem == top_and_stem
    bar_y = bar[0][1]
    (x0, y0), (x1, y1) = top_and_stem[-9], top_and_stem[-1]  # the diagonal
    stem_x = x0 + (x1 - x0) * (bar_y - y0) / (y1 - y0)
    assert min(x for x, _ in bar) < stem_x < max(x for x, _ in bar)


def test_serif_one_template_flag_is_up_left_and_foot_under_the_stem():
    flag_and_stem, foot = WRITING_STYLES[1]["serif"]()
    (fx, fy), (sx, _) = flag_and_stem[0], flag_and_stem[-1]
    assert fx < sx - 0.15 and fy < 0  # the flag starts left of the stem, in the upper half
    xs = [x for x, _ in foot]
    assert min(xs) < sx < max(xs) and all(y > 0.4 for _, y in foot)


def test_open_four_leaves_its_top_open():
    arm, stem = WRITING_STYLES[4]["open"]()
    assert arm[0] != stem[0]  # two strokes that do not meet at the top
    (closed,) = WRITING_STYLES[4]["closed"]()
    assert len(closed) > len(arm)  # one stroke: up the stem, down the diagonal, across


def test_skeleton_redraw_keeps_the_shape_and_changes_the_pen():
    digit = _bar(width=5)
    thin = [skeleton_canvas(digit, np.random.default_rng(s)) for s in range(6)]
    for canvas in thin:
        width, height = _ink_box(canvas)
        assert height > 2 * width  # a bar stays a bar
    # The pen width is drawn at random: the same digit comes out thinner or bolder.
    ratios = [np.divide(*_ink_box(canvas)) for canvas in thin]
    assert max(ratios) > 1.5 * min(ratios)
    with pytest.raises(ValueError, match="no ink"):
        skeleton_canvas(np.zeros((28, 28), np.uint8), np.random.default_rng(0))


def test_font_files_are_matplotlib_fonts_and_render_every_digit():
    files = font_files()
    assert len(files) >= 10
    assert any("DejaVuSerif" in f.stem for f in files) and any("STIX" in f.stem for f in files)
    rng = np.random.default_rng(0)
    for label in range(10):
        for font in files:
            canvas = font_canvas(label, rng, font)
            assert canvas.shape == (CANVAS_SIZE, CANVAS_SIZE)
            assert (canvas > 127).sum() > 50, (font.name, label)


def test_drawn_canvases_balance_labels_and_sources_and_name_each_family():
    canvases, labels, families = drawn_canvases(90, np.random.default_rng(0), _fake_mnist())
    assert len(canvases) == 90
    assert np.bincount(labels, minlength=10).tolist() == [9] * 10
    sources = [FAMILIES[family] for family in families]
    assert [sources.count(source) for source in SOURCES] == [30, 30, 30]  # taking turns
    assert set(families) == set(FAMILIES)
    for family, label in zip(families, labels, strict=True):  # a hand writes its own digits
        assert family not in HANDS or label in HANDS[family]
    with pytest.raises(ValueError, match="families must be some of skeleton, plain"):
        drawn_canvases(5, np.random.default_rng(0), _fake_mnist(), ("crayon",))


def test_every_style_is_in_exactly_one_hand_and_every_family_has_a_source():
    in_hands = [(digit, style) for hand in HANDS.values()
                for digit, styles in hand.items() for style in styles]
    everything = [(digit, style) for digit, styles in WRITING_STYLES.items() for style in styles]
    assert sorted(in_hands) == sorted(everything)  # each once, none unknown
    assert set(FAMILIES.values()) == set(SOURCES)
    assert [f for f, source in FAMILIES.items() if source == "styles"] == list(HANDS)
    assert [f for f, source in FAMILIES.items() if source == "fonts"] == list(FONT_FAMILIES)


def test_font_families_split_the_fonts_and_an_unknown_one_is_refused():
    parts = [set(font_files(family)) for family in FONT_FAMILIES]
    assert all(parts) and set().union(*parts) == set(font_files())
    assert sum(len(part) for part in parts) == len(font_files())  # no font in two families
    with pytest.raises(ValueError, match="font families are dejavu, stix, computer_modern"):
        font_files("comic")


def test_families_restrict_the_drawings_and_a_family_short_of_a_digit_is_said():
    mnist = _fake_mnist()
    square = drawn_digits(40, 0, TRAINING, mnist, families=("square", "stix"))
    assert set(square.families) == {"square", "stix"}
    assert set(square.sources) == {"styles", "fonts"}
    assert set(square.labels[square.families == "square"]) <= set(HANDS["square"])
    kept = square.only(square.families == "stix")
    assert len(kept) == (square.families == "stix").sum() and set(kept.families) == {"stix"}
    np.testing.assert_array_equal(kept.images, square.images[square.families == "stix"])
    with pytest.raises(ValueError, match="none of the families \\('square',\\) writes the digit 1"):
        drawn_digits(20, 0, TRAINING, mnist, families=("square",))


def test_drawn_digits_are_deterministic_per_seed_and_purpose():
    mnist = _fake_mnist()
    a = drawn_digits(30, 3, TRAINING, mnist)
    b = drawn_digits(30, 3, TRAINING, mnist)
    held = drawn_digits(30, 3, HELD_OUT, mnist)
    chosen = drawn_digits(30, 3, VALIDATION, mnist)
    assert a.images.shape == (30, 28, 28) and a.images.dtype == np.float32
    assert a.images.max() == pytest.approx(1.0)
    np.testing.assert_array_equal(a.images, b.images)
    np.testing.assert_array_equal(a.labels, b.labels)
    assert not np.array_equal(a.images, held.images)
    assert not np.array_equal(held.images, chosen.images)


def test_skeleton_source_redraws_an_mnist_digit_of_its_label():
    # Ones are vertical bars, every other digit a horizontal one.
    labels = np.arange(20) % 10
    images = np.stack([_bar() if d == 1 else _bar().T for d in labels])
    canvases, drawn, _ = drawn_canvases(
        30, np.random.default_rng(0), (images, labels), families=("skeleton",)
    )
    for canvas, label in zip(canvases, drawn, strict=True):
        width, height = _ink_box(canvas)
        assert (height > width) == (label == 1)


@pytest.mark.integration
def test_held_out_drawn_uses_mnist_test_digits(real_mnist):
    held = held_out_drawn(30)
    assert len(held) == 30 and held.images.shape == (30, 28, 28)
    np.testing.assert_array_equal(held.labels, held_out_drawn(30).labels)


def test_arcs_and_ellipses_share_one_clock_convention():
    from digitlab.strokes import arc, ellipse

    top, right, bottom = arc(0, 0, 2, 1, 0, 180, n=3)
    assert np.allclose([top, right, bottom], [(0, -1), (2, 0), (0, 1)])  # y grows downwards
    assert np.allclose(arc(0, 0, 1, 1, 90, 0, n=2), [(1, 0), (0, -1)])  # end < start: back
    assert len(arc(0, 0, 1, 1, 0, 90)) == 9 and len(arc(0, 0, 1, 1, 0, 20)) == 4
    assert np.allclose(ellipse(1, 2, 3, 4, n=8), arc(1, 2, 3, 4, 0, 360, n=9))
