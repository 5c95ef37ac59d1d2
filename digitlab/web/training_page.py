"""The training page's data and settings, written by `digitlab export web` (lesson 09).

Beside the drawing page the export writes `train.html`, where a learner trains the dense
baseline or the course CNN with TensorFlow.js in the browser. This module writes what that
page needs besides its static files and TensorFlow.js (`digitlab.web.runtime`): a
training sample of MNIST (`mnist-sample.bin`: training and validation images from MNIST's
training split, never its test images) and `train-config.js`, the numbers the page shares
with digitlab (sample sizes, batch size, learning rate).
"""

from __future__ import annotations

import json

import numpy as np

from digitlab.data import load_mnist, validation_split
from digitlab.data.mnist import Split
from digitlab.web.runtime import TFJS_VERSION

SAMPLE_FILE = "mnist-sample.bin"
N_SAMPLE_TRAIN = 12_000  # the slider's range: 500 to all of them
N_SAMPLE_VAL = 2_000
BATCH_SIZE = 128
LEARNING_RATE = 1e-3  # Adam's, constant, as lesson 02 compiles it
EPOCHS = 3
TRAINABLE = ("dense", "cnn")  # digitlab.models builders written in TF.js in models.js


def training_sample(
    n_train: int = N_SAMPLE_TRAIN, n_val: int = N_SAMPLE_VAL, seed: int = 0
) -> tuple[Split, Split]:
    """`(x_train, y_train), (x_val, y_val)`: the page's sample, uint8, from MNIST's training
    split only (stratified; the training part in random order, so any first n images are a
    random subset). Lesson 09."""
    (x, y), _ = load_mnist(n_train=n_train + n_val, n_test=1, seed=seed)
    (x_train, y_train), val = validation_split(x, y, n_val=n_val, seed=seed)
    order = np.random.default_rng(seed).permutation(len(y_train))
    return (x_train[order], y_train[order]), val


def sample_bytes(train: Split, val: Split) -> bytes:
    """The sample as the page reads it (data.js `decodeSample`): training images, training
    labels, validation images, validation labels, each uint8, one after the other."""
    parts = [train[0], train[1], val[0], val[1]]
    return b"".join(np.ascontiguousarray(part, dtype=np.uint8).tobytes() for part in parts)


def training_config(n_train: int, n_val: int) -> dict:
    """The numbers the training page shares with digitlab (train-config.js). Lesson 09."""
    return {
        "sampleFile": SAMPLE_FILE,
        "nTrain": n_train,
        "nVal": n_val,
        "batchSize": BATCH_SIZE,
        "learningRate": LEARNING_RATE,
        "epochs": EPOCHS,
        "models": list(TRAINABLE),
        "tfjsVersion": TFJS_VERSION,
    }


def training_files(seed: int = 0) -> dict[str, bytes]:
    """What `export_web` writes for the training page besides its static files and TF.js:
    the MNIST sample and train-config.js, by their names in the page. Lesson 09."""
    train, val = training_sample(seed=seed)
    config = json.dumps(training_config(len(train[1]), len(val[1])), indent=2)
    return {
        SAMPLE_FILE: sample_bytes(train, val),
        "train-config.js": (
            "// Written by `digitlab export web` from digitlab's Python constants: do not edit.\n"
            f"export const TRAINING = {config};\n"
        ).encode(),
    }
