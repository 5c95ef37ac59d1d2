"""Where things live and how much work to do: paths, the data cache and fast mode.

The only module that reads the environment. Introduced in lesson 01 (data); every
lesson's parameters cell calls `fast_mode()`.
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent
PRETRAINED_DIR = PACKAGE_DIR / "pretrained"

DATA_ENV = "DIGITLAB_DATA"
FAST_ENV = "DIGITLAB_FAST"


def data_dir(path: str | os.PathLike[str] | None = None) -> Path:
    """The MNIST cache folder: `path` if given, else `$DIGITLAB_DATA`, else `data/mnist`.

    Lesson 01.
    """
    if path is not None:
        return Path(path).expanduser()
    env = os.environ.get(DATA_ENV)
    if env:
        return Path(env).expanduser()
    return PROJECT_DIR / "data" / "mnist"


def fast_mode() -> bool:
    """True when `DIGITLAB_FAST` is set to 1/true/yes/on. Lesson 01.

    Only the notebooks' parameters cells call it (`FAST = fast_mode()`), to shrink their
    training for CI where the reader sees it; library functions never do.
    """
    return os.environ.get(FAST_ENV, "").strip().lower() in {"1", "true", "yes", "on"}

