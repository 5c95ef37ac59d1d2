"""Benchmark: drawings through the MNIST recipe vs the naive squash, pen-drawn digits, latency.

MNIST test digits are redrawn as canvas images (random canvas size, digit size, position,
pen width and background; `digitlab.redraw`) and recognised twice: after
`canvas_to_mnist` (crop, scale to 20 px, centre by mass) and after `naive_squash` (whole
canvas shrunk to 28x28). Then the drawn-digit table: the held-out pen-drawn digits of
`digitlab.drawn` (MNIST test skeletons redrawn, stroke styles, matplotlib fonts) read by
the MNIST-only model, the shipped model and any `--candidate`, per source and per digit,
next to MNIST test and redrawn accuracy, with the issue-14 targets. Then the training time
of the shipped recipe against the MNIST-only one (`--timing-steps`, timed back to back).
Last, the latency of `Predictor.predict_canvas` on a 280x280 RGBA canvas, next to Keras
`model.predict` on one image. Lessons 06 and 07 quote these numbers.

    python benchmarks/drawing.py [--digits 5000] [--drawn 3000] [--candidate PATH ...]

Needs MNIST (`digitlab data fetch`) and the shipped model (or `--model`). Takes 3-5 min.
Wall-clock latency includes waiting for a CPU: on a busy machine the tail (p95/p99) grows
while the CPU time per call does not, so both are shown.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable

import numpy as np

from digitlab.data import load_mnist, normalize_images, validation_split
from digitlab.drawn import MNIST_ONLY_PATH, SOURCES, held_out_drawn, training_drawn
from digitlab.machine import describe_machine
from digitlab.predict import Predictor
from digitlab.preprocess import canvas_to_mnist
from digitlab.redraw import PAPER_STYLES, redraw_digit, redraw_digits
from digitlab.saving import PRETRAINED_PATH, read_model_info
from digitlab.your_images import compare_preprocessing

ACCURACY_TARGET = 0.99
MNIST_TARGET = 0.996  # issue 14: the shipped model on MNIST test ...
REDRAWN_TARGET = 0.993  # ... on MNIST test digits redrawn as canvases ...
DRAWN_TARGET = 0.99  # ... on the held-out drawn digits, and on each digit of them
DRAWN_DIGIT_TARGET = 0.97
TIME_RATIO_TARGET = 1.5  # training time of the shipped recipe / the MNIST-only recipe
LATENCY_TARGET_MS = 3.0  # p95 of predict_canvas on a 280x280 RGBA canvas


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--digits", type=int, default=5000, help="MNIST test digits to redraw")
    parser.add_argument("--model", help="a saved .keras model (default: the shipped one)")
    parser.add_argument("--drawn", type=int, default=3000, help="held-out drawn digits")
    parser.add_argument(
        "--candidate", action="append", default=[], help="another .keras model to compare"
    )
    parser.add_argument(
        "--timing-steps", type=int, default=60, help="steps per recipe timed (0: skip)"
    )
    parser.add_argument("--seed", type=int, default=0, help="seed of the digits and drawings")
    parser.add_argument("--latency-runs", type=int, default=1000, help="timed predict_canvas")
    parser.add_argument("--keras-runs", type=int, default=30, help="timed model.predict calls")
    return parser.parse_args(argv)


def redrawn_test_digits(digits: int, seed: int):
    """`digits` MNIST test digits, their labels, redrawn canvases and background styles."""
    _, (images, labels) = load_mnist(n_test=digits, seed=seed)
    canvases, styles = redraw_digits(images, np.random.default_rng(seed))
    return images, labels, canvases, styles


def accuracy_table(predictor: Predictor, redrawn, seed: int) -> list[str]:
    """Accuracy per background style of the MNIST recipe vs the naive squash."""
    images, labels, canvases, styles = redrawn
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
    for style in (*PAPER_STYLES, "all"):
        chosen = styles == style if style != "all" else np.ones(len(styles), dtype=bool)
        lines.append(
            f"{style:<16}{chosen.sum():>6}"
            f"{right['canvas_to_mnist'][chosen].mean():>18.2%}"
            f"{right['naive_squash'][chosen].mean():>15.2%}"
        )
    met = right["canvas_to_mnist"].mean() >= ACCURACY_TARGET
    lines.append(f"target canvas_to_mnist >= {ACCURACY_TARGET:.0%}: {'met' if met else 'NOT met'}")
    return lines


def _accuracy(predictor: Predictor, images: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """Per image: did `predictor` read it right."""
    return predictor.predict_proba(normalize_images(images)).argmax(axis=1) == labels


def drawn_table(predictors: dict[str, Predictor], redrawn, n_drawn: int) -> list[str]:
    """Held-out drawn digits per source and digit, MNIST test and redrawn, per model."""
    _, (test_images, test_labels) = load_mnist()
    _, redrawn_labels, canvases, _ = redrawn
    redrawn_images = np.stack([canvas_to_mnist(canvas) for canvas in canvases])
    drawn = held_out_drawn(n_drawn)
    rows = {"MNIST test": {}, "MNIST redrawn": {}, "drawn, all": {}}
    rows.update({f"drawn, {source}": {} for source in SOURCES})
    rows.update({f"drawn, digit {d}": {} for d in range(10)})
    for name, predictor in predictors.items():
        rows["MNIST test"][name] = _accuracy(predictor, test_images, test_labels).mean()
        rows["MNIST redrawn"][name] = _accuracy(predictor, redrawn_images, redrawn_labels).mean()
        right = _accuracy(predictor, drawn.images, drawn.labels)
        rows["drawn, all"][name] = right.mean()
        for source in SOURCES:
            rows[f"drawn, {source}"][name] = right[drawn.sources == source].mean()
        for d in range(10):
            rows[f"drawn, digit {d}"][name] = right[drawn.labels == d].mean()
    width = {name: max(16, len(name) + 2) for name in predictors}  # a path can be long
    lines = [
        f"Accuracy on {len(test_labels):,} MNIST test digits, {len(redrawn_labels):,} of them "
        f"redrawn as canvases, and {len(drawn):,} held-out drawn digits (digitlab.drawn)",
        f"{'':<20}" + "".join(f"{name:>{w}}" for name, w in width.items()),
    ]
    lines += [
        f"{row:<20}" + "".join(f"{values[name]:>{w}.2%}" for name, w in width.items())
        for row, values in rows.items()
    ]
    for name in predictors:
        worst = min(range(10), key=lambda d, name=name: rows[f"drawn, digit {d}"][name])
        checks = [
            (f"MNIST test >= {MNIST_TARGET:.1%}", rows["MNIST test"][name] >= MNIST_TARGET),
            (f"redrawn >= {REDRAWN_TARGET:.1%}", rows["MNIST redrawn"][name] >= REDRAWN_TARGET),
            (f"drawn >= {DRAWN_TARGET:.0%}", rows["drawn, all"][name] >= DRAWN_TARGET),
            (
                f"every digit >= {DRAWN_DIGIT_TARGET:.0%} (worst {worst})",
                rows[f"drawn, digit {worst}"][name] >= DRAWN_DIGIT_TARGET,
            ),
        ]
        lines.append(
            f"targets, {name}: "
            + "; ".join(f"{what}: {'met' if ok else 'NOT met'}" for what, ok in checks)
        )
    return lines


def _seconds_per_step(x, y, augment, steps: int) -> tuple[float, float]:
    """Training seconds and CPU seconds per step of cnn_plus on `steps` batches of 128,
    timed on the second of two epochs (the first one warms up)."""
    from digitlab.models import build
    from digitlab.train import train

    result = train(build("cnn_plus"), x[: steps * 128], y[: steps * 128], epochs=2,
                   augment=augment, verbose=0)
    wall, cpu = result.epoch_seconds, result.epoch_cpu_seconds
    return (wall[1] - wall[0]) / steps, (cpu[1] - cpu[0]) / steps


def timing_table(steps: int) -> list[str]:
    """Training time of the shipped recipe vs today's MNIST-only one, timed back to back.

    Both train cnn_plus; each is timed for `steps` steps (second epoch of two) and
    extrapolated to its full recipe: the MNIST-only one 24 epochs on 60,000 images with
    the basic augmentation, the shipped one as its sidecar records (epochs, drawn digits,
    drawing augmentation, 55,000 MNIST images after the validation split), plus the time
    to draw its drawn digits. Judged in CPU seconds of this process, which other programs
    on a shared machine disturb far less than the wall clock (both are shown).
    """
    from digitlab.augment import DrawingAugment

    info = read_model_info(PRETRAINED_PATH) or {}
    epochs, n_drawn = int(info.get("epochs", 24)), int(info.get("drawn_training_digits", 0))
    (x, y), _ = load_mnist()
    (x_split, y_split), _ = validation_split(x, y)
    started, cpu_started = time.perf_counter(), time.process_time()
    sample = training_drawn(200, (x_split, y_split))
    drawing = ((time.perf_counter() - started) * n_drawn / len(sample),
               (time.process_time() - cpu_started) * n_drawn / len(sample))
    old_steps = 24 * np.ceil(len(x) / 128)
    new_steps = epochs * np.ceil((len(x_split) + n_drawn) / 128)
    old_step = _seconds_per_step(x, y, True, steps)
    new_step = _seconds_per_step(x_split, y_split, DrawingAugment(0), steps)
    old = [old_steps * step for step in old_step]
    new = [new_steps * step + draw for step, draw in zip(new_step, drawing, strict=True)]
    ratio = new[1] / old[1]
    verdict = "met" if ratio <= TIME_RATIO_TARGET else "NOT met"
    return [
        f"Training time, timed {steps} steps each back to back; {describe_machine()}",
        f"{'recipe':<44}{'steps':>7}{'s/step':>8}{'seconds':>9}{'CPU s/step':>12}{'CPU s':>8}",
        f"{'MNIST only: 24 epochs x 60,000, --augment':<44}{old_steps:>7.0f}{old_step[0]:>8.3f}"
        f"{old[0]:>9.0f}{old_step[1]:>12.3f}{old[1]:>8.0f}",
        f"{f'shipped: {epochs} epochs x 55,000 + {n_drawn:,} drawn':<44}{new_steps:>7.0f}"
        f"{new_step[0]:>8.3f}{new[0]:>9.0f}{new_step[1]:>12.3f}{new[1]:>8.0f}"
        f"  (drawing the digits: {drawing[0]:.0f} s, {drawing[1]:.0f} CPU s)",
        f"target shipped <= {TIME_RATIO_TARGET}x MNIST only, in CPU seconds: {ratio:.2f}x "
        f"(wall clock {new[0] / old[0]:.2f}x), {verdict}",
    ]


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
    lines = [
        f"Latency (ms) of a 280x280 RGBA canvas; {describe_machine()}",
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
    redrawn = redrawn_test_digits(args.digits, args.seed)
    print("\n".join(accuracy_table(predictor, redrawn, args.seed)), end="\n\n", flush=True)
    predictors = {"MNIST only": Predictor.load(MNIST_ONLY_PATH), "shipped": predictor}
    predictors.update({path: Predictor.load(path) for path in args.candidate})
    print("\n".join(drawn_table(predictors, redrawn, args.drawn)), end="\n\n", flush=True)
    if args.timing_steps:
        print("\n".join(timing_table(args.timing_steps)), end="\n\n", flush=True)
    print("\n".join(latency_table(predictor, args.latency_runs, args.keras_runs, args.seed)))
    print(f"\n(benchmark took {time.perf_counter() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
