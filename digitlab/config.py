"""Where things live, how much work to do, and the facts every layer shares.

The only module that reads the environment and the one that decides folders: the data
cache (`data_dir`), the lessons' own models (`models_dir`), the shipped models. Also the
shape of the problem (28x28 grey images, 10 digits) and the confidence threshold, so no
other module writes those numbers down. Introduced in lesson 01 (data); every lesson's
parameters cell calls `fast_mode()`.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

VERSION = "0.1.0"  # digitlab.__version__; pyproject.toml says the same (a test keeps them equal)

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent
PRETRAINED_DIR = PACKAGE_DIR / "pretrained"
PRETRAINED_PATH = PRETRAINED_DIR / "course_cnn.keras"
"""The shipped course model (trained by `digitlab train`, the command in the README)."""
MNIST_ONLY_PATH = PRETRAINED_DIR / "mnist_only_cnn.keras"
"""The model shipped before drawn digits: cnn_plus trained on MNIST only. Lesson 06 reads the
held-out drawn digits with it and with the shipped model (before/after)."""

IMAGE_SIDE = 28  # MNIST images are 28x28 pixels ...
INPUT_SHAPE = (IMAGE_SIDE, IMAGE_SIDE, 1)  # ... with one grey channel: what every model takes
N_CLASSES = 10  # the digits 0-9: what every model gives probabilities for
THRESHOLD = 0.5  # the lowest top probability that names a digit rather than "not sure"

DATA_ENV = "DIGITLAB_DATA"
FAST_ENV = "DIGITLAB_FAST"


def source_checkout(project_dir: Path | None = None) -> Path | None:
    """The project folder when digitlab runs from a source checkout, else None (installed).

    A checkout has, beside the package, a pyproject.toml naming digitlab and the lessons'
    `notebooks/` folder; an installed package (site-packages) has neither.
    """
    project_dir = PROJECT_DIR if project_dir is None else project_dir
    pyproject = project_dir / "pyproject.toml"
    if not (pyproject.is_file() and (project_dir / "notebooks").is_dir()):
        return None
    try:
        names_digitlab = 'name = "digitlab"' in pyproject.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    return project_dir if names_digitlab else None


def data_dir(path: str | os.PathLike[str] | None = None) -> Path:
    """The MNIST folder, like scikit-learn's `get_data_home`. Lesson 01 (data).

    `path` if given, else `$DIGITLAB_DATA`, else `data/mnist` in a source checkout, else
    the user's cache folder (`~/.cache/digitlab/mnist` on Linux, via platformdirs); never
    inside the installed package. An empty `path` raises ValueError.
    """
    if path is not None:
        if not str(path).strip():
            raise ValueError("the data folder is an empty string; give a folder name or omit it")
        return Path(path).expanduser()
    env = os.environ.get(DATA_ENV, "").strip()
    if env:
        return Path(env).expanduser()
    return cache_dir() / "mnist"


def cache_dir() -> Path:
    """Where digitlab keeps what it downloads: MNIST (`data_dir`), the web page's npm packages.

    `data/` in a source checkout, else the user's cache folder (`~/.cache/digitlab` on Linux,
    via platformdirs); never inside the installed package.
    """
    checkout = source_checkout()
    if checkout is not None:
        return checkout / "data"
    return Path(platformdirs.user_cache_dir("digitlab"))


def check_threshold(threshold: float) -> float:
    """`threshold` if it is a probability (0 to 1), else ValueError in one sentence."""
    if not 0.0 <= threshold <= 1.0:  # False for NaN too
        raise ValueError(f"threshold must be between 0 and 1, got {threshold}")
    return threshold


def models_dir(fast: bool = False) -> Path:
    """The folder where the lessons save the models they train (see `lesson_model_path`).

    In a source checkout `models/`; installed as a package, the user's data folder
    (`~/.local/share/digitlab/models` on Linux, via platformdirs), never site-packages.
    With `fast` a folder of its own (`build/fast/` in a checkout), so a quick CI run never
    replaces a fully trained model.
    """
    checkout = source_checkout()
    if checkout is not None:
        return checkout / ("build/fast" if fast else "models")
    return platformdirs.user_data_path("digitlab") / ("fast" if fast else "models")


def course_run_dir() -> Path:
    """Where `digitlab course run` writes the executed lessons by default.

    `build/course` in a source checkout, else `course` in the user's cache folder (beside
    the MNIST cache); never a path relative to whatever folder the command runs in.
    """
    checkout = source_checkout()
    if checkout is not None:
        return checkout / "build" / "course"
    return platformdirs.user_cache_path("digitlab") / "course"


def keras_cache_dir() -> Path:
    """Where Keras keeps its downloads (`keras.datasets.mnist.load_data()`), which digitlab
    reads MNIST from when it is there: `$KERAS_HOME/datasets`, else `~/.keras/datasets`."""
    home = os.environ.get("KERAS_HOME", "").strip()
    return (Path(home).expanduser() if home else Path.home() / ".keras") / "datasets"


def fast_mode() -> bool:
    """True when `DIGITLAB_FAST` is set to 1/true/yes/on. Lesson 01.

    Only the notebooks' parameters cells call it (`FAST = fast_mode()`), to shrink their
    training for CI where the reader sees it; library functions never do.
    """
    return os.environ.get(FAST_ENV, "").strip().lower() in {"1", "true", "yes", "on"}

