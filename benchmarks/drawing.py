"""Benchmark: drawings through the MNIST recipe vs the naive squash, and live latency.

MNIST test digits are redrawn as canvas images (random canvas size, digit size, position,
pen width and background; `digitlab.redraw`) and recognised twice: after
`canvas_to_mnist` (crop, scale to 20 px, centre by mass) and after `naive_squash` (whole
canvas shrunk to 28x28). Then the latency of `Predictor.predict_canvas` on a 280x280 RGBA
canvas, next to Keras `model.predict` on one image. Lesson 06 quotes these numbers.

    python benchmarks/drawing.py [--digits 5000] [--model PATH] [--latency-runs 1000]

Needs MNIST (`digitlab data fetch`) and the shipped model (or `--model`). Takes 1-2 min.
Wall-clock latency includes waiting for a CPU: on a busy machine the tail (p95/p99) grows
while the CPU time per call does not, so both are shown.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable

import numpy as np

from digitlab.data import load_mnist, normalize_images
from digitlab.evaluate import compare_preprocessing
from digitlab.predict import Predictor
from digitlab.preprocess import canvas_to_mnist
from digitlab.redraw import STYLES, redraw_digit, redraw_digits

ACCURACY_TARGET = 0.99
LATENCY_TARGET_MS = 3.0  # p95 of predict_canvas on a 280x280 RGBA canvas


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--digits", type=int, default=5000, help="MNIST test digits to redraw")
    parser.add_argument("--model", help="a saved .keras model (default: the shipped one)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the digits and drawings")
    parser.add_argument("--latency-runs", type=int, default=1000, help="timed predict_canvas")
    parser.add_argument("--keras-runs", type=int, default=30, help="timed model.predict calls")
    return parser.parse_args(argv)


def accuracy_table(predictor: Predictor, digits: int, seed: int) -> list[str]:
    """Accuracy per background style of the MNIST recipe vs the naive squash."""
    _, (images, labels) = load_mnist(n_test=digits, seed=seed)
    canvases, styles = redraw_digits(images, np.random.default_rng(seed))
    right = {
        name: result.report.predictions == labels
        for name, result in compare_preprocessing(predictor, canvases, labels).items()
    }
    original = predictor.predict_proba(normalize_images(images)).argmax(axis=1) == labels
    lines = [
        f"Accuracy on {len(labels)} MNIST test digits redrawn as canvases (seed {seed}); "
        f"the same digits unaltered: {original.mean():.2%}",
        f"{'background':<16}{'n':>6}{'canvas_to_mnist':>18}{'naive_squash':>15}",
    ]
    for style in (*STYLES, "all"):
        chosen = styles == style if style != "all" else np.ones(len(styles), dtype=bool)
        lines.append(
            f"{style:<16}{chosen.sum():>6}"
            f"{right['canvas_to_mnist'][chosen].mean():>18.2%}"
            f"{right['naive_squash'][chosen].mean():>15.2%}"
        )
    met = right["canvas_to_mnist"].mean() >= ACCURACY_TARGET
    lines.append(f"target canvas_to_mnist >= {ACCURACY_TARGET:.0%}: {'met' if met else 'NOT met'}")
    return lines


def percentiles_ms(call: Callable[[], object], runs: int, clock=time.perf_counter) -> list[float]:
    """p50/p95/p99 in ms of `runs` calls after runs/10 warm-up calls, timed with `clock`."""
    for _ in range(max(3, runs // 10)):
        call()
    times = []
    for _ in range(runs):
        start = clock()
        call()
        times.append(clock() - start)
    return list(np.percentile(np.array(times) * 1000, [50, 95, 99]))


def latency_table(predictor: Predictor, runs: int, keras_runs: int, seed: int) -> list[str]:
    """Latency of the live path on a 280x280 RGBA canvas vs keras model.predict."""
    _, (images, _) = load_mnist(n_test=10, seed=seed)
    canvas = redraw_digit(
        images[0], np.random.default_rng(seed), style="transparent", canvas_size=(280, 280)
    )
    one = canvas_to_mnist(canvas)[None, ..., None]
    rows = [
        ("predict_canvas, wall clock", lambda: predictor.predict_canvas(canvas), runs, None),
        (
            "predict_canvas, CPU time",
            lambda: predictor.predict_canvas(canvas),
            runs,
            time.process_time,
        ),
        ("  canvas_to_mnist alone", lambda: canvas_to_mnist(canvas), runs, None),
        ("  predict_proba alone", lambda: predictor.predict_proba(one), runs, None),
        (
            "keras model.predict, 1 image",
            lambda: predictor.model.predict(one, verbose=0),
            keras_runs,
            None,
        ),
    ]
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    lines = [
        f"Latency (ms) of a 280x280 RGBA canvas; {os.cpu_count()} CPUs, load average {load}",
        f"{'':<32}{'runs':>6}{'p50':>9}{'p95':>9}{'p99':>9}",
    ]
    timings = [
        (name, count, percentiles_ms(call, count, clock or time.perf_counter))
        for name, call, count, clock in rows
    ]
    for name, count, (p50, p95, p99) in timings:
        lines.append(f"{name:<32}{count:>6}{p50:>9.2f}{p95:>9.2f}{p99:>9.2f}")
    p95 = timings[0][2][1]
    met = p95 <= LATENCY_TARGET_MS
    lines.append(
        f"target predict_canvas p95 <= {LATENCY_TARGET_MS:g} ms: {'met' if met else 'NOT met'}"
    )
    return lines


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.perf_counter()
    predictor = Predictor.load(args.model)
    print("\n".join(accuracy_table(predictor, args.digits, args.seed)), end="\n\n", flush=True)
    print("\n".join(latency_table(predictor, args.latency_runs, args.keras_runs, args.seed)))
    print(f"\n(benchmark took {time.perf_counter() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
