"""The page's collect mode writes the format `load_drawings` reads: drawings.js run by node."""

from __future__ import annotations

import numpy as np
from drawn_strokes import random_digits
from page_js import run_page_module

from digitlab.data.drawings import load_drawings, replay
from digitlab.preprocess import canvas_to_mnist


def _node(script: str, payload: object) -> object:
    return run_page_module("drawings.js", "d", script, payload)


READ_STDIN = """
let input = "";
process.stdin.on("data", (chunk) => (input += chunk));
process.stdin.on("end", () => process.stdout.write(JSON.stringify(run(JSON.parse(input)))));
"""


def test_a_page_download_loads_with_the_same_labels_and_images(tmp_path):
    digits = random_digits(12, seed=3)
    payload = [{"label": label, "strokes": strokes,
                "times": [[10 * i for i in range(len(s))] for s in strokes]}
               for label, strokes in digits]
    jsonl = _node("""
        function run(drawings) {
          return d.toJsonl(drawings.map(({ label, strokes, times }) => d.makeRecord({
            label, strokes, times, writer: "page-user", canvasSize: 280, penWidth: 20 })));
        }""" + READ_STDIN, payload)
    (tmp_path / "page-user.jsonl").write_text(jsonl)
    drawings = load_drawings(tmp_path)
    assert drawings.problems == []
    assert drawings.labels.tolist() == [label for label, _ in digits]
    assert set(drawings.writers.tolist()) == {"page-user"}
    for i, (_, strokes) in enumerate(digits):
        loaded = drawings.strokes[i]
        assert [width for width, _ in loaded] == [20.0] * len(strokes)
        for (_, points), stroke in zip(loaded, strokes, strict=True):
            np.testing.assert_allclose([p[:2] for p in points], stroke, atol=0.005)
            assert [p[2] for p in points] == [10.0 * k for k in range(len(stroke))]
        expected = canvas_to_mnist(replay([(20.0, [(x, y, 0) for x, y in s]) for s in strokes]))
        assert np.abs(drawings.images[i] - expected).mean() < 0.005  # 0.01 px rounding only


def test_the_page_refuses_what_python_refuses():
    messages = _node("""
        function run(cases) {
          return cases.map((c) => {
            try { d.makeRecord({ strokes: [[[1, 2]]], times: [[0]], canvasSize: 280,
                                 penWidth: 20, ...c }); return "ok"; }
            catch (error) { return error.message; }
          });
        }""" + READ_STDIN, [{"label": 10, "writer": "ada"}, {"label": 3, "writer": "../x"},
                            {"label": 3, "writer": "ada", "strokes": []}])
    assert messages == [
        "a label is a digit from 0 to 9, got 10",
        'a writer id is 1-40 letters, digits, \'_\' or \'-\' (starting with a letter or digit), '
        'got "../x"',
        "the drawing is empty: draw the digit before saving",
    ]


def test_prompts_come_in_balanced_rounds_and_skip_another_digit():
    order = _node("""
        function run(n) {
          const counts = new Array(10).fill(0), order = [];
          for (let i = 0; i < n; i++) { const k = d.nextDigit(counts); counts[k]++; order.push(k); }
          const skipped = Array.from({ length: 50 }, () => d.nextDigit(new Array(10).fill(0),
                                                                     Math.random, 4));
          return { order, skippedFour: skipped.includes(4) };
        }""" + READ_STDIN, 30)
    rounds = [sorted(order["order"][i:i + 10]) for i in (0, 10, 20)]
    assert rounds == [list(range(10))] * 3
    assert order["skippedFour"] is False
