"""Measurement behind the pad's not-a-digit rule (`digitlab.preprocess.MIN_DIGIT_EXTENT`).

For each kind of non-digit (`digitlab.nondigits`): how often the model's top probability is
below the threshold ("not sure"), and how often each candidate size limit catches it; then
how many MNIST validation digits (`validation_split`: the limit is chosen here, so not on
the test set) redrawn as canvases (`digitlab.redraw`, 25-90% of the canvas) each limit
would wrongly refuse. The limit must refuse every tap and dot and almost no
real digit.

    python benchmarks/not_a_digit.py [--n 300] [--digits 1000] [--model PATH]

Needs MNIST (`digitlab data fetch`) and the shipped model (or `--model`). About a minute.
"""

from __future__ import annotations

import argparse
import functools

import numpy as np

from digitlab.data import load_mnist, validation_split
from digitlab.nondigits import KINDS, nondigits, pad_verdicts
from digitlab.predict import Predictor
from digitlab.preprocess import MIN_DIGIT_EXTENT, check_drawing, ink_extent
from digitlab.redraw import redraw_digit

LIMITS = (0.15, 0.2, 0.25, 0.3)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=300, help="canvases per kind of non-digit")
    parser.add_argument("--digits", type=int, default=1000, help="redrawn MNIST validation digits")
    parser.add_argument("--model", help="a saved model (default: the shipped course model)")
    args = parser.parse_args()
    predictor = Predictor.load(args.model)
    print(f"threshold {predictor.threshold}, MIN_DIGIT_EXTENT {MIN_DIGIT_EXTENT}")
    print(f"{'kind':<12} {'not sure':>8}  " + "  ".join(f"caught@{m:<4}" for m in LIMITS))
    for kind in KINDS:
        canvases = nondigits(kind, args.n, seed=0)
        rates = []
        for limit in LIMITS:
            rule = functools.partial(check_drawing, min_extent=limit)
            verdicts = pad_verdicts(predictor, canvases, kind, check_drawing=rule)
            rates.append(verdicts.too_small / verdicts.n)
        not_sure = verdicts.not_sure / verdicts.n
        print(f"{kind:<12} {not_sure:>8.1%}  " + "  ".join(f"{r:>11.1%}" for r in rates))
    (x, y), _ = load_mnist()
    _, (images, _) = validation_split(x, y)
    rng = np.random.default_rng(0)
    chosen = rng.choice(len(images), args.digits, replace=False)
    extents = np.array([ink_extent(redraw_digit(images[i], rng)) for i in chosen])
    refused = "  ".join(f"{np.mean(extents < m):>11.1%}" for m in LIMITS)
    print(f"{'MNIST val. redrawn, refused':<26}" + refused)
    print(f"smallest ink extent of a redrawn digit: {extents.min():.3f}")


if __name__ == "__main__":
    main()
