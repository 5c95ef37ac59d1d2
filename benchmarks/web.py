"""Benchmark: from the end of a stroke to the prediction shown, web page vs notebook pad.

The same drawn digits (tests/drawn_strokes.py: 0-9, varied size, slant and position) are
drawn on the exported web page in headless Chromium (through the page's pen functions, as
the pointer handlers call them) and on the notebook's DrawingPad (its mouse handlers, as
ipycanvas calls them). For each digit the strokes before the last are drawn and left to
settle; then the time from the end of the last stroke to its prediction on screen is taken:
on the page from the stroke's end to the label, bars and preview updated in the DOM
(performance.now()); in the pad from the mouse-up handler to the label, bars and preview
widgets updated in the kernel (sending them to the browser is not counted).

    python benchmarks/web.py [--digits 200] [--model PATH] [--site FOLDER]

Needs Debian's chromium, playwright and a cached ONNX Runtime Web (`python -m
digitlab.web.runtime`). Takes about a minute.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from digitlab.config import PROJECT_DIR
from digitlab.machine import describe_machine
from digitlab.predict import Predictor
from digitlab.web import export_web

sys.path.insert(0, str(PROJECT_DIR / "tests"))  # the drawn digits, the server, Chromium's flags
from drawn_strokes import random_digits
from static_server import serve

from conftest import CHROMIUM_ARGS


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--digits", type=int, default=200, help="drawn digits to time")
    parser.add_argument("--model", help="a saved .keras model (default: the shipped one)")
    parser.add_argument("--site", help="an exported page to use instead of exporting one")
    parser.add_argument("--seed", type=int, default=0)
    return parser.parse_args(argv)


def page_latencies(site: Path, digits) -> tuple[list[float], float]:
    """ms from the end of each digit's last stroke to its reading shown; and page load ms."""
    from playwright.sync_api import sync_playwright

    with serve(site) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                             args=CHROMIUM_ARGS, timeout=30_000)
        try:
            page = browser.new_page()
            started = time.perf_counter()
            page.goto(url)
            page.wait_for_function("() => window.digitlab !== undefined", timeout=30_000)
            page.evaluate("() => window.digitlab.ready")
            load_ms = (time.perf_counter() - started) * 1000
            times = []
            for _, strokes in digits:
                page.evaluate("() => window.digitlab.clear()")
                page.evaluate("(s) => window.digitlab.drawStrokes(s)", strokes[:-1])
                page.evaluate("(s) => window.digitlab.drawStrokes(s)", strokes[-1:])
                times.append(page.evaluate("() => window.digitlab.timings.at(-1)"))
        finally:
            browser.close()
    return times, load_ms


def pad_latencies(predictor: Predictor, digits) -> list[float]:
    """ms from DrawingPad's mouse-up of each digit's last stroke to its label updated."""
    from digitlab.widget import DrawingPad

    pad = DrawingPad(predictor)
    times = []
    for _, strokes in digits:
        pad.clear()
        for stroke in strokes[:-1]:
            pad.draw_stroke(stroke)
        (x, y), *rest = strokes[-1]
        pad._on_mouse_down(x, y)  # the handlers ipycanvas calls, as draw_stroke does
        for x, y in rest:
            pad._on_mouse_move(x, y)
        started = time.perf_counter()
        pad._on_mouse_up(x, y)  # ends the stroke: predicts and updates label, bars, preview
        times.append((time.perf_counter() - started) * 1000)
    return times


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    digits = random_digits(args.digits, seed=args.seed)
    before = describe_machine()
    with tempfile.TemporaryDirectory(prefix="digitlab-web-bench-") as scratch:
        site = Path(args.site) if args.site else export_web(Path(scratch) / "site", args.model)
        page, load_ms = page_latencies(site, digits)
    pad = pad_latencies(Predictor.load(args.model), digits)
    print(f"End of the last stroke -> prediction shown, ms, over {len(digits)} drawn digits")
    print(f"Machine before: {before}; after: {describe_machine()}")
    print(f"{'':<44}{'p50':>8}{'p95':>8}{'max':>8}")
    for name, times in [("web page (Chromium, ONNX Runtime Web wasm)", page),
                        ("notebook pad (kernel side, tf.function)", pad)]:
        p50, p95 = np.percentile(times, [50, 95])
        print(f"{name:<44}{p50:>8.2f}{p95:>8.2f}{max(times):>8.2f}")
    ratio = np.percentile(page, 50) / np.percentile(pad, 50)
    print(f"page p50 / pad p50: {ratio:.2f}; the page loaded and was ready in {load_ms:.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
