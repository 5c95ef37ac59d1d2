"""The sample digit images shipped for lesson 05: drawn by code, committed as PNGs."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from digitlab.preprocess import canvas_to_mnist
from digitlab.samples import (
    SAMPLE_SIDE,
    SAMPLES_DIR,
    draw_sample,
    sample_label,
    sample_name,
    sample_paths,
    write_samples,
)


def test_the_shipped_pngs_are_what_the_code_draws():
    paths = sample_paths()
    assert [sample_label(p) for p in paths] == list(range(10))
    for digit, path in enumerate(paths):
        assert path.parent == SAMPLES_DIR
        assert path.stat().st_size < 4096, "keep the shipped samples small"
        with Image.open(path) as image:
            assert image.mode == "L" and image.size == (SAMPLE_SIDE, SAMPLE_SIDE)
            np.testing.assert_array_equal(np.asarray(image), draw_sample(digit))


def test_every_sample_has_ink_and_becomes_an_mnist_digit():
    for digit in range(10):
        image = draw_sample(digit)
        assert image.dtype == np.uint8 and image.shape == (SAMPLE_SIDE, SAMPLE_SIDE)
        assert image.max() - image.min() >= 150, "clear contrast between ink and background"
        mnist = canvas_to_mnist(image)
        rows, cols = np.nonzero(mnist > 0.1)
        assert mnist.shape == (28, 28) and mnist.max() == pytest.approx(1.0)
        assert max(np.ptp(rows), np.ptp(cols)) + 1 in (19, 20, 21), "the digit fills the 20 px box"


def test_write_samples_writes_readable_pngs(tmp_path):
    paths = write_samples(tmp_path)
    assert [p.name for p in paths] == [sample_name(d) for d in range(10)]
    assert sample_paths(tmp_path) == paths
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in paths)


def test_missing_samples_and_bad_names_say_what_to_do(tmp_path):
    with pytest.raises(FileNotFoundError, match=r"python -m digitlab.samples"):
        sample_paths(tmp_path)
    with pytest.raises(ValueError, match="starts with its digit"):
        sample_label("my_digit.png")
    with pytest.raises(ValueError, match="0-9"):
        draw_sample(10)
