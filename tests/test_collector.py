"""The digit collector, driven from Python and through ipycanvas's event handler (no browser)."""

from __future__ import annotations

import numpy as np
import pytest
from fake_models import fixed_predictor

from digitlab.collector import DigitCollector, StrokeTimes, next_digit
from digitlab.data.drawings import DrawingError, load_drawings, replay
from digitlab.strokes import line

SEVEN = line(80, 60, 200, 60) + line(200, 60, 120, 230)[1:]


@pytest.fixture(scope="module")
def predictor():
    return fixed_predictor(7, 0.9)


class FakeClock:
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        self.now += 0.016  # one mouse event per frame
        return self.now


def _collector(folder, predictor, **kwargs):
    return DigitCollector(folder, kwargs.pop("writer", "ada"), predictor, seed=0,
                          clock=FakeClock(), **kwargs)


def _send(collector, event, **content):
    """A browser event as ipycanvas 0.14 delivers it to the canvas."""
    from ipycanvas import Canvas

    from digitlab.collector import _find

    _find(collector.pad, Canvas)._handle_frontend_event(None, {"event": event, **content}, [])


def _draw_with_mouse(collector, points):
    (x, y), *rest = points
    _send(collector, "mouse_down", x=x, y=y)
    for x, y in rest:
        _send(collector, "mouse_move", x=x, y=y)
    _send(collector, "mouse_up", x=x, y=y)


def _key(collector, key):
    _send(collector, "key_down", key=key, shift_key=False, ctrl_key=False, meta_key=False)


def test_next_digit_gives_shuffled_balanced_rounds():
    rng = np.random.default_rng(1)
    counts = np.zeros(10, int)
    order = []
    for _ in range(30):
        digit = next_digit(counts, rng)
        counts[digit] += 1
        order.append(digit)
    assert [sorted(order[i:i + 10]) for i in (0, 10, 20)] == [list(range(10))] * 3
    assert order[:10] != list(range(10)) and order[:10] != order[10:20]


def test_next_digit_never_repeats_a_skipped_digit():
    rng = np.random.default_rng(0)
    counts = np.array([5, 5, 5, 4, 5, 5, 5, 5, 5, 5])
    assert next_digit(counts, rng) == 3
    assert {next_digit(counts, rng, avoid=3) for _ in range(50)} == set(range(10)) - {3}


def test_stroke_times_follow_the_clock_and_keep_widths():
    times = StrokeTimes()
    strokes = [[(1.0, 2.0)]]
    times.update(strokes, 12, now=10.0)
    strokes[0].append((3.0, 4.0))
    times.update(strokes, 30, now=10.25)
    strokes.append([(5.0, 6.0)])
    times.update(strokes, 30, now=11.0)
    assert times.timed(strokes) == [
        (12.0, [(1.0, 2.0, 0.0), (3.0, 4.0, 250.0)]),
        (30.0, [(5.0, 6.0, 1000.0)]),
    ]


def test_enter_saves_the_prompted_digit_and_asks_for_the_next(tmp_path, predictor):
    collector = _collector(tmp_path, predictor)
    prompts = []
    for _ in range(20):
        prompts.append(collector.prompt)
        article = "an" if collector.prompt == 8 else "a"
        assert collector.prompt_text == f"Draw {article} {collector.prompt}"
        _draw_with_mouse(collector, SEVEN)
        _key(collector, "Enter")
        assert collector.pad.strokes == []  # ready for the next drawing, no click needed
    assert collector.counts.tolist() == [2] * 10
    drawings = load_drawings(tmp_path)
    assert drawings.problems == []
    assert drawings.labels.tolist() == prompts
    assert set(drawings.writers.tolist()) == {"ada"}
    points = drawings.strokes[0][0][1]
    assert [p[:2] for p in points] == [pytest.approx(p, abs=0.005) for p in SEVEN]  # 0.01 px
    times = [p[2] for p in points]
    assert times[0] == 0 and times == sorted(times) and times[-1] > 0


def test_a_saved_drawing_replays_to_the_pads_own_image(tmp_path, predictor):
    collector = _collector(tmp_path, predictor)
    collector.pad.draw_stroke(SEVEN)
    collector.pad.draw_stroke([(60, 150), (220, 150)])
    image = collector.pad.image()
    collector.save()
    drawings = load_drawings(tmp_path)
    np.testing.assert_array_equal(replay(drawings.strokes[0]), image)


def test_empty_and_tiny_drawings_are_not_saved_and_say_why(tmp_path, predictor):
    collector = _collector(tmp_path, predictor)
    prompt = collector.prompt
    _key(collector, "Enter")
    assert collector.status_text == "the drawing is empty: draw the digit before saving"
    collector.pad.draw_stroke([(100, 100)])
    collector.save()
    assert "too small to be a digit" in collector.status_text
    assert collector.pad.strokes == [[(100.0, 100.0)]]  # kept, to be finished
    assert collector.prompt == prompt and not collector.counts.any()
    assert not list(tmp_path.iterdir())


def test_space_clears_and_skip_asks_for_another_digit(tmp_path, predictor):
    collector = _collector(tmp_path, predictor)
    _draw_with_mouse(collector, SEVEN)
    _key(collector, " ")
    assert collector.pad.strokes == []
    first = collector.prompt
    collector.skip()
    assert collector.prompt != first and collector.status_text == "Skipped."
    assert not list(tmp_path.iterdir())


def test_undo_takes_back_the_last_save_only(tmp_path, predictor):
    collector = _collector(tmp_path, predictor)
    labels = []
    for _ in range(3):
        labels.append(collector.prompt)
        collector.pad.draw_stroke(SEVEN)
        collector.save()
    collector.undo()
    assert collector.prompt == labels[-1]  # asked again
    assert collector.status_text == f"Took back your last {labels[-1]}."
    assert load_drawings(tmp_path).labels.tolist() == labels[:2]
    assert collector.counts.sum() == 2
    collector.undo()
    collector.undo()
    collector.undo()
    assert collector.status_text.startswith("Nothing to undo")
    assert len(load_drawings(tmp_path)) == 0


def test_counts_resume_after_a_restart(tmp_path, predictor):
    collector = _collector(tmp_path, predictor, writer=None)
    for _ in range(13):
        collector.pad.draw_stroke(SEVEN)
        collector.save()
    again = _collector(tmp_path, predictor, writer=None)
    assert again.writer == collector.writer and again.writer.startswith("anon-")
    np.testing.assert_array_equal(again.counts, collector.counts)
    assert again.counts[again.prompt] == 1  # the round goes on with the digits still missing
    _collector(tmp_path, predictor, writer="bob")
    bob = _collector(tmp_path, predictor, writer="bob")
    assert not bob.counts.any()
    bob.pad.draw_stroke(SEVEN)
    bob.save()
    with pytest.raises(DrawingError, match="holds the drawings of 2 writers"):
        _collector(tmp_path, predictor, writer=None)


def test_the_guess_can_be_hidden(tmp_path, predictor):
    shown = _collector(tmp_path, predictor)
    hidden = _collector(tmp_path, predictor, show_guess=False)
    assert shown.pad.children[1].layout.display is None
    assert hidden.pad.children[1].layout.display == "none"
    hidden.pad.draw_stroke(SEVEN)
    assert hidden.pad.label_text == "Prediction: 7"  # still computed, just not shown


def test_a_failed_write_is_shown_and_the_drawing_kept(tmp_path, predictor):
    collector = _collector(tmp_path / "file", predictor)
    (tmp_path / "file").write_text("a file where the folder should be")
    collector.pad.draw_stroke(SEVEN)
    _key(collector, "Enter")
    assert collector.status_text.startswith(("FileExistsError", "NotADirectoryError"))
    assert len(collector.pad.strokes) == 1 and not collector.counts.any()


def test_bad_writer_is_refused_before_anything_is_written(tmp_path, predictor):
    with pytest.raises(DrawingError, match="writer id"):
        _collector(tmp_path, predictor, writer="../../etc")
    assert not list(tmp_path.iterdir())


@pytest.fixture
def chinese():
    """The library set to Chinese for one test, as a Chinese lesson's parameters cell does."""
    from digitlab.i18n import set_language

    set_language("zh")
    yield
    set_language("en")


def test_the_collector_in_chinese_prompts_buttons_and_messages(tmp_path, predictor, chinese):
    import ipywidgets as widgets

    collector = _collector(tmp_path, predictor)
    assert collector.prompt_text == f"请写一个 {collector.prompt}"
    assert f"请写一个 {collector.prompt}" in collector._prompt.value
    buttons = [w.description for w in collector.children[1].children
               if isinstance(w, widgets.Button)]
    assert buttons == ["保存（Enter）", "跳过", "撤销上次保存"]
    assert collector.status_text.startswith("保存到 ") and "书写者：ada" in collector.status_text
    assert "各数字已保存：" in collector._counts.value and "合计" in collector._counts.value
    assert collector.pad.label_text == "请写一个数字"
    collector.save()
    assert collector.status_text == "还没有写数字：请先写数字，再保存。"
    collector.pad.draw_stroke([(100, 100)])
    collector.save()
    assert collector.status_text.startswith("未保存，请把数字写大一些。")
    collector.pad.clear()
    collector.pad.draw_stroke(SEVEN)
    asked = collector.prompt
    collector.save()
    assert collector.status_text == f"已保存你写的 {asked}。"
    collector.skip()
    assert collector.status_text == "已跳过。"
    collector.undo()
    assert collector.status_text == f"已撤销你上次保存的 {asked}。"
    collector.undo()
    assert collector.status_text.startswith("没有可撤销的")

