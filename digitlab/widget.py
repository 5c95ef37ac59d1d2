"""The live drawing pad: draw a digit, watch the model guess while you draw (lesson 07).

Put `DrawingPad()` last in a notebook cell. Draw in the black square with the mouse or a
finger; the label reads "Prediction: 7" (or "Prediction: not sure" when the model's top
probability is below the threshold, or "Draw a bigger digit" when the ink is too small to
be a digit, see `digitlab.preprocess.check_drawing`), the bars show all ten probabilities,
and the small image is the 28x28 picture the model actually sees. The pad speaks the
language set with `digitlab.i18n.set_language` when it is made ("预测：7", "清除" in Chinese).

Clearing: the Clear button, or the Space key. Keys only reach the canvas while it has the
keyboard focus: click (or draw on) the canvas first, or Tab to it. While it has focus the
canvas takes every key, so notebook shortcuts (`a`, `b`, `dd`, ...) pause until you click
outside it.

How it works: the browser sends every mouse move to the kernel. The pad keeps the strokes
in Python, paints each new segment onto its own image (`digitlab.strokes`) and onto the
canvas, and asks the model at most every `predict_interval` seconds while you draw, plus
once when the stroke ends, so the last prediction always matches the final drawing.
"""

from __future__ import annotations

import functools
import html
import io
import math
import time
import traceback
from collections.abc import Callable, Sequence

import ipywidgets as widgets
import numpy as np
from ipycanvas import Canvas, hold_canvas
from PIL import Image

from digitlab.config import INPUT_SHAPE, N_CLASSES, THRESHOLD
from digitlab.i18n import tr
from digitlab.predict import Prediction, Predictor
from digitlab.preprocess import EmptyDrawingError, TooSmallDrawingError
from digitlab.strokes import (
    CANVAS_SIZE,
    DEFAULT_WIDTH,
    PREDICT_INTERVAL,
    StrokeRaster,
    as_stroke,
)

_PREVIEW_SCALE = 4  # the 28x28 preview is shown 112 px wide, nearest neighbour
BACKGROUND, INK = "black", "white"  # as the model sees it (and as `strokes` paints)
_CLEAR_KEYS = (" ",)  # KeyboardEvent.key of the space bar
PEN_WIDTH_LIMITS = (4, 40)  # range of the pen-width slider, canvas pixels


def _reports_errors(handler: Callable[..., None]) -> Callable[..., None]:
    """Show a callback's exception in the pad's error area instead of losing it in a log."""

    @functools.wraps(handler)
    def wrapper(self: DrawingPad, *args) -> None:
        try:
            handler(self, *args)
        except Exception as exc:
            self._show_error(exc)

    return wrapper


def _checked_predictor(predictor: Predictor | None, threshold: float | None) -> Predictor:
    """`predictor`, or the shipped model's at `threshold` when None (a threshold only
    applies then)."""
    if predictor is None:
        return Predictor.load(threshold=THRESHOLD if threshold is None else threshold)
    if threshold is not None:
        raise ValueError(
            "threshold only applies to the shipped model; for your own predictor pass it "
            "when you make it, e.g. Predictor(model, threshold=0.7)"
        )
    return predictor


def _png(image: np.ndarray, scale: int = 1) -> bytes:
    """PNG bytes of a uint8 grey image, enlarged `scale` times with nearest neighbour."""
    picture = Image.fromarray(image)
    if scale != 1:
        picture = picture.resize((image.shape[1] * scale, image.shape[0] * scale), Image.NEAREST)
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG")
    return buffer.getvalue()


class DrawingPad(widgets.HBox):
    """A canvas to draw digits on, with a live prediction, probability bars and preview.

    Lesson 07. `predictor` is a `digitlab.predict.Predictor`; by default the course model
    shipped with digitlab, loaded with `threshold` (top probability needed to name a digit).
    `pen_width` starts the width slider; `predict_interval` is the least time in seconds
    between live predictions during a stroke; `clock` (seconds) can be replaced in tests.
    Everything the mouse can do is also a method (`draw_stroke`, `clear`), so lessons and
    tests can drive the pad from Python.
    """

    def __init__(
        self,
        predictor: Predictor | None = None,
        *,
        threshold: float | None = None,
        pen_width: int = DEFAULT_WIDTH,
        predict_interval: float = PREDICT_INTERVAL,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        low, high = PEN_WIDTH_LIMITS
        if not low <= pen_width <= high:
            raise ValueError(
                f"pen_width must be between {low} and {high} pixels, got {pen_width}"
            )
        if not (math.isfinite(predict_interval) and predict_interval >= 0):
            raise ValueError(
                f"predict_interval must be >= 0 seconds (a finite number), got {predict_interval}"
            )
        self._predictor = _checked_predictor(predictor, threshold)  # loads after the checks
        self._predict_interval = predict_interval
        self._clock = clock
        self._raster = StrokeRaster(CANVAS_SIZE, pen_width)
        self._drawing = False
        self._last_predicted = -float("inf")
        self._prediction: Prediction | None = None
        self._preview: np.ndarray | None = None
        self._error_text: str | None = None
        self._make_widgets(pen_width)
        self._connect_events()
        self._paint_canvas()
        super().__init__(self._layout())

    def _make_widgets(self, pen_width: int) -> None:
        """The canvas, the pen-width slider and clear button, the label, the ten bars with
        their percentages, the preview and the error box."""
        px = f"{CANVAS_SIZE}px"
        self._canvas = Canvas(
            width=CANVAS_SIZE, height=CANVAS_SIZE, layout=widgets.Layout(width=px, height=px)
        )
        self._canvas.add_class("digitlab-canvas")
        low, high = PEN_WIDTH_LIMITS
        self._width_slider = widgets.IntSlider(
            value=pen_width, min=low, max=high, description=tr("pad.pen_width"),
            continuous_update=False,
        )
        self._clear_button = widgets.Button(description=tr("pad.clear"), icon="eraser")
        self._clear_button.add_class("digitlab-clear")
        self._label = widgets.Label(
            tr("pad.empty"), style={"font_size": "20px", "font_weight": "bold"}
        )
        self._label.add_class("digitlab-label")
        self._bars = [
            widgets.FloatProgress(
                value=0.0,
                min=0.0,
                max=1.0,
                description=str(digit),
                tooltip=tr("pad.bar", digit=digit),
                style={"description_width": "1em"},
                layout=widgets.Layout(width="220px", height="18px"),
            )
            for digit in range(N_CLASSES)
        ]
        self._percents = [
            widgets.Label("0%", layout=widgets.Layout(width="3.5em")) for _ in range(N_CLASSES)
        ]
        self._preview_image = widgets.Image(
            value=_png(np.zeros(INPUT_SHAPE[:2], np.uint8), _PREVIEW_SCALE), format="png"
        )
        self._error = widgets.HTML(layout=widgets.Layout(display="none"))
        self._error.add_class("digitlab-error")

    def _connect_events(self) -> None:
        """Mouse, touch and keyboard on the canvas, and the clear button, to their handlers."""
        canvas = self._canvas
        canvas.on_mouse_down(self._on_mouse_down)
        canvas.on_mouse_move(self._on_mouse_move)
        canvas.on_mouse_up(self._on_mouse_up)
        canvas.on_mouse_out(self._on_mouse_out)
        canvas.on_touch_start(self._on_touch_start)
        canvas.on_touch_move(self._on_touch_move)
        canvas.on_touch_end(self._on_touch_end)
        canvas.on_touch_cancel(self._on_touch_end)
        canvas.on_key_down(self._on_key_down)
        canvas.on_client_ready(self._on_client_ready)
        self._clear_button.on_click(self._on_clear_click)

    def _layout(self) -> list[widgets.Widget]:
        """The pad's two columns: canvas and controls left; label, bars and preview right."""
        hint = widgets.HTML(f"<small>{tr('pad.hint')}</small>")
        bars = widgets.VBox(
            [widgets.HBox([bar, pct]) for bar, pct in zip(self._bars, self._percents, strict=True)]
        )
        left = widgets.VBox(
            [self._canvas, widgets.HBox([self._width_slider, self._clear_button]), hint,
             self._error]
        )
        right = widgets.VBox(
            [self._label, bars, widgets.HTML(tr("pad.seen")), self._preview_image]
        )
        right.layout.margin = "0 0 0 24px"
        return [left, right]

    # -- public, browser-free interface -------------------------------------------------

    @property
    def prediction(self) -> Prediction | None:
        """The last `digitlab.predict.Prediction`, or None while the canvas is empty or
        the drawing too small to be a digit."""
        return self._prediction

    @property
    def label_text(self) -> str:
        """The label: "Prediction: 7", "Prediction: not sure", "Draw a digit" or
        "Draw a bigger digit"."""
        return self._label.value

    @property
    def probabilities(self) -> np.ndarray:
        """The ten bar values as shown (all zero while the canvas is empty)."""
        return np.array([bar.value for bar in self._bars])

    @property
    def preview(self) -> np.ndarray | None:
        """The (28, 28) image the model saw last, or None while the canvas is empty."""
        return self._preview

    @property
    def error_text(self) -> str | None:
        """The error shown in the pad ("ValueError: ..."), or None."""
        return self._error_text

    @property
    def strokes(self) -> list[list[tuple[float, float]]]:
        """The strokes drawn so far, each a list of (x, y) canvas points."""
        return [list(stroke.points) for stroke in self._raster.strokes]

    def image(self) -> np.ndarray:
        """The drawing as the pad rasterized it: (280, 280) uint8, white ink on black."""
        return self._raster.to_array()

    def draw_stroke(self, points: Sequence[Sequence[float]]) -> None:
        """Draw one stroke as the mouse would (press, moves, release); one point is a dot.

        Errors from the model are shown in the pad, exactly as when drawing by hand.
        """
        (x, y), *rest = as_stroke(points)
        self._on_mouse_down(x, y)
        for x, y in rest:
            self._on_mouse_move(x, y)
        self._on_mouse_up(x, y)

    def clear(self) -> None:
        """Erase the drawing, the prediction, the bars, the preview and any error."""
        self._drawing = False
        self._raster.clear()
        self._paint_canvas()
        self._show(None)
        self._set_error(None, "")

    # -- event handlers (ipycanvas calls them with canvas pixel coordinates) ------------

    @_reports_errors
    def _on_mouse_down(self, x: float, y: float) -> None:
        stroke = self._raster.begin(x, y, width=self._width_slider.value)
        self._drawing = True
        # hold_canvas sends one message; in ipycanvas 0.14 an exception inside it would
        # leave all canvases caching forever, so only checked floats go in (from the raster).
        with hold_canvas():
            self._canvas.line_width = stroke.width
            self._canvas.fill_circle(*stroke.points[0], stroke.width / 2)
        self._predict_if_due()

    @_reports_errors
    def _on_mouse_move(self, x: float, y: float) -> None:
        if not self._drawing:  # the browser also reports moves with no button pressed
            return
        [point] = as_stroke([(x, y)])
        if point == self._raster.strokes[-1].points[-1]:  # a resting pen adds nothing
            return
        self._extend(*point)
        self._predict_if_due()

    @_reports_errors
    def _on_mouse_up(self, x: float, y: float) -> None:
        if not self._drawing:
            return
        if self._raster.strokes[-1].points[-1] != (x, y):
            self._extend(x, y)
        self._end_stroke()

    _on_mouse_out = _on_mouse_up  # leaving the canvas ends the stroke where it left

    @_reports_errors
    def _on_touch_start(self, touches: list[tuple[float, float]]) -> None:
        if touches and not self._drawing:  # a second finger does not start a new stroke
            self._on_mouse_down(*touches[0])

    @_reports_errors
    def _on_touch_move(self, touches: list[tuple[float, float]]) -> None:
        if touches:
            self._on_mouse_move(*touches[0])

    @_reports_errors
    def _on_touch_end(self, touches: list[tuple[float, float]]) -> None:
        # `touches` lists the fingers still down, not the lifted one: nothing to add.
        if self._drawing:
            self._end_stroke()

    @_reports_errors
    def _on_key_down(self, key: str, shift_key: bool, ctrl_key: bool, meta_key: bool) -> None:
        if key in _CLEAR_KEYS and not (ctrl_key or meta_key):
            self.clear()

    @_reports_errors
    def _on_clear_click(self, _button: widgets.Button) -> None:
        self.clear()

    @_reports_errors
    def _on_client_ready(self) -> None:
        self._paint_canvas()  # a new browser view starts blank: replay the strokes

    # -- internals ----------------------------------------------------------------------

    def _extend(self, x: float, y: float) -> None:
        """Add a point to the stroke: paint the new segment here and in the browser."""
        start, end = self._raster.extend(x, y)
        with hold_canvas():
            self._canvas.stroke_line(*start, *end)

    def _end_stroke(self) -> None:
        self._drawing = False
        self._predict()

    def _paint_canvas(self) -> None:
        """Repaint the whole browser canvas from the strokes kept in Python."""
        canvas = self._canvas
        with hold_canvas():
            canvas.line_cap = "round"
            canvas.line_join = "round"
            canvas.fill_style = BACKGROUND
            canvas.fill_rect(0, 0, CANVAS_SIZE, CANVAS_SIZE)
            canvas.fill_style = INK
            canvas.stroke_style = INK
            for stroke in self._raster.strokes:
                canvas.line_width = stroke.width
                canvas.fill_circle(*stroke.points[0], stroke.width / 2)
                if len(stroke.points) > 1:
                    canvas.stroke_lines(stroke.points)

    def _predict_if_due(self) -> None:
        if self._clock() - self._last_predicted >= self._predict_interval:
            self._predict()

    def _predict(self) -> None:
        self._last_predicted = self._clock()
        try:
            prediction = self._predictor.predict_drawing(self._raster.to_array())
        except EmptyDrawingError:
            self._show(None)
        except TooSmallDrawingError:
            self._show(None, tr("pad.too_small"))
        else:
            self._show(prediction)
        self._set_error(None, "")  # the pad works again: an earlier error is over

    def _show(self, prediction: Prediction | None, empty_text: str | None = None) -> None:
        """Update label, bars and preview for `prediction`; None clears bars and preview
        and shows `empty_text` (default "Draw a digit"; or the ink too small to be a digit)."""
        self._prediction = prediction
        if prediction is None:
            self._label.value = empty_text or tr("pad.empty")
            probabilities, top, top_style = np.zeros(N_CLASSES), -1, ""
            self._preview = None
            preview = np.zeros(INPUT_SHAPE[:2], np.uint8)
        else:
            self._label.value = prediction.text
            probabilities = np.asarray(prediction.probabilities, dtype=float)
            top = int(np.argmax(probabilities))
            top_style = "success" if prediction.confident else "warning"
            self._preview = np.asarray(prediction.image28)
            preview = (np.clip(self._preview, 0.0, 1.0) * 255).round().astype(np.uint8)
        for digit, (bar, percent) in enumerate(zip(self._bars, self._percents, strict=True)):
            p = round(float(probabilities[digit]), 3)  # unchanged values send no message
            bar.value = p
            bar.bar_style = top_style if digit == top else ""
            percent.value = f"{p:.0%}"
        self._preview_image.value = _png(preview, _PREVIEW_SCALE)

    def _show_error(self, exc: BaseException) -> None:
        text = "".join(traceback.format_exception_only(type(exc), exc)).strip()
        details = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
        self._set_error(
            text,
            f'<div style="color:#b00020"><b>{tr("pad.error")}</b> '
            f"{html.escape(text)}<details><summary>Traceback</summary>"
            f"<pre>{html.escape(details)}</pre></details></div>",
        )

    def _set_error(self, text: str | None, markup: str) -> None:
        self._error_text = text
        self._error.value = markup
        self._error.layout.display = None if text else "none"
