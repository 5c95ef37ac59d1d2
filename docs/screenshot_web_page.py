"""Make docs/web_page.png (desktop) and docs/web_page_phone.png: the exported page with a
digit drawn on it, as shown in the README and lesson 08.

    python docs/screenshot_web_page.py

Exports the shipped model, serves it on 127.0.0.1 and draws a "2" with the mouse in
headless Chromium (needs chromium, playwright and a cached ONNX Runtime Web).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from digitlab.config import PROJECT_DIR
from digitlab.strokes import CANVAS_SIZE
from digitlab.web import export_web

sys.path.insert(0, str(PROJECT_DIR / "tests"))
from drawn_strokes import arc
from static_server import serve

from conftest import CHROMIUM_ARGS

TWO = [*arc(140, 95, 50, 45, -80, 120), (95, 225), (195, 225)]
SHOTS = {
    "web_page.png": {"viewport": {"width": 760, "height": 500}},
    "web_page_phone.png": {"viewport": {"width": 390, "height": 844}, "has_touch": True,
                           "is_mobile": True},
}


def main() -> int:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as scratch:
        site = export_web(Path(scratch) / "site")
        with serve(site) as url, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                                 args=CHROMIUM_ARGS)
            try:
                for name, options in SHOTS.items():
                    page = browser.new_context(**options).new_page()
                    page.goto(url)
                    page.wait_for_function("() => window.digitlab !== undefined")
                    page.evaluate("() => window.digitlab.ready")
                    box = page.locator("#canvas").bounding_box()
                    scale = box["width"] / CANVAS_SIZE
                    (x0, y0), *rest = TWO
                    page.mouse.move(box["x"] + x0 * scale, box["y"] + y0 * scale)
                    page.mouse.down()
                    for x, y in rest:
                        page.mouse.move(box["x"] + x * scale, box["y"] + y * scale, steps=4)
                    page.mouse.up()
                    page.evaluate("() => window.digitlab.settled()")
                    print(name, page.locator("#label").text_content())
                    page.screenshot(path=PROJECT_DIR / "docs" / name)
            finally:
                browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
