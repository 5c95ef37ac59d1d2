"""Collect mode on the exported page, in headless Chromium: 10 digits drawn with the mouse,
downloaded, and read by `load_drawings` with the same labels and the page's own 28x28s."""

from __future__ import annotations

import shutil

import numpy as np
import pytest
from drawn_strokes import random_digits
from static_server import serve
from test_web_page import mouse_stroke

from digitlab.data.drawings import load_drawings
from digitlab.web.export import PAGE_DIR
from digitlab.web.runtime import ORT_FILES, runtime_dir

pytestmark = pytest.mark.browser
COLLECT_FILES = ("collect.js", "drawings.js")


@pytest.fixture(scope="module")
def url(chromium, tmp_path_factory):
    if not all((runtime_dir() / name).is_file() for name in ORT_FILES):
        pytest.skip(f"ONNX Runtime Web is not cached in {runtime_dir()}: run `make data` once")
    from digitlab.web import export_web

    site = export_web(tmp_path_factory.mktemp("web") / "site")
    for name in COLLECT_FILES:  # until the export copies the whole page folder
        if not (site / name).exists():
            shutil.copyfile(PAGE_DIR / name, site / name)
    with serve(site) as base:
        yield base


def test_collect_ten_download_and_load_them(browser, url, tmp_path):
    context = browser.new_context(viewport={"width": 1000, "height": 900}, accept_downloads=True)
    page = context.new_page()
    page.goto(url)
    page.wait_for_function("() => window.digitlab && window.digitlab.collect")
    page.evaluate("() => window.digitlab.ready")
    page.check("#collect-on")
    page.fill("#collect-writer", "page-test")
    box = page.locator("#canvas").bounding_box()
    strokes_by_digit = {label: strokes for label, strokes in random_digits(40, seed=5)}
    prompts, seen, drawn = [], [], []
    for _ in range(10):
        prompt = page.evaluate("() => window.digitlab.collect.prompt()")
        for stroke in strokes_by_digit[prompt]:
            mouse_stroke(page, box, [*stroke[::2], stroke[-1]])
        page.evaluate("() => window.digitlab.settled()")
        seen.append(page.evaluate("() => window.digitlab.state().image28"))
        drawn.append(page.evaluate("() => window.digitlab.strokes()"))
        prompts.append(prompt)
        page.locator("#canvas").focus()
        page.keyboard.press("Enter")
        page.wait_for_function(f"() => window.digitlab.collect.records().length === {len(prompts)}")
    assert page.text_content("#collect-status").startswith("Saved your")
    with page.expect_download() as download:
        page.click("#collect-download")
    download.value.save_as(tmp_path / "page-test.jsonl")
    page.screenshot(path=tmp_path / "page.png")
    context.close()

    drawings = load_drawings(tmp_path)
    assert drawings.problems == []
    assert drawings.labels.tolist() == prompts
    assert set(drawings.writers.tolist()) == {"page-test"}
    times = [p[2] for p in drawings.strokes[0][0][1]]
    assert times == sorted(times) and times[-1] > 0  # the mouse took time
    for page_strokes, loaded in zip(drawn, drawings.strokes, strict=True):  # kept exactly
        assert len(page_strokes) == len(loaded)
        for points, (width, saved) in zip(page_strokes, loaded, strict=True):
            np.testing.assert_allclose([p[:2] for p in saved], points, atol=0.005)
            assert width == 20
    # The page paints with the browser's canvas, the pad with PIL; canvas_to_mnist then puts
    # the centre of mass on a whole pixel, so a hair of difference in the ink can flip that
    # rounding and move the whole digit by one pixel (seen: 2 drawings of 10, 0.054 and 0.074
    # as drawn, 0.007 and 0.009 once moved back), or change the ink's box by a pixel (one of
    # 10: 0.029). Judged as test_web_page judges page and pad, by the mean over the drawings,
    # up to that rounding:
    closest = []
    for image, page_image in zip(drawings.images, seen, strict=True):
        page_image = np.reshape(page_image, (28, 28))
        closest.append(min(np.abs(np.roll(page_image, (dy, dx), axis=(0, 1)) - image).mean()
                           for dy in (-1, 0, 1) for dx in (-1, 0, 1)))
    assert np.mean(closest) <= 0.02 and max(closest) <= 0.05, closest
