"""Collect your own digits: the drawing pad asks for a digit and keeps what you draw (lesson 10).

`DigitCollector("my_digits")` shows a prompt ("Draw a 7"; after `set_language("zh")`,
"请写一个 7") above a `digitlab.widget.DrawingPad`. Draw the digit, press Enter (or Save):
it is appended to `my_digits/<writer>.jsonl` (`digitlab.data.drawings`) and the next prompt
appears at once, so a hundred digits take a hundred drawings and a hundred Enters. Space
clears, Skip asks for another digit, Undo last save takes the last drawing back (an appended
undo line: no file is rewritten). The counts per digit resume from the folder after a
restart. Keys reach the canvas once you have clicked or drawn on it.

Prompts come in balanced, shuffled rounds: the next digit is drawn at random among those you
have drawn least (`next_digit`). The widget only wires events to the pad and to the pure
functions here and in `digitlab.data.drawings`, which are tested without a browser.
"""

from __future__ import annotations

import html
import os
import time
from collections.abc import Callable

import ipywidgets as widgets
import numpy as np
from ipycanvas import Canvas

from digitlab.data.drawings import (
    DrawingError,
    Stroke,
    append_drawing,
    check_writer,
    drawing_record,
    resume_writer,
    undo_record,
    writer_counts,
)
from digitlab.i18n import tr
from digitlab.predict import Predictor
from digitlab.strokes import CANVAS_SIZE, DEFAULT_WIDTH
from digitlab.widget import DrawingPad

SAVE_KEYS = ("Enter",)  # KeyboardEvent.key that keeps the drawing
STROKE_EVENTS = ("mouse_down", "mouse_move", "mouse_up", "mouse_out",
                 "touch_start", "touch_move", "touch_end", "touch_cancel")


def next_digit(counts: np.ndarray, rng: np.random.Generator, avoid: int | None = None) -> int:
    """A digit to ask for: random among those with the fewest drawings, so prompts come in
    shuffled rounds of all ten; never `avoid` (the digit just skipped)."""
    counts = np.asarray(counts)
    candidates = [d for d in range(10) if d != avoid]
    least = counts[candidates].min()
    choices = [d for d in candidates if counts[d] == least]
    return int(rng.choice(choices))


class StrokeTimes:
    """Timestamps for the points of the pad's strokes, in ms since the drawing's first point.

    `update(strokes, widths_now, now)` is called after each pen event: new points get `now`,
    a new stroke gets the pen width in use. `timed(strokes)` gives the strokes to save.
    """

    def __init__(self) -> None:
        self.clear()

    def clear(self) -> None:
        self._start: float | None = None
        self._times: list[list[float]] = []
        self._widths: list[float] = []

    def update(self, strokes: list[list[tuple[float, float]]], width: float, now: float) -> None:
        if self._start is None and strokes:
            self._start = now
        elapsed = 0.0 if self._start is None else (now - self._start) * 1000.0
        del self._times[len(strokes):]
        for i, points in enumerate(strokes):
            if i == len(self._times):
                self._times.append([])
                self._widths.append(float(width))
            times = self._times[i]
            times += [elapsed] * (len(points) - len(times))
        del self._widths[len(strokes):]

    def timed(self, strokes: list[list[tuple[float, float]]]) -> list[Stroke]:
        return [
            (width, [(x, y, t) for (x, y), t in zip(points, times, strict=True)])
            for width, points, times in zip(self._widths, strokes, self._times, strict=True)
        ]


def _widgets(widget: widgets.Widget):
    """`widget` and every widget inside it."""
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _widgets(child)


def _find(widget: widgets.Widget, kind: type) -> widgets.Widget:
    """The one widget of type `kind` inside `widget` (the pad's canvas, its width slider):
    found through the pad's public widget tree, whatever its attributes are called."""
    found = [w for w in _widgets(widget) if isinstance(w, kind)]
    if len(found) != 1:
        raise LookupError(f"expected one {kind.__name__} in the pad, found {len(found)}")
    return found[0]


class DigitCollector(widgets.VBox):
    """Ask for digits, keep the drawings in `folder` as `writer` (lesson 10).

    `writer`: a name (letters, digits, `_`, `-`) or None to continue the folder's only
    writer (a new anonymous id in an empty folder). `model`: a Keras model, a
    `digitlab.predict.Predictor`, or None for the shipped model; `show_guess` shows or hides
    its guess while you draw. `pen_width` starts the pad's width slider; `seed` fixes the
    order of prompts; `clock` (seconds) can be replaced in tests. Everything the keys and
    buttons do is also a method (`save`, `skip`, `undo`, and `pad.draw_stroke` to draw).
    """

    def __init__(
        self,
        folder: str | os.PathLike[str],
        writer: str | None = None,
        model=None,
        show_guess: bool = True,
        *,
        pen_width: int = DEFAULT_WIDTH,
        seed: int | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.folder = os.fspath(folder)
        self.writer = resume_writer(self.folder) if writer is None else check_writer(writer)
        self.counts = writer_counts(self.folder, self.writer)
        self._rng = np.random.default_rng(seed)
        self._clock = clock
        self._times = StrokeTimes()
        self._saved: list[tuple[str, int]] = []  # (id, label) of this session's saves
        predictor = model if model is None or isinstance(model, Predictor) else Predictor(model)
        self.pad = DrawingPad(predictor, pen_width=pen_width)
        self.pad.children[1].layout.display = None if show_guess else "none"
        self._slider = _find(self.pad, widgets.IntSlider)
        canvas = _find(self.pad, Canvas)
        for event in STROKE_EVENTS:  # after the pad's own handlers: its strokes are current
            getattr(canvas, f"on_{event}")(self._on_pen)
        canvas.on_key_down(self._on_key_down)

        self._prompt = widgets.HTML()
        self._prompt.add_class("digitlab-prompt")
        self._counts = widgets.HTML()
        self._counts.add_class("digitlab-counts")
        self._status = widgets.HTML()
        self._status.add_class("digitlab-status")
        buttons = []
        for text, icon, action, css in (
            ("collector.save", "check", self.save, "digitlab-save"),
            ("collector.skip", "forward", self.skip, "digitlab-skip"),
            ("collector.undo", "undo", self.undo, "digitlab-undo"),
        ):
            button = widgets.Button(description=tr(text), icon=icon)
            button.add_class(css)
            button.on_click(lambda _b, action=action: self._run(action))
            buttons.append(button)
        self.prompt = next_digit(self.counts, self._rng)
        self._show(tr("collector.saving_to", path=html.escape(self._path_text()),
                            writer=html.escape(self.writer)))
        super().__init__([self._prompt, widgets.HBox(buttons), self._counts, self._status,
                          self.pad])
        self.add_class("digitlab-collector")

    # -- public, browser-free interface -------------------------------------------------

    @property
    def status_text(self) -> str:
        """The last message: what was saved or undone, or why a drawing was not saved."""
        return self._status_text

    @property
    def prompt_text(self) -> str:
        """The prompt as shown: "Draw a 7" ("Draw an 8"; in Chinese "请写一个 7")."""
        return tr("collector.prompt_an" if self.prompt == 8 else "collector.prompt",
                        digit=self.prompt)

    def save(self) -> None:
        """Keep the drawing as the prompted digit and ask for the next one. A drawing that
        cannot be kept (empty, too small) stays on the pad with the reason shown."""
        strokes = self.pad.strokes
        self._times.update(strokes, self._slider.value, self._clock())
        try:
            record = drawing_record(self.prompt, self._times.timed(strokes), self.writer,
                                    CANVAS_SIZE)
        except DrawingError as exc:
            why = (tr("collector.empty") if not strokes
                   else tr("collector.not_saved", reason=str(exc)))
            self._show(html.escape(why), error=True)
            return
        append_drawing(self.folder, record)
        self._saved.append((record["id"], self.prompt))
        self.counts[self.prompt] += 1
        saved = self.prompt
        self._new_drawing(next_digit(self.counts, self._rng))
        self._show(tr("collector.saved", digit=saved))

    def skip(self) -> None:
        """Clear the pad and ask for another digit."""
        self._new_drawing(next_digit(self.counts, self._rng, avoid=self.prompt))
        self._show(tr("collector.skipped"))

    def undo(self) -> None:
        """Take back this session's last save (an undo line is appended) and ask for that
        digit again."""
        if not self._saved:
            self._show(tr("collector.nothing_to_undo"))
            return
        drawing_id, label = self._saved.pop()
        append_drawing(self.folder, undo_record(self.writer, drawing_id))
        self.counts[label] -= 1
        self._new_drawing(label)
        self._show(tr("collector.took_back", digit=label))

    # -- internals ----------------------------------------------------------------------

    def _run(self, action: Callable[[], None]) -> None:
        """Run a button's or key's action; an error (a full disk, say) is shown, not lost."""
        try:
            action()
        except Exception as exc:  # shown to the learner in the status line
            self._show(html.escape(f"{type(exc).__name__}: {exc}"), error=True)

    def _on_pen(self, *_args) -> None:
        self._times.update(self.pad.strokes, self._slider.value, self._clock())

    def _on_key_down(self, key: str, shift_key: bool, ctrl_key: bool, meta_key: bool) -> None:
        if key in SAVE_KEYS and not (ctrl_key or meta_key):
            self._run(self.save)
        elif key == " ":  # the pad has cleared its strokes
            self._times.clear()

    def _new_drawing(self, digit: int) -> None:
        self.pad.clear()
        self._times.clear()
        self.prompt = digit

    def _path_text(self) -> str:
        return os.path.join(self.folder, f"{self.writer}.jsonl")

    def _show(self, message: str, error: bool = False) -> None:
        self._status_text = html.unescape(message)
        colour = "#b00020" if error else "#555"
        self._status.value = f'<span style="color:{colour}">{message}</span>'
        self._prompt.value = (
            f'<span style="font-size:28px;font-weight:bold">{self.prompt_text}</span>'
        )
        cells = "".join(
            f"<td style='padding:0 6px;text-align:center'>{d}<br><b>{n}</b></td>"
            for d, n in enumerate(self.counts.tolist())
        )
        self._counts.value = (
            f"<table><tr><td>{tr('collector.per_digit')}</td>{cells}"
            f"<td style='padding-left:12px'>{tr('collector.total')} "
            f"<b>{int(self.counts.sum())}</b></td></tr></table>"
        )
