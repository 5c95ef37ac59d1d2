"""The drawing pad and stroke rasterizer, driven from Python with synthetic strokes.

Browser events are replayed through ipycanvas's own message handler, with the payloads the
ipycanvas 0.14 front end sends, so the wiring is tested too; no browser is needed.
"""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from digitlab.preprocess import EmptyDrawingError
from digitlab.strokes import StrokeRaster, ellipse, line, rasterize

VERTICAL = line(140, 50, 140, 230)
RING = ellipse(140, 140, 55, 85)


# -- strokes ---------------------------------------------------------------------------


def test_rasterize_gives_white_ink_on_black_canvas():
    image = rasterize([VERTICAL], size=280, width=20)
    assert image.shape == (280, 280)
    assert image.dtype == np.uint8
    assert set(np.unique(image)) == {0, 255}
    assert image[140, 140] == 255
    assert image[140, 20] == 0


def test_single_point_stroke_is_a_round_dot_as_wide_as_the_pen():
    image = rasterize([[(100, 120)]], width=21)
    ys, xs = np.nonzero(image)
    assert xs.max() - xs.min() + 1 == pytest.approx(21, abs=1)
    assert ys.max() - ys.min() + 1 == pytest.approx(21, abs=1)
    assert len(xs) == pytest.approx(np.pi * 10.5**2, rel=0.15)  # a disc, not a square
    assert image[120, 100] == 255
    assert image[120 - 9, 100 - 9] == 0  # the square's corner stays black


def test_line_ends_are_rounded_caps():
    image = rasterize([line(140, 100, 140, 180)], width=20)
    assert image[100 - 8, 140] == 255  # ink past both ends, half a pen width
    assert image[180 + 8, 140] == 255
    assert image[100 - 8, 140 - 8] == 0  # but round: the corners are not inked
    assert image[100 - 12, 140] == 0


def test_wider_pen_lays_more_ink():
    ink = [np.count_nonzero(rasterize([VERTICAL], width=w)) for w in (5, 10, 20, 30)]
    assert ink == sorted(ink)
    assert ink[-1] > 4 * ink[0]


def test_incremental_painting_matches_rasterize():
    raster = StrokeRaster(280, 12)
    for stroke in (VERTICAL, RING, [(30, 30)]):
        raster.begin(*stroke[0])
        for x, y in stroke[1:]:
            raster.extend(x, y)
    expected = rasterize([VERTICAL, RING, [(30, 30)]], width=12)
    np.testing.assert_array_equal(raster.to_array(), expected)


def test_raster_clear_and_stroke_widths():
    raster = StrokeRaster(100, 6)
    raster.add_stroke([(10, 10), (50, 50)], width=15)
    raster.add_stroke([(80, 20)])
    assert [s.width for s in raster.strokes] == [15, 6]
    raster.clear()
    assert raster.strokes == []
    assert not raster.to_array().any()


def test_points_outside_the_canvas_are_clipped_not_errors():
    image = rasterize([line(-50, 10, 330, 10)], size=280, width=10)
    assert image.shape == (280, 280)
    assert image[10, 0] == 255 and image[10, 279] == 255


def test_shape_generators():
    pts = line(0, 0, 10, 20, n=11)
    assert len(pts) == 11
    assert pts[0] == (0, 0) and pts[-1] == (10, 20) and pts[5] == (5, 10)
    ring = ellipse(100, 100, 30, 50, n=32)
    assert len(ring) == 33
    assert ring[0] == pytest.approx(ring[-1])  # closed
    assert ring[0] == pytest.approx((100, 50))  # starts at the top
    radii = [((x - 100) / 30) ** 2 + ((y - 100) / 50) ** 2 for x, y in ring]
    assert radii == pytest.approx([1.0] * 33)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: rasterize([[]]), "at least one"),
        (lambda: rasterize([[(1, 2, 3)]]), r"\(x, y\) pair"),
        (lambda: rasterize([[("a", 2)]]), r"\(x, y\) pair"),
        (lambda: rasterize([[(np.nan, 2)]]), "finite numbers"),
        (lambda: rasterize([VERTICAL], width=0), "width must be a positive"),
        (lambda: rasterize([VERTICAL], size=-1), "size must be a positive"),
        (lambda: line(0, 0, 1, 1, n=1), "n >= 2"),
        (lambda: ellipse(0, 0, 1, 1, n=2), "n >= 3"),
    ],
)
def test_bad_strokes_are_rejected_with_a_clear_message(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_extend_before_begin_says_what_to_do():
    with pytest.raises(RuntimeError, match="begin"):
        StrokeRaster().extend(1, 2)


# -- drawing pad -----------------------------------------------------------------------


class FakeClock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


class Counting:
    """Wraps a predictor and counts its predictions."""

    def __init__(self, predictor):
        self.predictor = predictor
        self.calls = 0

    def predict_drawing(self, image):
        self.calls += 1
        return self.predictor.predict_drawing(image)


class Failing:
    """A predictor that breaks, as a buggy model or preprocessing would."""

    def predict_drawing(self, image):
        raise RuntimeError("the model exploded")


def _pad(predictor, **kwargs):
    from digitlab.widget import DrawingPad

    return DrawingPad(predictor, **kwargs)


def _send(pad, event, **content):
    """Deliver a browser event the way ipycanvas 0.14 receives it from its front end."""
    pad._canvas._handle_frontend_event(None, {"event": event, **content}, [])


def _touches(*points):
    return [{"x": x, "y": y} for x, y in points]


def _assert_blank(pad):
    assert pad.label_text == "Draw a digit"
    assert pad.prediction is None
    assert pad.preview is None
    assert pad.strokes == []
    assert not pad.probabilities.any()
    assert not pad.image().any()


def test_new_pad_is_blank_and_asks_for_a_digit(sure_seven):
    pad = _pad(sure_seven)
    _assert_blank(pad)
    assert pad.error_text is None
    assert pad.probabilities.shape == (10,)
    assert pad.image().shape == (280, 280)


def test_pad_is_a_displayable_widget_with_stable_css_classes(sure_seven):
    pad = _pad(sure_seven)
    bundle = pad._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert "digitlab-canvas" in pad._canvas._dom_classes
    assert "digitlab-clear" in pad._clear_button._dom_classes
    assert "digitlab-label" in pad._label._dom_classes
    assert (pad._canvas.width, pad._canvas.height) == (280, 280)
    assert (pad._canvas.layout.width, pad._canvas.layout.height) == ("280px", "280px")
    assert (pad._canvas.line_cap, pad._canvas.line_join) == ("round", "round")


def test_confident_prediction_fills_label_bars_and_preview(sure_seven):
    pad = _pad(sure_seven)
    pad.draw_stroke(VERTICAL)
    assert pad.label_text == "Prediction: 7"
    assert pad.prediction.label == 7
    assert pad.probabilities.sum() == pytest.approx(1.0, abs=0.01)
    assert int(np.argmax(pad.probabilities)) == 7
    assert pad.probabilities[7] == pytest.approx(0.82, abs=0.001)
    assert [bar.bar_style for bar in pad._bars] == [""] * 7 + ["success"] + [""] * 2
    assert pad._percents[7].value == "82%"
    assert pad.preview.shape == (28, 28)
    assert pad.preview.max() == pytest.approx(1.0)
    assert pad.error_text is None
    shown = np.asarray(Image.open(io.BytesIO(bytes(pad._preview_image.value))))
    assert shown.shape == (112, 112)  # 28x28 enlarged 4x, nearest neighbour
    np.testing.assert_array_equal(shown[::4, ::4], np.round(pad.preview * 255))


def test_low_confidence_reads_not_sure(unsure):
    pad = _pad(unsure)
    pad.draw_stroke(RING)
    assert pad.label_text == "Prediction: not sure"
    assert pad.prediction.label is None
    assert int(np.argmax(pad.probabilities)) == 3
    assert pad._bars[3].bar_style == "warning"


def test_drawn_strokes_are_kept_and_rasterized_like_strokes_module(sure_seven):
    pad = _pad(sure_seven, pen_width=14)
    pad.draw_stroke(VERTICAL)
    pad.draw_stroke([(60, 60)])
    assert len(pad.strokes) == 2
    assert pad.strokes[0] == VERTICAL
    assert pad.strokes[1] == [(60, 60)]
    np.testing.assert_array_equal(pad.image(), rasterize([VERTICAL, [(60, 60)]], width=14))


def test_pen_width_slider_sets_the_next_strokes_width(sure_seven):
    pad = _pad(sure_seven)
    pad._width_slider.value = 6
    pad.draw_stroke(VERTICAL)
    thin = np.count_nonzero(pad.image())
    pad.clear()
    pad._width_slider.value = 30
    pad.draw_stroke(VERTICAL)
    assert np.count_nonzero(pad.image()) > 3 * thin


def test_clear_resets_everything(sure_seven):
    pad = _pad(sure_seven)
    pad.draw_stroke(VERTICAL)
    pad.clear()
    _assert_blank(pad)
    assert [bar.bar_style for bar in pad._bars] == [""] * 10


def test_clear_button_clears(sure_seven):
    pad = _pad(sure_seven)
    pad.draw_stroke(VERTICAL)
    pad._clear_button.click()
    _assert_blank(pad)


def test_mouse_events_draw_only_while_the_button_is_down(sure_seven):
    pad = _pad(sure_seven)
    _send(pad, "mouse_move", x=10, y=10)  # hovering draws nothing
    assert pad.strokes == []
    _send(pad, "mouse_down", x=140, y=60)
    for y in range(70, 230, 10):
        _send(pad, "mouse_move", x=140, y=y)
    _send(pad, "mouse_up", x=140, y=230)
    assert pad.label_text == "Prediction: 7"
    assert len(pad.strokes) == 1
    assert pad.strokes[0][0] == (140, 60) and pad.strokes[0][-1] == (140, 230)
    _send(pad, "mouse_move", x=10, y=10)  # released: hovering again
    assert len(pad.strokes[0]) == 18


def test_leaving_the_canvas_ends_the_stroke(sure_seven):
    pad = _pad(sure_seven)
    _send(pad, "mouse_down", x=140, y=60)
    _send(pad, "mouse_move", x=140, y=200)
    _send(pad, "mouse_out", x=140, y=279)
    _send(pad, "mouse_move", x=100, y=100)  # back inside with the button up
    _send(pad, "mouse_up", x=100, y=100)
    assert pad.strokes == [[(140, 60), (140, 200), (140, 279)]]
    assert pad.label_text == "Prediction: 7"


def test_click_without_moving_draws_a_dot(sure_seven):
    pad = _pad(sure_seven)
    _send(pad, "mouse_down", x=50, y=50)
    _send(pad, "mouse_up", x=50, y=50)
    assert pad.strokes == [[(50, 50)]]
    assert pad.image()[50, 50] == 255


def test_live_predictions_are_throttled_and_the_stroke_end_always_predicts(sure_seven):
    clock, counting = FakeClock(), Counting(sure_seven)
    pad = _pad(counting, predict_interval=0.1, clock=clock)
    _send(pad, "mouse_down", x=140, y=50)
    assert counting.calls == 1  # first touch: immediate feedback
    for y in range(60, 160, 10):  # ten moves in 0.05 s: no new prediction
        clock.now += 0.005
        _send(pad, "mouse_move", x=140, y=y)
    assert counting.calls == 1
    clock.now += 0.1
    _send(pad, "mouse_move", x=140, y=170)
    assert counting.calls == 2
    _send(pad, "mouse_up", x=140, y=170)  # no time passed, still predicts the final drawing
    assert counting.calls == 3
    assert pad.label_text == "Prediction: 7"


def test_releasing_at_a_new_point_predicts_once(sure_seven):
    clock, counting = FakeClock(), Counting(sure_seven)
    pad = _pad(counting, predict_interval=0.1, clock=clock)
    _send(pad, "mouse_down", x=140, y=50)
    clock.now += 1.0  # a live prediction is due, and the release ends the stroke
    _send(pad, "mouse_up", x=140, y=200)
    assert counting.calls == 2  # the press, then one for the final drawing
    assert pad.strokes == [[(140.0, 50.0), (140.0, 200.0)]]


def test_touch_draws_with_the_first_finger(sure_seven):
    pad = _pad(sure_seven)
    _send(pad, "touch_start", touches=_touches((140, 50)))
    _send(pad, "touch_move", touches=_touches((140, 120)))
    _send(pad, "touch_start", touches=_touches((140, 120), (20, 20)))  # second finger
    _send(pad, "touch_move", touches=_touches((140, 230), (25, 25)))
    _send(pad, "touch_end", touches=[])  # lists the fingers still down: none
    assert pad.strokes == [[(140, 50), (140, 120), (140, 230)]]
    assert pad.label_text == "Prediction: 7"
    _send(pad, "touch_move", touches=_touches((10, 10)))  # finger up: nothing drawn
    assert len(pad.strokes) == 1


def test_touch_cancel_ends_the_stroke(sure_seven):
    pad = _pad(sure_seven)
    _send(pad, "touch_start", touches=_touches((100, 100)))
    _send(pad, "touch_move", touches=_touches((100, 150)))
    _send(pad, "touch_cancel", touches=[])
    _send(pad, "touch_move", touches=_touches((100, 200)))
    assert pad.strokes == [[(100, 100), (100, 150)]]


def _key(pad, key, ctrl=False):
    _send(pad, "key_down", key=key, shift_key=False, ctrl_key=ctrl, meta_key=False)


def test_space_key_clears_other_keys_do_not(sure_seven):
    pad = _pad(sure_seven)
    pad.draw_stroke(VERTICAL)
    for key in ("a", "Enter", "Escape", "Backspace"):
        _key(pad, key)
    _key(pad, " ", ctrl=True)
    assert pad.label_text == "Prediction: 7"
    assert len(pad.strokes) == 1
    _key(pad, " ")  # KeyboardEvent.key of the space bar
    _assert_blank(pad)


def test_predictor_errors_are_shown_in_the_pad_and_drawing_goes_on(sure_seven):
    pad = _pad(Failing())
    pad.draw_stroke(VERTICAL)  # does not raise
    assert pad.error_text == "RuntimeError: the model exploded"
    assert "the model exploded" in pad._error.value
    assert "Traceback" in pad._error.value
    assert pad._error.layout.display != "none"
    assert len(pad.strokes) == 1  # the drawing itself survived
    _send(pad, "mouse_down", x=60, y=60)  # and the pad still takes events
    _send(pad, "mouse_up", x=60, y=60)
    assert len(pad.strokes) == 2
    pad.clear()
    assert pad.error_text is None
    assert pad._error.layout.display == "none"


def test_an_error_goes_away_once_drawing_has_recovered(sure_seven):
    class Flaky:
        broken = True

        def predict_drawing(self, image):
            if self.broken:
                raise RuntimeError("a hiccup")
            return sure_seven.predict_drawing(image)

    flaky = Flaky()
    pad = _pad(flaky)
    pad.draw_stroke([(140, 60)])
    assert pad.error_text == "RuntimeError: a hiccup"
    flaky.broken = False
    pad.draw_stroke(VERTICAL)
    assert pad.label_text == "Prediction: 7"
    assert pad.error_text is None
    assert pad._error.layout.display == "none"


def test_a_pen_resting_on_one_point_stores_one_point(sure_seven):
    pad = _pad(sure_seven)
    _send(pad, "mouse_down", x=100, y=100)
    for _ in range(2000):
        _send(pad, "mouse_move", x=100, y=100)
    _send(pad, "mouse_move", x=120, y=100)
    _send(pad, "mouse_up", x=120, y=100)
    assert pad.strokes == [[(100.0, 100.0), (120.0, 100.0)]]
    assert pad.error_text is None


def test_error_messages_are_escaped_html(sure_seven):
    class Loud:
        def predict_drawing(self, image):
            raise ValueError("<script>alert(1)</script>")

    pad = _pad(Loud())
    pad.draw_stroke(VERTICAL)
    assert "<script>" not in pad._error.value
    assert "&lt;script&gt;" in pad._error.value


def test_empty_drawing_is_not_an_error(sure_seven):
    class Blank:
        def predict_drawing(self, image):
            raise EmptyDrawingError("the canvas is empty: draw a digit first")

    pad = _pad(Blank())
    pad.draw_stroke(VERTICAL)
    assert pad.label_text == "Draw a digit"
    assert pad.error_text is None


@pytest.mark.parametrize(
    "strokes",
    [
        [[(140, 140)]],
        [[(60, 200), (61, 201)]],
        [line(120, 140, 150, 140)],
        [[(30, 30)], [(40, 50)]],
    ],
    ids=["tap", "dot", "short-line", "two-taps"],
)
def test_ink_too_small_to_be_a_digit_reads_draw_a_bigger_digit(sure_seven, strokes):
    pad = _pad(sure_seven)
    for stroke in strokes:
        pad.draw_stroke(stroke)
    assert pad.label_text == "Draw a bigger digit"
    assert pad.prediction is None
    assert pad.preview is None
    assert not pad.probabilities.any()
    assert [bar.bar_style for bar in pad._bars] == [""] * 10
    assert pad.error_text is None
    pad.draw_stroke(VERTICAL)  # going on to draw a real digit reads it
    assert pad.label_text == "Prediction: 7"


def test_ink_entirely_off_canvas_reads_draw_a_digit(sure_seven):
    pad = _pad(sure_seven)
    pad.draw_stroke(line(-100, -100, -100, 400))
    assert pad.label_text == "Draw a digit"
    assert pad.preview is None
    assert pad.error_text is None


def test_new_browser_view_replays_without_error(sure_seven):
    pad = _pad(sure_seven)
    pad.draw_stroke(VERTICAL)
    _send(pad, "client_ready")
    assert pad.error_text is None
    assert len(pad.strokes) == 1


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"threshold": 0.7}, "Predictor\\(model, threshold=0.7\\)"),
        ({"pen_width": 100}, "pen_width must be between 4 and 40"),
        ({"predict_interval": -1}, "predict_interval must be >= 0"),
        ({"predict_interval": float("nan")}, "predict_interval must be >= 0 .*got nan"),
        ({"predict_interval": float("inf")}, "predict_interval must be >= 0 .*got inf"),
    ],
)
def test_bad_settings_are_rejected(sure_seven, kwargs, message):
    with pytest.raises(ValueError, match=message):
        _pad(sure_seven, **kwargs)


def test_draw_stroke_checks_its_points(sure_seven):
    pad = _pad(sure_seven)
    with pytest.raises(ValueError, match="at least one"):
        pad.draw_stroke([])
    with pytest.raises(ValueError, match=r"\(x, y\) pair"):
        pad.draw_stroke([(1, 2), (3, 4, 5)])
    assert pad.strokes == []


def test_draw_stroke_takes_numpy_integer_points(sure_seven):
    pad = _pad(sure_seven)
    pad.draw_stroke(np.array(VERTICAL).astype(np.int64))
    assert pad.label_text == "Prediction: 7"
    assert pad.error_text is None
    assert all(type(v) is float for point in pad.strokes[0] for v in point)


# -- the shipped model -----------------------------------------------------------------


@pytest.fixture(scope="module")
def shipped_pad(shipped_predictor):
    from digitlab.widget import DrawingPad

    return DrawingPad(shipped_predictor)


@pytest.mark.parametrize(
    ("strokes", "digit"),
    [([VERTICAL], 1), ([RING], 0), ([line(140, 90, 140, 190)], 1)],
    ids=["vertical-line-is-1", "ellipse-is-0", "short-1-is-still-1"],
)
def test_shipped_model_reads_simple_drawings(shipped_pad, strokes, digit):
    shipped_pad.clear()
    for stroke in strokes:
        shipped_pad.draw_stroke(stroke)
    assert shipped_pad.error_text is None
    assert shipped_pad.label_text == f"Prediction: {digit}"


def test_shipped_model_does_not_read_a_tap_as_a_digit(shipped_pad):
    shipped_pad.clear()
    shipped_pad.draw_stroke([(140, 140)])  # issue 11: read as "Prediction: 0" at 99.8%
    assert shipped_pad.label_text == "Draw a bigger digit"


def test_settings_are_checked_before_the_model_loads(monkeypatch):
    from digitlab.predict import Predictor

    def no_loading(*args, **kwargs):
        raise AssertionError("the model was loaded before the settings were checked")

    monkeypatch.setattr(Predictor, "load", no_loading)
    with pytest.raises(ValueError, match="pen_width must be between"):
        _pad(None, pen_width=1)
    with pytest.raises(ValueError, match="predict_interval must be"):
        _pad(None, predict_interval=float("nan"))


@pytest.fixture
def chinese():
    """The library set to Chinese for one test, as a Chinese lesson's parameters cell does."""
    from digitlab.i18n import set_language

    set_language("zh")
    yield
    set_language("en")


def _texts(widget):
    """Every text a learner reads in `widget`: labels, descriptions, HTML and tooltips."""
    found = [getattr(widget, name, None) for name in ("value", "description", "tooltip")]
    texts = [text for text in found if isinstance(text, str) and not text.startswith("\x89PNG")]
    for child in getattr(widget, "children", ()):
        texts += _texts(child)
    return texts


def test_a_pad_made_after_set_language_zh_speaks_chinese(sure_seven, unsure, chinese):
    pad = _pad(sure_seven)
    assert pad.label_text == "请写一个数字"
    shown = " ".join(_texts(pad))
    for words in ("清除", "笔宽", "模型看到的图像：", "7 的概率"):
        assert words in shown
    assert not {"Clear", "Pen width", "What the model sees:", "Draw"} & set(shown.split())
    pad.draw_stroke(VERTICAL)
    assert pad.label_text == "预测：7"
    pad.clear()
    pad.draw_stroke([(140, 140)])
    assert pad.label_text == "请把数字写大一些"
    pad.clear()
    assert pad.label_text == "请写一个数字"
    unsure_pad = _pad(unsure)
    unsure_pad.draw_stroke(RING)
    assert unsure_pad.label_text == "预测：不确定"


def test_the_english_pad_reads_as_before(sure_seven):
    shown = _texts(_pad(sure_seven))
    assert {"Draw a digit", "Clear", "Pen width", "What the model sees:",
            "probability of 7"} <= set(shown)
    assert ("<small>Draw with the mouse or a finger. Space clears once you have clicked the "
            "canvas.</small>") in shown


def test_pad_errors_are_introduced_in_chinese(chinese):
    pad = _pad(Failing())
    pad.draw_stroke(VERTICAL)
    assert "手写板出错了：" in pad._error.value
    assert pad.error_text == "RuntimeError: the model exploded"  # errors stay English
