"""DrawingAugment (digitlab.augment), the train() hook that applies it, and its CLI options."""

from __future__ import annotations

import numpy as np

from digitlab.augment import DrawingAugment
from digitlab.cli import build_parser
from digitlab.train import make_dataset

STILL = {"pen": 0.0, "rotation": 0.0, "shear": 0.0, "zoom": 0.0, "stretch": 0.0,
         "shift": 0.0, "elastic": 0.0}


def _bars(n: int = 8) -> np.ndarray:
    """Vertical bars, float32 (n, 28, 28, 1)."""
    images = np.zeros((n, 28, 28, 1), np.float32)
    images[:, 4:24, 13:15] = 1.0
    return images


def test_no_distortion_gives_the_images_back():
    images = _bars()
    np.testing.assert_allclose(DrawingAugment(0, **STILL)(images).numpy(), images, atol=1e-6)


def test_distorted_images_keep_shape_range_and_are_seeded():
    images = _bars(16)
    a = DrawingAugment(3)(images).numpy()
    b = DrawingAugment(3)(images).numpy()
    assert a.shape == images.shape and a.dtype == np.float32
    assert a.min() >= 0 and np.isclose(a.max(), 1.0)
    np.testing.assert_array_equal(a, b)
    assert not np.allclose(a, images)


def test_shear_slants_a_vertical_bar():
    out = DrawingAugment(1, **{**STILL, "shear": 0.4})(_bars(32)).numpy()[..., 0]
    cols = np.arange(28)
    top = (out[:, 5:9] * cols).sum(axis=(1, 2)) / out[:, 5:9].sum(axis=(1, 2))
    bottom = (out[:, 19:23] * cols).sum(axis=(1, 2)) / out[:, 19:23].sum(axis=(1, 2))
    assert np.abs(top - bottom).max() > 1.5  # some bars lean by more than a pixel and a half


def test_pen_width_thickens_or_thins_strokes():
    out = DrawingAugment(2, **{**STILL, "pen": 1.0})(_bars(32)).numpy()
    ink = (out > 0.5).sum(axis=(1, 2, 3))
    assert ink.max() > (_bars(1) > 0.5).sum() > ink.min()


def test_train_pipeline_applies_a_callable_augment_to_each_batch():
    images = (_bars(10)[..., 0] * 255).astype(np.uint8)
    ds = make_dataset(images, np.arange(10), batch_size=4, augment=lambda batch: 1 - batch)
    batches = [x.numpy() for x, _ in ds]
    assert [len(b) for b in batches] == [4, 4, 2]
    assert all(b[:, 0, 0, 0].min() == 1.0 for b in batches)  # the background was inverted


def test_cli_train_takes_drawing_augment_and_drawn_digits():
    args = build_parser().parse_args(["train", "--augment", "drawing", "--drawn", "500"])
    assert (args.augment, args.drawn) == ("drawing", 500)
    assert build_parser().parse_args(["train", "--augment"]).augment == "basic"
    assert build_parser().parse_args(["train"]).augment is None
