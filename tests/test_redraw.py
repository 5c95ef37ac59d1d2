"""The redrawn test digits of lesson 05 (`digitlab.redraw.redrawn_test_digits`)."""

import numpy as np

from digitlab.redraw import redrawn_test_digits


def test_redrawn_test_digits_are_seeded_canvases_of_a_stratified_sample(fake_mnist):
    folder, _ = fake_mnist
    canvases, labels = redrawn_test_digits(10, seed=1, data_dir=folder)
    assert len(canvases) == len(labels) == 10
    assert sorted(labels) == list(range(10))  # stratified: one of each digit
    assert all(c.dtype == np.uint8 and min(c.shape[:2]) >= 200 for c in canvases)
    again, same_labels = redrawn_test_digits(10, seed=1, data_dir=folder)
    assert all(np.array_equal(a, b) for a, b in zip(canvases, again, strict=True))
    np.testing.assert_array_equal(labels, same_labels)
    other, _ = redrawn_test_digits(10, seed=2, data_dir=folder)
    assert not all(np.array_equal(a, b) for a, b in zip(canvases, other, strict=False))
