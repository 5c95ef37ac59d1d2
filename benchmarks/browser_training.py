"""Benchmark: the same network trained by Keras in Python and by TensorFlow.js in the browser.

The training page's own data (the MNIST sample `digitlab export web` bundles: training and
validation images from MNIST's training split), the same network (build_dense or build_cnn
and their line-for-line TF.js copies in models.js), the same optimizer (Adam, constant
learning rate), loss, batch size and epochs: trained by `digitlab.train.train` in this
process and by the exported training page in headless Chromium (its worker, through the
page's test hook), in one run. Printed: validation accuracy after the last epoch (mean and
range over the runs), seconds per epoch (training only, validation excluded, the first
epoch apart since it includes warm-up), the TF.js backend and the TF.js / Keras ratio, with
the CPU model and load before and after.

    python benchmarks/browser_training.py [--model dense] [--epochs 5] [--runs 2]
        [--n-train 12000] [--n-val 2000] [--backend wasm] [--site FOLDER]

Needs Debian's chromium, playwright and the cached TF.js and ONNX Runtime Web. The dense
network takes a few minutes; the CNN on software WebGL about 2 minutes per 10,000 images.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

import numpy as np

from digitlab.config import PROJECT_DIR
from digitlab.machine import describe_machine
from digitlab.models import build
from digitlab.train import train
from digitlab.web import export_web
from digitlab.web.training_page import (
    BATCH_SIZE,
    LEARNING_RATE,
    N_SAMPLE_TRAIN,
    N_SAMPLE_VAL,
    TRAINABLE,
    training_sample,
)

sys.path.insert(0, str(PROJECT_DIR / "tests"))  # the server and Chromium's flags
from static_server import serve

from conftest import CHROMIUM_ARGS

TRAIN_MS = 3_600_000  # upper bound of one browser run


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--model", choices=TRAINABLE, default="dense")
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--runs", type=int, default=2, help="training runs of each")
    parser.add_argument("--n-train", type=int, default=N_SAMPLE_TRAIN)
    parser.add_argument("--n-val", type=int, default=N_SAMPLE_VAL)
    parser.add_argument("--backend", help="TF.js backend (default: the page's choice)")
    parser.add_argument("--site", help="an exported page to use instead of exporting one")
    return parser.parse_args(argv)


def keras_runs(args: argparse.Namespace) -> list[tuple[float, list[float]]]:
    """(validation accuracy, seconds of each epoch) of each Keras run."""
    (x, y), val = training_sample()
    x, y = x[: args.n_train], y[: args.n_train]
    val = (val[0][: args.n_val], val[1][: args.n_val])
    runs = []
    for seed in range(args.runs):
        result = train(build(args.model, seed=seed), x, y, epochs=args.epochs,
                       batch_size=BATCH_SIZE, learning_rate=LEARNING_RATE, schedule="constant",
                       validation_data=val, seed=seed, verbose=0)  # fmt: skip
        seconds = np.diff([0.0, *result.epoch_seconds]).tolist()
        runs.append((result.history["val_accuracy"][-1], seconds))
    return runs


def browser_runs(args: argparse.Namespace, site: Path) -> tuple[list, str]:
    """(validation accuracy, seconds of each epoch) of each TF.js run; and the backend."""
    from playwright.sync_api import sync_playwright

    runs, backend = [], ""
    with serve(site) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                             args=CHROMIUM_ARGS, timeout=30_000)
        try:
            page = browser.new_page()
            page.set_default_timeout(TRAIN_MS)
            page.goto(url + "train.html")
            page.evaluate("() => window.digitlab.ready")
            options = {"model": args.model, "nTrain": args.n_train, "nVal": args.n_val,
                       "epochs": args.epochs, "batchSize": BATCH_SIZE}  # fmt: skip
            if args.backend:
                options["backend"] = args.backend
            for _ in range(args.runs):
                done = page.evaluate("(o) => window.digitlab.train(o)", options)
                seconds = page.evaluate("() => window.digitlab.state().epochTimes")
                runs.append((done["valAcc"], seconds))
                backend = done["backend"]
        finally:
            browser.close()
    return runs, backend


def summary(runs: list[tuple[float, list[float]]]) -> tuple[float, float, float, float, float]:
    """Mean, lowest and highest validation accuracy; first epoch's and later epochs' s."""
    accuracies = [accuracy for accuracy, _ in runs]
    first = statistics.mean(seconds[0] for _, seconds in runs)
    later = [s for _, seconds in runs for s in seconds[1:]] or [first]
    return (statistics.mean(accuracies), min(accuracies), max(accuracies), first,
            statistics.median(later))  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    before = describe_machine()
    with tempfile.TemporaryDirectory() as scratch:
        site = Path(args.site) if args.site else export_web(Path(scratch) / "site")
        tfjs, backend = browser_runs(args, site)
    keras = keras_runs(args)
    print(f"{args.model} network, {args.n_train:,} training / {args.n_val:,} validation images "
          f"(MNIST training split), batch {BATCH_SIZE}, Adam {LEARNING_RATE:g} constant, "
          f"{args.epochs} epochs, {args.runs} run(s) each")
    print(f"Machine before: {before}; after: {describe_machine()}")
    header = f"{'':<28}{'val acc':>9}{'(range)':>16}{'epoch 1 s':>11}{'later s':>10}"
    print(header)
    rows = {"Keras (TensorFlow, Python)": summary(keras),
            f"TF.js 4.22 in Chromium, {backend}": summary(tfjs)}  # fmt: skip
    for name, (mean, low, high, first, later) in rows.items():
        print(f"{name:<28}{mean:>9.2%}{f'{low:.2%}-{high:.2%}':>16}{first:>11.2f}{later:>10.2f}")
    keras_row, tfjs_row = rows.values()
    gap = 100 * abs(tfjs_row[0] - keras_row[0])
    print(f"validation accuracy gap: {gap:.2f} points ({'within' if gap <= 0.5 else 'beyond'} "
          "0.5); time per later epoch, TF.js / Keras: "
          f"{tfjs_row[4] / keras_row[4]:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
