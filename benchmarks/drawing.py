"""Benchmark: drawings through the MNIST recipe vs the naive squash, drawn digits seen and
unseen, training time, latency.

MNIST test digits are redrawn as canvas images (random canvas size, digit size, position,
pen width and background; `digitlab.redraw`) and recognised twice: after
`canvas_to_mnist` (crop, scale to 20 px, centre by mass) and after `naive_squash` (whole
canvas shrunk to 28x28). Then the **in-distribution** table: the held-out drawn digits of
`digitlab.drawn` (MNIST test skeletons redrawn, four hands of stroke styles, three font
families) read by the MNIST-only model, the shipped model and any `--candidate`, per
family and per digit, next to MNIST test and redrawn accuracy. They come from the same
generators the shipped model was taught on, so they say little about a hand nobody
imitated. The **leave-one-family-out** table says that: the shipped recipe
(`digitlab.recipes.SHIPPED_TEACHING`, from the MNIST-only model) taught every family but
one, read on the held-out drawings of the one it never saw, for every family
(`digitlab.leave_out`). Then the training time of the shipped recipe against the one it
replaced (`--timing-steps`, timed back to back, in CPU seconds). Last, the latency of
`Predictor.predict_canvas` on a 280x280 RGBA canvas, next to Keras `model.predict`.
Lessons 06 and 07 quote these numbers; the targets are issue 20's.

    python benchmarks/drawing.py [--digits 5000] [--drawn 6000] [--candidate PATH ...]
    python benchmarks/drawing.py --choose [--seeds 2]   # how SHIPPED_TEACHING was chosen

`--choose` prints instead the leave-one-family-out accuracy of each teaching in
`CANDIDATES`, on the *validation* drawings (their own random stream, skeletons from the
MNIST validation split), scaled down (`--choose-mnist` MNIST images) and with several
seeds: a candidate is kept only if it beats the others by more than the seed spread.

Needs MNIST (`digitlab data fetch`) and the shipped models (or `--model`). Takes about half an
hour on 2 CPU cores (`--no-loso`: 5 min). Wall-clock latency includes waiting for a CPU:
on a busy machine the tail (p95/p99) grows while the CPU time per call does not, so both
are shown.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable

import numpy as np

from digitlab.data import load_mnist, normalize_images, stratified_indices, validation_split
from digitlab.drawn import (
    FAMILIES,
    HELD_OUT,
    MNIST_ONLY_PATH,
    VALIDATION,
    drawn_digits,
    held_out_drawn,
    training_drawn,
)
from digitlab.leave_out import leave_one_family_out
from digitlab.machine import describe_machine
from digitlab.predict import Predictor
from digitlab.preprocess import canvas_to_mnist
from digitlab.recipes import SHIPPED_TEACHING, Teaching
from digitlab.redraw import PAPER_STYLES, redraw_digit, redraw_digits
from digitlab.saving import load_model
from digitlab.your_images import compare_preprocessing

ACCURACY_TARGET = 0.99
MNIST_TARGET = 0.9965  # issue 20: the shipped model on MNIST test ...
REDRAWN_TARGET = 0.994  # ... on MNIST test digits redrawn as canvases ...
UNSEEN_FAMILY_TARGET = 0.985  # ... on each family left out of its teaching ...
UNSEEN_MEAN_TARGET = 0.993  # ... and on all of them, on average
TIME_RATIO_TARGET = 1.5  # training CPU time of the shipped recipe / the one it replaced
LATENCY_TARGET_MS = 3.0  # p95 of predict_canvas on a 280x280 RGBA canvas
SPEEDUP_TARGET = 10.0  # issue 20: live prediction stays >= 10x faster than Keras predict()

CANDIDATES: dict[str, Teaching] = {
    "drawing augmentation": Teaching(drawn=8000, epochs=2),
    "+ elastic, stretch, pen": Teaching(drawn=8000, epochs=2,
                                       augment={"elastic": 2.0, "stretch": 0.25, "pen": 1.3}),
}
"""The teachings `--choose` compares, scaled down as `--choose-mnist` says (README,
"Reading unseen hands"); SHIPPED_TEACHING keeps the winner's augmentation."""
CHOOSE_DRAWINGS = 12_000  # validation drawings `--choose` reads


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--digits", type=int, default=5000, help="MNIST test digits to redraw")
    parser.add_argument("--model", help="a saved .keras model (default: the shipped one)")
    parser.add_argument("--drawn", type=int, default=6000, help="held-out drawn digits")
    parser.add_argument("--no-loso", action="store_true", help="skip leave-one-family-out")
    parser.add_argument("--choose", action="store_true",
                        help="compare CANDIDATES on the validation drawings instead")
    parser.add_argument("--seeds", type=int, default=2, help="seeds per candidate (--choose)")
    parser.add_argument("--choose-mnist", type=int, default=10_000,
                        help="MNIST training images per teaching (--choose)")
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
    """In-distribution: held-out drawn digits per family and digit, MNIST test and redrawn."""
    _, (test_images, test_labels) = load_mnist()
    _, redrawn_labels, canvases, _ = redrawn
    redrawn_images = np.stack([canvas_to_mnist(canvas) for canvas in canvases])
    drawn = held_out_drawn(n_drawn)
    rows = {"MNIST test": {}, "MNIST redrawn": {}, "drawn, all": {}}
    rows.update({f"drawn, {family}": {} for family in FAMILIES})
    rows.update({f"drawn, digit {d}": {} for d in range(10)})
    for name, predictor in predictors.items():
        rows["MNIST test"][name] = _accuracy(predictor, test_images, test_labels).mean()
        rows["MNIST redrawn"][name] = _accuracy(predictor, redrawn_images, redrawn_labels).mean()
        right = _accuracy(predictor, drawn.images, drawn.labels)
        rows["drawn, all"][name] = right.mean()
        for family in FAMILIES:
            rows[f"drawn, {family}"][name] = right[drawn.families == family].mean()
        for d in range(10):
            rows[f"drawn, digit {d}"][name] = right[drawn.labels == d].mean()
    width = {name: max(16, len(name) + 2) for name in predictors}  # a path can be long
    lines = [
        f"In-distribution: {len(test_labels):,} MNIST test digits, {len(redrawn_labels):,} of "
        f"them redrawn as canvases, and {len(drawn):,} held-out drawn digits of the families "
        "the shipped model was taught (digitlab.drawn)",
        f"{'':<26}" + "".join(f"{name:>{w}}" for name, w in width.items()),
    ]
    lines += [
        f"{row:<26}" + "".join(f"{values[name]:>{w}.2%}" for name, w in width.items())
        for row, values in rows.items()
    ]
    for name in predictors:
        checks = [
            (f"MNIST test >= {MNIST_TARGET:.2%}", rows["MNIST test"][name] >= MNIST_TARGET),
            (f"redrawn >= {REDRAWN_TARGET:.1%}", rows["MNIST redrawn"][name] >= REDRAWN_TARGET),
        ]
        lines.append(f"targets, {name}: " + _verdicts(checks))
    return lines


def _verdicts(checks: list[tuple[str, bool]]) -> str:
    return "; ".join(f"{what}: {'met' if ok else 'NOT met'}" for what, ok in checks)


def loso_table(n_drawn: int, seed: int) -> list[str]:
    """Leave one family out: the shipped recipe, taught every family but one, on the
    held-out drawings of the one it never saw; then taught all, on all (in-distribution)."""
    (x, y), (x_test, y_test) = load_mnist()
    mnist_train, _ = validation_split(x, y)
    drawings = drawn_digits(n_drawn, seed, HELD_OUT, (x_test, y_test))
    started, cpu = time.perf_counter(), time.process_time()
    result = leave_one_family_out(load_model(MNIST_ONLY_PATH), mnist_train, drawings,
                                  SHIPPED_TEACHING, seed=seed)
    lines = [
        f"Leave one family out: the shipped recipe ({SHIPPED_TEACHING}) from the MNIST-only "
        f"model, taught every family but one; accuracy on {n_drawn:,} held-out drawings "
        f"(seed {seed}), per family. 'taught': the recipe with every family, in-distribution.",
        *str(result).splitlines(),
        f"({len(FAMILIES) + 1} teachings, {time.perf_counter() - started:.0f} s, "
        f"{time.process_time() - cpu:.0f} CPU s; {describe_machine()})",
    ]
    checks = [
        (f"every family >= {UNSEEN_FAMILY_TARGET:.1%} (worst {result.worst})",
         result.unseen[result.worst] >= UNSEEN_FAMILY_TARGET),
        (f"mean >= {UNSEEN_MEAN_TARGET:.1%}", result.mean_unseen >= UNSEEN_MEAN_TARGET),
    ]
    lines.append("targets, left out: " + _verdicts(checks))
    return lines


def choose_table(seeds: int, n_mnist: int, n_drawn: int) -> list[str]:
    """Leave one family out for each of CANDIDATES, on the validation drawings, `seeds`
    seeds each: the table SHIPPED_TEACHING was chosen from."""
    (x, y), _ = load_mnist()
    (x_train, y_train), validation = validation_split(x, y)
    drawings = drawn_digits(n_drawn, 0, VALIDATION, validation)
    base = load_model(MNIST_ONLY_PATH)
    results = {}
    for name, teaching in CANDIDATES.items():
        for seed in range(seeds):
            keep = stratified_indices(y_train, n_mnist, np.random.default_rng(seed))
            results[name, seed] = leave_one_family_out(
                base, (x_train[keep], y_train[keep]), drawings, teaching, seed=seed)
    lines = [
        f"Choosing the teaching: leave one family out on {n_drawn:,} validation drawings, "
        f"{n_mnist:,} MNIST images per teaching, seeds 0-{seeds - 1}; {describe_machine()}",
        f"{'candidate':<28}{'seed':>5}" + "".join(f"{f[:9]:>10}" for f in FAMILIES)
        + f"{'mean':>8}",
    ]
    for (name, seed), result in results.items():
        lines.append(f"{name:<28}{seed:>5}" + "".join(
            f"{result.unseen[f]:>10.2%}" for f in FAMILIES) + f"{result.mean_unseen:>8.2%}")
    for name in CANDIDATES:
        means = [results[name, seed].mean_unseen for seed in range(seeds)]
        lines.append(f"{name:<28} mean {np.mean(means):.2%}, seed spread "
                     f"{max(means) - min(means):.2%}")
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
    """Training time of the shipped recipe vs the one it replaced, timed back to back.

    Each kind of step is timed for `steps` steps (second epoch of two) and extrapolated:
    the replaced recipe trained cnn_plus from scratch, 18 epochs on 55,000 MNIST images
    plus 8,000 drawn digits with the drawing augmentation; the shipped one trains the
    MNIST-only model (24 epochs on 55,000 images, basic augmentation), then teaches it
    (SHIPPED_TEACHING: epochs on 55,000 + drawn digits, drawing augmentation), plus the
    time to draw the digits of each. Judged in CPU seconds of this process, which other
    programs on a shared machine disturb far less than the wall clock (both are shown).
    """
    from digitlab.augment import DrawingAugment

    (x, y), _ = load_mnist()
    (x_split, y_split), _ = validation_split(x, y)
    started, cpu_started = time.perf_counter(), time.process_time()
    sample = training_drawn(200, (x_split, y_split))
    per_drawing = ((time.perf_counter() - started) / len(sample),
                   (time.process_time() - cpu_started) / len(sample))
    basic = _seconds_per_step(x_split, y_split, True, steps)
    drawing = _seconds_per_step(x_split, y_split, DrawingAugment(0), steps)
    teach = SHIPPED_TEACHING

    def cost(parts: list[tuple[float, tuple[float, float]]], n_drawn: int) -> list[float]:
        return [sum(n * step[i] for n, step in parts) + n_drawn * per_drawing[i]
                for i in range(2)]

    def n_steps(epochs: int, images: int) -> float:
        return epochs * np.ceil(images / 128)

    old = cost([(n_steps(18, 55_000 + 8_000), drawing)], 8_000)
    base_steps = n_steps(24, 55_000)
    teach_steps = n_steps(teach.epochs, 55_000 + teach.drawn)
    new = cost([(base_steps, basic), (teach_steps, drawing)], teach.drawn)
    ratio = new[1] / old[1]
    shipped = f"shipped: MNIST only, 24 x 55,000, then {teach.epochs} x (55,000 + {teach.drawn:,})"
    verdict = "met" if ratio <= TIME_RATIO_TARGET else "NOT met"
    return [
        f"Training time, timed {steps} steps of each kind back to back; {describe_machine()}",
        f"s/step, CPU s/step: basic augmentation {basic[0]:.3f}, {basic[1]:.3f}; drawing "
        f"augmentation {drawing[0]:.3f}, {drawing[1]:.3f}; one drawn digit "
        f"{per_drawing[0] * 1000:.1f} ms, {per_drawing[1] * 1000:.1f} CPU ms",
        f"{'recipe':<62}{'seconds':>9}{'CPU s':>8}",
        f"{'replaced: from scratch, 18 epochs x (55,000 + 8,000 drawn)':<62}"
        f"{old[0]:>9.0f}{old[1]:>8.0f}",
        f"{shipped:<62}"
        f"{new[0]:>9.0f}{new[1]:>8.0f}",
        f"target shipped <= {TIME_RATIO_TARGET}x replaced, in CPU seconds: {ratio:.2f}x "
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
    speedup = timings[-1][2][0] / timings[0][2][0]  # keras predict / predict_canvas, at p50
    lines.append(f"target predict_canvas >= {SPEEDUP_TARGET:g}x faster than model.predict at "
                 f"p50: {speedup:.0f}x, {'met' if speedup >= SPEEDUP_TARGET else 'NOT met'}")
    return lines


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.perf_counter()
    if args.choose:
        print("\n".join(choose_table(args.seeds, args.choose_mnist, CHOOSE_DRAWINGS)))
        print(f"\n(benchmark took {time.perf_counter() - started:.0f} s)")
        return 0
    predictor = Predictor.load(args.model)
    redrawn = redrawn_test_digits(args.digits, args.seed)
    print("\n".join(accuracy_table(predictor, redrawn, args.seed)), end="\n\n", flush=True)
    predictors = {"MNIST only": Predictor.load(MNIST_ONLY_PATH), "shipped": predictor}
    predictors.update({path: Predictor.load(path) for path in args.candidate})
    print("\n".join(drawn_table(predictors, redrawn, args.drawn)), end="\n\n", flush=True)
    if not args.no_loso:
        print("\n".join(loso_table(args.drawn, args.seed)), end="\n\n", flush=True)
    if args.timing_steps:
        print("\n".join(timing_table(args.timing_steps)), end="\n\n", flush=True)
    print("\n".join(latency_table(predictor, args.latency_runs, args.keras_runs, args.seed)))
    print(f"\n(benchmark took {time.perf_counter() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
