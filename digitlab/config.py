"""Where things live and how much work to do: paths, the data cache and fast mode.

The only module that reads the environment. Introduced in lesson 01 (data); every
lesson's parameters cell calls `fast_mode()`.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent
PRETRAINED_DIR = PACKAGE_DIR / "pretrained"

DATA_ENV = "DIGITLAB_DATA"
FAST_ENV = "DIGITLAB_FAST"


def source_checkout(project_dir: Path = PROJECT_DIR) -> Path | None:
    """The project folder when digitlab runs from a source checkout, else None (installed).

    A checkout has, beside the package, a pyproject.toml naming digitlab and the lessons'
    `notebooks/` folder; an installed package (site-packages) has neither.
    """
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


def fast_mode() -> bool:
    """True when `DIGITLAB_FAST` is set to 1/true/yes/on. Lesson 01.

    Only the notebooks' parameters cells call it (`FAST = fast_mode()`), to shrink their
    training for CI where the reader sees it; library functions never do.
    """
    return os.environ.get(FAST_ENV, "").strip().lower() in {"1", "true", "yes", "on"}

