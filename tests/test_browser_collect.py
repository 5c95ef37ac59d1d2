# ruff: noqa: F811 - fixtures imported from test_browser are parameters by the same name
"""The digit collector in JupyterLab, driven with the mouse in headless Chromium: 12 digits
(a round of ten and two), a kernel restart mid-round, 5 more; all 17 saved, loaded, with the
labels that were asked for.

JupyterLab, the tab and the screenshots come from tests/test_browser.py's fixtures, the
screenshots and logs going to artifacts/browser-collect/ (beside test_browser's, which
empties its own folder: under `make test`'s two workers both run at once). The
collector's picture for the README (docs/collector.png) is left there as collector.png.
"""

from __future__ import annotations

import shutil

import nbformat
import pytest
from drawn_strokes import random_digits
from test_browser import (  # noqa: F401 - fixtures used by name
    ARTIFACTS,
    Lab,
    draw,
    lab,
    open_notebook,
    page,
    run_all_cells,
    settle,
    steps,
)

from digitlab.data.drawings import load_drawings

pytestmark = pytest.mark.browser

NOTEBOOK = "collect_test.ipynb"


@pytest.fixture(scope="module")
def artifacts():
    """artifacts/browser-collect/, emptied of an earlier run's; the lab's log goes there too."""
    folder = ARTIFACTS.parent / "browser-collect"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return folder

STROKES = {label: strokes for label, strokes in random_digits(40, seed=11)}


def _write_notebook(lab: Lab) -> None:
    cell = ('from digitlab.collector import DigitCollector\n\n'
            'collector = DigitCollector("my_digits", "mouse-test", show_guess=True)\n'
            'collector')
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(cell)])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                       "language": "python"}
    nbformat.write(notebook, lab.root / NOTEBOOK)


def _restart_kernel(lab: Lab) -> None:
    """Restart the notebook's kernel through the server's API, as Kernel > Restart does."""
    [kernel] = [s["kernel"] for s in lab.api("GET", "api/sessions") if s["path"] == NOTEBOOK]
    lab.api("POST", f"api/kernels/{kernel['id']}/restart")


def _collect(page, n: int, picture=None) -> list[int]:
    """Draw `n` prompted digits with the mouse, each kept with Enter; the prompts. With
    `picture`, a screenshot of the collector before the last Enter."""
    from playwright.sync_api import expect

    canvas = page.locator("canvas.digitlab-canvas")
    prompt = page.locator(".digitlab-prompt")
    status = page.locator(".digitlab-status")
    asked = []
    for _ in range(n):
        digit = int(prompt.inner_text().split()[-1])
        for stroke in STROKES[digit]:
            draw(page, canvas, [*stroke[::3], stroke[-1]])
        if picture and len(asked) == n - 1:
            settle(page, NOTEBOOK)
            page.locator(".digitlab-collector").screenshot(path=picture)
        canvas.focus()
        page.keyboard.press("Enter")
        settle(page, NOTEBOOK)
        expect(status).to_have_text(f"Saved your {digit}.")
        asked.append(digit)
    return asked


def test_collect_12_restart_collect_5_all_17_load(lab, page, steps, artifacts):
    from playwright.sync_api import expect

    _write_notebook(lab)
    with steps("collect-12"):
        open_notebook(page, lab, NOTEBOOK)
        run_all_cells(page, NOTEBOOK)
        expect(page.locator(".digitlab-collector")).to_have_count(1)
        asked = _collect(page, 12)
    with steps("restart-collect-5"):
        _restart_kernel(lab)
        # the page is opened afresh, as after a browser refresh: in a page that lived through
        # the restart, ipycanvas's new canvas view sometimes fails with "widget model not
        # found" (the widget manager still holds the old kernel's models)
        open_notebook(page, lab, NOTEBOOK)
        run_all_cells(page, NOTEBOOK)
        expect(page.locator(".digitlab-counts")).to_contain_text("total 12")
        asked += _collect(page, 5, picture=artifacts / "collector.png")
        expect(page.locator(".digitlab-counts")).to_contain_text("total 17")
    drawings = load_drawings(lab.root / "my_digits")
    assert drawings.problems == []
    assert len(drawings) == 17
    assert drawings.labels.tolist() == asked
    assert set(drawings.writers.tolist()) == {"mouse-test"}
    # balanced rounds: every digit once, then (the saved counts read again after the
    # restart) the second round asks for seven different digits, none a third time
    assert sorted(asked[:10]) == list(range(10))
    assert len(set(asked[10:])) == 7 and max(drawings.counts()["mouse-test"]) == 2
