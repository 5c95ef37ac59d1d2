"""Saving and loading models as `.keras` files, with a record of how each was trained.

Introduced in lesson 05 (save, load and your images). Loading always uses Keras safe mode:
a model file cannot run arbitrary code, and a file is checked before Keras parses it (its
config's size) and after (its shapes). Which model the lessons study is decided in
`digitlab.lesson_model`.
"""

from __future__ import annotations

import datetime
import json
import os
import re
import zipfile
from collections.abc import Mapping
from pathlib import Path

import keras
import numpy as np

from digitlab.atomic import atomic_path, atomic_write_bytes, check_writable
from digitlab.config import INPUT_SHAPE, N_CLASSES
from digitlab.config import PRETRAINED_PATH as PRETRAINED_PATH  # lesson 05 imports it from here
from digitlab.paths import check_record_replaceable, info_path, regular_file

MAX_CONFIG_BYTES = 4 * 1024 * 1024  # a .keras file's config.json: a few KB for the course's
# models; a bigger one is refused before Keras parses it (a small zip can inflate to GBs)
MAX_RECORD_BYTES = 1024 * 1024  # the `.json` record beside a model: a few hundred bytes


class ModelFileError(ValueError):
    """A model file is corrupt, not a Keras model, or not an MNIST digit classifier.

    Lesson 05 shows the message for a model that would run code on loading.
    """


def save_model(
    model: keras.Model, path: str | os.PathLike[str], *, info: Mapping | None = None
) -> Path:
    """Save `model`'s architecture and weights to a `.keras` file, atomically. Lesson 03.

    The optimizer's state is left out: the course never resumes a training run, and the
    file stays a third of the size. With `info` (how it was trained and how it scored,
    e.g. seed, epochs, test accuracy), a sidecar `<name>.json` is written beside the model
    with that and the date it was saved; `read_model_info` reads it back (saved without
    `info`, an older sidecar is removed). A model whose weights hold NaN or infinity raises
    ModelFileError before anything is written, so a good file is never replaced by a broken one.
    """
    path = Path(path)
    if path.suffix != ".keras":
        raise ValueError(f"{path}: a model file must end in .keras (the Keras 3 format)")
    check_writable(path)
    check_record_replaceable(path)  # a user's <name>.json is never replaced or deleted
    broken = non_finite_weights(model)
    if broken:
        raise ModelFileError(f"{path}: not saved: {broken}")
    inference = type(model).from_config(model.get_config())  # Functional or Sequential
    inference.set_weights(model.get_weights())
    record = None
    if info is not None:  # made first: a record that is not JSON must not cost the model
        saved = datetime.datetime.now().astimezone().isoformat(timespec="seconds")
        try:
            record = json.dumps({**info, "saved": saved}, indent=2).encode() + b"\n"
        except TypeError as exc:
            raise TypeError(f"{path}: not saved: info must hold JSON values ({exc})") from exc
    with atomic_path(path) as tmp:
        inference.save(tmp)
    if record is not None:
        atomic_write_bytes(info_path(path), record)
    else:  # a record of the model this file replaced would now be wrong
        info_path(path).unlink(missing_ok=True)
    return path


def non_finite_weights(model: keras.Model) -> str | None:
    """None if every weight of `model` is finite, else a sentence naming the broken ones."""
    broken = [w.path for w in model.weights if not np.isfinite(keras.ops.convert_to_numpy(w)).all()]
    if not broken:
        return None
    more = ", ..." if len(broken) > 3 else ""
    return (
        f"the model's weights contain NaN or infinity (in {', '.join(broken[:3])}{more}), "
        "as when training diverges; retrain it, e.g. with a lower learning rate"
    )


def read_model_info(path: str | os.PathLike[str]) -> dict | None:
    """What `save_model(..., info=...)` recorded beside the model at `path`, or None.

    Raises ModelFileError when the sidecar exists but is not a small JSON object. Lesson 05.
    """
    sidecar = info_path(path)
    if not sidecar.is_file():
        return None
    unreadable = f"{sidecar}: not a readable model record"
    try:
        with open(sidecar, "rb") as file:
            text = file.read(MAX_RECORD_BYTES + 1)
    except OSError as exc:
        raise ModelFileError(f"{unreadable} ({exc.strerror or exc})") from exc
    if len(text) > MAX_RECORD_BYTES:
        raise ModelFileError(f"{unreadable}: larger than {MAX_RECORD_BYTES // 1024} KB")
    try:
        record = json.loads(text.decode("utf-8"))
    except RecursionError:  # "[[[[...": nested deeper than Python's parser goes
        raise ModelFileError(f"{unreadable}: nested too deeply") from None
    except ValueError as exc:  # not UTF-8, not JSON
        raise ModelFileError(f"{unreadable} ({exc})") from exc
    if not isinstance(record, dict):
        raise ModelFileError(f"{sidecar}: expected a JSON object describing the model")
    return record


def load_model(path: str | os.PathLike[str]) -> keras.Model:
    """Load a `.keras` digit classifier in safe mode and check its input and output shapes.

    A missing file raises FileNotFoundError; a corrupt file, another format, or a model that
    does not map (28, 28, 1) images to 10 probabilities raises ModelFileError naming the
    file. Lesson 05 (save, load and your images).
    """
    path = regular_file(path, "model file", missing_hint="train one with `digitlab train`")
    if not zipfile.is_zipfile(path):
        raise ModelFileError(f"{path}: not a .keras model file (a .keras file is a zip archive)")
    _check_config_size(path)
    try:
        model = keras.saving.load_model(path, safe_mode=True, compile=False)
    except Exception as exc:  # Keras raises many types for a bad archive; say which file
        raise ModelFileError(f"{path}: cannot load this Keras model: {_load_problem(exc)}") from exc
    check_digit_model(model, path)
    return model


def _check_config_size(path: Path) -> None:
    """Refuse a `.keras` zip whose config.json inflates past `MAX_CONFIG_BYTES`, cheaply.

    At most that many bytes are decompressed, whatever sizes the zip's headers claim.
    """
    try:
        with zipfile.ZipFile(path) as archive, archive.open("config.json") as config:
            size = len(config.read(MAX_CONFIG_BYTES + 1))
    except KeyError:
        return  # no config.json: Keras says what is missing
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as exc:
        raise ModelFileError(f"{path}: not a readable .keras model file ({exc})") from exc
    if size > MAX_CONFIG_BYTES:
        raise ModelFileError(
            f"{path}: not loaded: its config.json is larger than "
            f"{MAX_CONFIG_BYTES // (1024 * 1024)} MB (a digit model's is a few KB)"
        )


def _load_problem(exc: Exception) -> str:
    """Keras's reason for refusing a file, in one short sentence (the full text is chained)."""
    text = str(exc)
    custom = re.search(r"[Cc]ould not (?:locate|deserialize) class '([\w.]+)'", text)
    if custom:
        return (
            f"it uses the custom class '{custom[1]}', and digitlab loads only built-in Keras "
            "layers (safe mode)"
        )
    if "lambda" in text.lower() and "safe_mode" in text:
        return "it contains a Lambda layer (Python code), which safe mode refuses to load"
    first = text.strip().splitlines()[0] if text.strip() else type(exc).__name__
    first = first if len(first) <= 160 else first[:157] + "..."
    return f"the file is damaged or not a model this Keras can read ({first})"


def check_digit_model(model: keras.Model, source: object = None) -> None:
    """Raise ModelFileError unless `model` maps (None, 28, 28, 1) images to (None, 10).

    The one shape check for every model digitlab is given (loaded, predicted with, exported);
    the message starts with `source` (e.g. the file) when given.
    """
    where = "" if source is None else f"{source}: "
    inputs = [tuple(t.shape) for t in model.inputs]
    outputs = [tuple(t.shape) for t in model.outputs]
    if inputs != [(None, *INPUT_SHAPE)]:
        takes = ", ".join(str(shape[1:]) for shape in inputs)
        raise ModelFileError(f"{where}the model must take {INPUT_SHAPE} images, as "
                             f"keras.Input({INPUT_SHAPE}); this one takes {takes}")
    if outputs != [(None, N_CLASSES)]:
        gives = ", ".join(str(shape[1:]) for shape in outputs)
        raise ModelFileError(f"{where}the model must end in a softmax over {N_CLASSES} digits; "
                             f"it returns shape {gives}")


def load_pretrained() -> keras.Model:
    """The course model shipped inside the package. Lessons 05 and 06."""
    return load_model(PRETRAINED_PATH)
