"""The exported drawing page in a real browser: Debian's Chromium driven by playwright.

The shipped model is exported once (`digitlab export web`), served from 127.0.0.1 by the
handler `python -m http.server` uses, and drawn on with the mouse, with touch events on a
phone-sized screen, and through the page's test hook `window.digitlab.drawStrokes`, which
replays strokes through the same pen functions as the pointer handlers. Every request the
page makes is recorded: none may leave the served folder. Without chromium or playwright
these tests skip; without a cached ONNX Runtime Web they skip and say how to fetch it.
Screenshots and console logs go to artifacts/web/.
"""

from __future__ import annotations

import base64
import re
import shutil

import numpy as np
import pytest
from drawn_strokes import random_digits
from static_server import serve

from digitlab.config import PROJECT_DIR
from digitlab.preprocess import canvas_to_mnist
from digitlab.strokes import CANVAS_SIZE, ellipse, line
from digitlab.web.runtime import ORT_FILES, runtime_dir

pytestmark = pytest.mark.browser

ARTIFACTS = PROJECT_DIR / "artifacts" / "web"
ACTION_MS = 30_000  # upper bound of one wait; each returns as soon as its condition holds
N_DIGITS = 120
VERTICAL = line(140, 50, 140, 230)
RING = ellipse(140, 140, 55, 85)
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def site(chromium, tmp_path_factory):
    """The shipped model exported as a web page (ONNX Runtime Web from the cache)."""
    if not all((runtime_dir() / name).is_file() for name in ORT_FILES):
        pytest.skip(
            f"ONNX Runtime Web is not cached in {runtime_dir()}: run "
            "`python -m digitlab.web.runtime` (or `make data`) once with the npm registry reachable"
        )
    from digitlab.web import export_web

    shutil.rmtree(ARTIFACTS, ignore_errors=True)
    ARTIFACTS.mkdir(parents=True)
    return export_web(tmp_path_factory.mktemp("web") / "site")


@pytest.fixture(scope="module")
def url(site):
    with serve(site) as base:
        yield base


class Session:
    """A browser tab on the page, with every request and console message it made."""

    def __init__(self, context, url: str) -> None:
        self.requests: list[str] = []
        self.console: list[str] = []
        context.on("request", lambda request: self.requests.append(request.url))
        context.set_default_timeout(ACTION_MS)
        self.page = context.new_page()
        self.page.on("console", lambda m: self.console.append(f"{m.type}: {m.text}"))
        self.page.on("pageerror", lambda error: self.console.append(f"page error: {error}"))
        self.page.goto(url)
        self.page.wait_for_function("() => window.digitlab !== undefined")
        self.page.evaluate("() => window.digitlab.ready")

    def draw(self, strokes) -> dict:
        """Replay strokes through the page's pen; the reading shown once it is settled."""
        return self.page.evaluate("(s) => window.digitlab.drawStrokes(s)", strokes)

    def state(self) -> dict:
        self.page.evaluate("() => window.digitlab.settled()")
        return self.page.evaluate("() => window.digitlab.state()")

    def canvas_box(self) -> dict:
        return self.page.locator("#canvas").bounding_box()

    def bar_widths(self) -> list[float]:
        return self.page.eval_on_selector_all(
            "#bars .fill", "(fills) => fills.map((f) => parseFloat(f.style.width) || 0)"
        )

    def ink_pixels(self) -> int:
        return int(np.count_nonzero(self.pixels()[..., 3]))

    def pixels(self) -> np.ndarray:
        """The canvas as the page reads it: (280, 280, 4) uint8 RGBA."""
        data = base64.b64decode(self.page.evaluate("() => window.digitlab.pixels()"))
        return np.frombuffer(data, np.uint8).reshape(CANVAS_SIZE, CANVAS_SIZE, 4)

    def save(self, name: str) -> None:
        self.page.screenshot(path=ARTIFACTS / f"{name}.png")
        (ARTIFACTS / f"{name}-console.log").write_text("\n".join(self.console))


@pytest.fixture
def desktop(browser, url):
    context = browser.new_context(viewport={"width": 1000, "height": 800})
    session = Session(context, url)
    try:
        yield session
    finally:
        session.save("desktop")
        context.close()
    assert_local(session.requests, url)


def assert_local(requests: list[str], url: str) -> None:
    """(c) every request went to the served folder (a data: favicon is not a request)."""
    outside = [r for r in requests if not r.startswith(url)]
    assert not outside, f"the page requested {outside} outside {url}"
    assert f"{url}model.onnx" in requests  # what was recorded is the real traffic


def mouse_stroke(page, box: dict, points) -> None:
    """Draw with the real mouse: press, move through the points, release."""
    scale = box["width"] / CANVAS_SIZE
    (x0, y0), *rest = points
    page.mouse.move(box["x"] + x0 * scale, box["y"] + y0 * scale)
    page.mouse.down()
    for x, y in rest:
        page.mouse.move(box["x"] + x * scale, box["y"] + y * scale)
    page.mouse.up()


def test_mouse_drawing_updates_label_bars_preview_and_clears(desktop):
    from playwright.sync_api import expect

    page, label = desktop.page, desktop.page.locator("#label")
    expect(label).to_have_text("Draw a digit")
    mouse_stroke(page, desktop.canvas_box(), VERTICAL)
    expect(label).to_have_text("Prediction: 1")
    state = desktop.state()
    widths = desktop.bar_widths()
    assert widths[1] > 90 and sum(widths) == pytest.approx(100, abs=1)
    assert np.asarray(state["image28"]).reshape(28, 28)[:, 12:16].max() == 1.0  # a "1" at centre
    page.locator("#clear").click()
    expect(label).to_have_text("Draw a digit")
    assert desktop.bar_widths() == [0] * 10 and desktop.ink_pixels() == 0

    mouse_stroke(page, desktop.canvas_box(), RING)
    expect(label).to_have_text("Prediction: 0")
    assert desktop.bar_widths()[0] > 90
    page.keyboard.press("Space")
    expect(label).to_have_text("Draw a digit")
    assert desktop.ink_pixels() == 0 and desktop.state()["image28"] is None

    mouse_stroke(page, desktop.canvas_box(), line(140, 130, 140, 150))  # 40 px < 0.25 x 280
    expect(label).to_have_text("Draw a bigger digit")
    assert desktop.bar_widths() == [0] * 10
    page.keyboard.press("Space")


def test_prediction_is_live_while_the_button_is_down(desktop):
    """Readings come during the stroke (throttled), not only when the pen lifts."""
    from playwright.sync_api import expect

    page, box = desktop.page, desktop.canvas_box()
    throttle_s = page.evaluate("() => window.digitlab.config.throttleMs") / 1000
    (x0, y0), *rest = VERTICAL
    page.mouse.move(box["x"] + x0, box["y"] + y0)
    page.mouse.down()
    for x, y in rest:
        page.mouse.move(box["x"] + x, box["y"] + y)
    page.wait_for_timeout(2000 * throttle_s)  # past the throttle window: the next move reads
    page.mouse.move(box["x"] + 141, box["y"] + rest[-1][1])
    expect(page.locator("#label")).to_have_text("Prediction: 1")
    assert page.evaluate("() => window.digitlab.timings.length") == 0  # no stroke has ended
    page.mouse.up()


def test_touch_drawing_on_a_phone_sized_screen(browser, url):
    from playwright.sync_api import expect

    context = browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True)
    session = Session(context, url)
    try:
        page = session.page
        assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
        box = session.canvas_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
        cdp = context.new_cdp_session(page)
        scale = box["width"] / CANVAS_SIZE

        def touch(kind: str, points) -> None:
            cdp.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": [
                {"x": box["x"] + x * scale, "y": box["y"] + y * scale} for x, y in points]})

        touch_action = "() => getComputedStyle(document.getElementById('canvas')).touchAction"
        assert page.evaluate(touch_action) == "none"  # a finger draws, the page stays put
        scroll = page.evaluate("() => window.scrollY")
        first, *rest = VERTICAL
        touch("touchStart", [first])
        for point in rest:
            touch("touchMove", [point])
        touch("touchEnd", [])
        expect(page.locator("#label")).to_have_text("Prediction: 1")
        assert page.evaluate("() => window.scrollY") == scroll  # drawing did not scroll
        assert session.page.evaluate("() => window.digitlab.strokes().length") == 1
        page.locator("#clear").tap()
        expect(page.locator("#label")).to_have_text("Draw a digit")
        session.save("phone")
    finally:
        context.close()
    assert_local(session.requests, url)


def test_page_and_drawing_pad_agree_on_drawn_digits(desktop, shipped_predictor):
    from digitlab.widget import DrawingPad

    pad = DrawingPad(shipped_predictor, predict_interval=3600)  # reads when a stroke ends
    digits = random_digits(N_DIGITS, seed=0)
    page_texts, pad_texts, differences = [], [], []
    for i, (_, strokes) in enumerate(digits):
        desktop.page.evaluate("() => window.digitlab.clear()")
        shown = desktop.draw(strokes)
        pad.clear()
        for stroke in strokes:
            pad.draw_stroke(stroke)
        page_texts.append(shown["text"])
        pad_texts.append(pad.label_text)
        image28 = np.asarray(shown["image28"]).reshape(28, 28)
        differences.append(np.abs(image28 - pad.preview).mean())
        if i < 5:  # same pixels in, same 28x28 out: the page's JS is canvas_to_mnist
            python = canvas_to_mnist(desktop.pixels())
            np.testing.assert_allclose(shown["image28"], python.ravel(), atol=1e-5)
    agree = np.mean(np.array(page_texts) == np.array(pad_texts))
    disagreements = [(p, q) for p, q in zip(page_texts, pad_texts, strict=True) if p != q]
    assert agree >= 0.99, f"page and pad agree on {agree:.1%}; (page, pad): {disagreements}"
    assert np.mean(differences) <= 0.02, f"mean |page - pad| per pixel {np.mean(differences):.4f}"
    assert len(set(pad_texts)) >= 8  # the set is varied: most digits are read as themselves


def test_file_url_says_to_serve_the_folder(browser, site):
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(site.resolve().as_uri() + "/index.html")
        assert page.locator(".pad").inner_html() == ""  # no module ran: no pad to draw on
        english, chinese = page.locator("#error").text_content().splitlines()
        assert english.startswith("This page must be served over http")
        assert chinese.startswith("这个网页需要通过 http 打开")  # for either reader
        assert english.endswith("http://localhost:8000/") and "python -m http.server" in chinese
    finally:
        context.close()


def test_a_chinese_browser_gets_the_chinese_page_and_the_switch_is_remembered(browser, url):
    from playwright.sync_api import expect

    context = browser.new_context(locale="zh-CN")
    session = Session(context, url)
    page, label = session.page, session.page.locator("#label")
    try:
        expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
        expect(label).to_have_text("请写一个数字")
        assert session.draw([VERTICAL])["text"] == "预测：1"
        expect(page.locator("#clear")).to_have_text("清除")
        expect(page.locator(".seen")).to_have_text("模型看到的图像：")
        expect(page.locator("#bars li").nth(1)).to_have_attribute("title", "1 的概率")
        expect(page.locator("footer")).to_contain_text("ONNX Runtime Web 在你的浏览器里运行")
        page.check("#collect-on")
        expect(page.locator("#collect-prompt")).to_contain_text("请写一个 ")
        expect(page.locator("#collect-save")).to_have_text("保存（Enter）")
        page.evaluate("() => { window.notReloaded = true; }")
        page.click("nav.languages button[lang=en]")
        expect(label).to_have_text("Prediction: 1")  # the reading stays, in English
        expect(page.locator("#collect-prompt")).to_have_text(re.compile(r"^Draw an? \d$"))
        expect(page.locator("#collect-save")).to_have_text("Save (Enter)")
        expect(page.locator("html")).to_have_attribute("lang", "en")
        assert page.title() == "digitlab: draw a digit"
        assert page.evaluate("() => [window.notReloaded, window.digitlab.state().text]") == [
            True, "Prediction: 1"]
        page.reload()
        page.evaluate("() => window.digitlab.ready")
        expect(label).to_have_text("Draw a digit")  # the choice outlives the visit
        expect(page.locator("nav.languages button[lang=en]")).to_have_attribute(
            "aria-pressed", "true")
    finally:
        context.close()
    assert_local(session.requests, url)
