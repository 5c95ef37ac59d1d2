"""Shared fixtures: small fake MNIST folders the tests write themselves; headless Chromium."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

from digitlab.data import write_idx


def write_fake_mnist(folder, n_train=200, n_test=50, seed=0):
    """Write four small IDX files in MNIST's layout; return the arrays written."""
    rng = np.random.default_rng(seed)
    arrays = {}
    for prefix, n in (("train", n_train), ("t10k", n_test)):
        images = rng.integers(0, 256, size=(n, 28, 28), dtype=np.uint8)
        labels = (np.arange(n) % 10).astype(np.uint8)
        rng.shuffle(labels)
        write_idx(folder / f"{prefix}-images-idx3-ubyte", images)
        write_idx(folder / f"{prefix}-labels-idx1-ubyte", labels)
        arrays[prefix] = (images, labels)
    return arrays


@pytest.fixture
def fake_mnist(tmp_path):
    """A folder with a 200/50-image fake MNIST and the arrays in it."""
    return tmp_path, write_fake_mnist(tmp_path)


@pytest.fixture
def real_mnist():
    """The real MNIST from the cache; skips with the fix when it is not there."""
    from digitlab.data import MissingDataError, load_mnist

    try:
        return load_mnist()
    except MissingDataError as exc:
        pytest.skip(str(exc))


@pytest.fixture(autouse=True)
def _close_figures():
    """Every test ends with no matplotlib figure open (plotting tests make many)."""
    yield
    if "matplotlib.pyplot" in sys.modules:
        sys.modules["matplotlib.pyplot"].close("all")


@pytest.fixture(scope="session")
def sure_seven():
    """A predictor that is 82% sure every drawing is a 7 (tests/fake_models.py)."""
    from fake_models import fixed_predictor

    return fixed_predictor(7, 0.82)


@pytest.fixture(scope="session")
def unsure():
    """A predictor whose best guess (3, 30%) is below its threshold."""
    from fake_models import fixed_predictor

    return fixed_predictor(3, 0.3)


@pytest.fixture(scope="session")
def shipped_predictor():
    """A Predictor on the course model shipped in the package (it must be there)."""
    from digitlab.predict import Predictor

    return Predictor.load()


# -- headless Chromium for the browser tests (JupyterLab, the exported web page) ------------

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
BROWSER_ACTION_S = 30  # upper bound of one browser action; waits end as soon as they can


@pytest.fixture(scope="session")
def chromium() -> str:
    """Path of Debian's chromium; skips the browser tests when it or playwright is missing."""
    pytest.importorskip(
        "playwright.sync_api", reason="playwright not installed: run `pip install -e '.[dev]'`"
    )
    path = shutil.which("chromium") or "/usr/bin/chromium"
    if not os.access(path, os.X_OK):
        pytest.skip("chromium not installed: run scripts/install-system-packages")
    if is_snap(path):
        pytest.skip(f"{path} is Ubuntu's snap chromium, which playwright cannot drive from a "
                    "test; CI uses Debian's chromium (scripts/install-system-packages)")
    return path


def is_snap(path: str) -> bool:
    """True for a snap's command (/snap/bin/x links to /usr/bin/snap) or a script that runs one
    (Ubuntu's /usr/bin/chromium-browser)."""
    real = Path(path).resolve()
    if real.name == "snap" or Path(path).parts[:2] == ("/", "snap"):
        return True
    with open(real, "rb") as f:
        head = f.read(4096)
    return head.startswith(b"#!") and b"/snap/bin/" in head


@pytest.fixture(scope="session")
def browser(chromium):
    """Headless Chromium driven by playwright (never `playwright install`), always closed."""
    from playwright.sync_api import expect, sync_playwright

    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(
            executable_path=chromium, args=CHROMIUM_ARGS, timeout=BROWSER_ACTION_S * 1000
        )
        expect.set_options(timeout=BROWSER_ACTION_S * 1000)  # playwright's default is 5 s
        try:
            yield browser
        finally:
            browser.close()
    finally:
        playwright.stop()

