"""Training benchmark: the course's models against the accuracy and time targets.

Trains, in one run on the same data, the course CNN, the dense baseline and two
references, each with its own recipe and stopped once it reaches 99.2% validation accuracy:
the legacy Keras example CNN (write-up E, 1.2M parameters: Adam at 1e-3, batch 128, up to
its 12 epochs) and the current keras.io "Simple MNIST convnet" (34,826 parameters: Adam at
Keras's default 1e-3, batch 128, up to its 15 epochs; keras.io holds out 10% of the 60,000
images with `validation_split=0.1`, here the same 5,000 of `validation_split` as every other
model). It also evaluates the shipped model (its own recipe is timed by
`benchmarks/drawing.py`).
Every model trains on the training part of `digitlab.data.validation_split` (55,000
images) and is watched and stopped on its validation part (5,000); the test set is used
once per model, after training. Prints the CPU and its load, one table (model,
parameters, training seconds, validation and test accuracy, seconds to first reach 99.2%
validation accuracy, in seconds and in CPU seconds) and each target with PASS/FAIL.
Timings are judged only as a ratio within one run (the reference's time is measured beside
ours), never asserted in a test; the ratio is taken in CPU seconds of this process, which
other programs on a shared machine disturb far less than wall-clock seconds (both are
printed).

    python benchmarks/training.py
"""

from __future__ import annotations

import argparse
import sys

import keras

from digitlab.compare import RunSummary, fit_and_score
from digitlab.data import load_mnist, validation_split
from digitlab.evaluate import evaluate
from digitlab.machine import describe_machine
from digitlab.recipes import recipe
from digitlab.saving import PRETRAINED_PATH, load_model
from digitlab.train import FLOAT32_SLACK

BAR = 0.992  # "seconds to first reach 99.2% validation accuracy"
# The recipes of `digitlab.recipes`: (model, train() arguments). The course CNN's and the
# dense baseline's were chosen on the validation split, several seeds per candidate (README,
# "Choosing the recipes"), before their test accuracy was looked at.
COURSE_CNN = ("cnn", recipe("cnn"))
DENSE = ("dense", recipe("dense"))
REFERENCE = ("keras_example", {"epochs": 12, "schedule": "constant", "learning_rate": 1e-3})
KERAS_IO = ("keras_io_convnet", {"epochs": 15, "schedule": "constant", "learning_rate": 1e-3})


class StopAt(keras.callbacks.Callback):
    """Stop once the validation accuracy reaches the bar: only its time to it is needed."""

    def on_epoch_end(self, epoch, logs=None):
        if (logs or {}).get("val_accuracy", 0.0) >= BAR - FLOAT32_SLACK:
            self.model.stop_training = True


def _fmt(seconds: float | None) -> str:
    return "-" if seconds is None else f"{seconds:.0f}"


def main(argv: list[str] | None = None) -> int:
    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args(argv)

    (x, y), test_split = load_mnist()
    train_split, val_split = validation_split(x, y)
    print(f"Machine at the start: {describe_machine()}", flush=True)
    runs: dict[str, RunSummary] = {}
    tests: dict[str, float] = {}
    for name, train_args in [COURSE_CNN, DENSE, REFERENCE, KERAS_IO]:
        print(f"--- training {name} {train_args}", flush=True)
        extra = {"callbacks": [StopAt()]} if name in (REFERENCE[0], KERAS_IO[0]) else {}
        runs[name] = fit_and_score(name, train_split, val_split, verbose=2, **train_args, **extra)
        tests[name] = evaluate(runs[name].model, *test_split).accuracy
    shipped = evaluate(load_model(PRETRAINED_PATH), *test_split).accuracy

    print(f"\nMachine at the end: {describe_machine()}")
    print(f"{'model':<16}{'params':>10}{'seconds':>9}{'val acc':>9}{'test acc':>10}"
          f"{'s to 99.2% val':>16}{'CPU s to 99.2%':>16}")
    for run in runs.values():
        print(
            f"{run.name:<16}{run.params:>10,}{run.seconds:>9.0f}{run.accuracy:>9.2%}"
            f"{tests[run.name]:>10.2%}{_fmt(run.seconds_to_reach(BAR)):>16}"
            f"{_fmt(run.seconds_to_reach(BAR, cpu=True)):>16}"
        )
    print(f"{'shipped file':<16}{'':>10}{'':>9}{'':>9}{shipped:>10.2%}")

    cnn, dense, ref = runs["cnn"], runs["dense"], runs["keras_example"]
    cnn_at, ref_at = cnn.seconds_to_reach(BAR), ref.seconds_to_reach(BAR)
    cnn_cpu, ref_cpu = cnn.seconds_to_reach(BAR, cpu=True), ref.seconds_to_reach(BAR, cpu=True)
    today = runs["keras_io_convnet"]
    targets = [
        (
            "course CNN >= 99.3% test accuracy",
            tests["cnn"] >= 0.993,
            f"{tests['cnn']:.2%} after {cnn.seconds:.0f} s of training",
        ),
        (
            "dense baseline >= 98.2% test accuracy",
            tests["dense"] >= 0.982,
            f"{tests['dense']:.2%} after {dense.seconds:.0f} s of training",
        ),
        ("shipped model >= 99.6% test accuracy", shipped >= 0.996, f"{shipped:.2%}"),
        (
            "course CNN reaches 99.2% validation accuracy in <= 1/5 of the reference's time",
            cnn_cpu is not None and ref_cpu is not None and cnn_cpu <= ref_cpu / 5,
            f"{_fmt(cnn_cpu)} vs {_fmt(ref_cpu)} CPU s"
            + (f" (ratio 1/{ref_cpu / cnn_cpu:.1f})" if cnn_cpu and ref_cpu else "")
            + f"; wall clock {_fmt(cnn_at)} s vs {_fmt(ref_at)} s"
            + (f" (ratio 1/{ref_at / cnn_at:.1f})" if cnn_at and ref_at else ""),
        ),
    ]
    # Today's reference: no target was set before it was measured, so it is reported, not judged,
    # at the bar of the targets and at 99.0%, which it reaches (keras.io: "~99% test accuracy").
    print()
    for bar in (BAR, 0.99):
        today_cpu, cnn_cpu = (run.seconds_to_reach(bar, cpu=True) for run in (today, cnn))
        if today_cpu is None:
            speed = f"never reached it in its {len(today.result.history['val_accuracy'])} epochs"
        else:
            speed = f"{_fmt(today_cpu)} CPU s against the course CNN's {_fmt(cnn_cpu)}"
            if cnn_cpu:
                speed += f" (ratio 1/{today_cpu / cnn_cpu:.1f})"
        print(f"The current keras.io convnet to {bar:.1%} validation accuracy: {speed}")
    print()
    for what, ok, measured in targets:
        print(f"{'PASS' if ok else 'FAIL'}  {what}: {measured}")
    return 0 if all(ok for _, ok, _ in targets) else 1


if __name__ == "__main__":
    sys.exit(main())
