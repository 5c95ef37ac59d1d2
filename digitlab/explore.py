"""Reference A's training-set-size slider: move it and watch accuracy change (lesson 04).

Lesson 04 trains each model on several training-set sizes; `TrainSizeExplorer` shows
those results for the size the slider picks, both models side by side: the accuracy
against size with the chosen size marked, and the learning curves of that run. Nothing is
trained when the slider moves. The figure is drawn by `plot_accuracy_vs_train_size` and
`plot_history` into a matplotlib Figure (no pyplot state) saved as a PNG, so the widget
works the same in a notebook, in CI and in tests.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from typing import Any

import ipywidgets as widgets
from matplotlib.figure import Figure
from matplotlib.ticker import PercentFormatter

from digitlab.i18n import tr
from digitlab.plots import STYLE, plot_accuracy_vs_train_size, plot_history


def _entry(run: Any) -> tuple[float, Mapping[str, list[float]]]:
    """(accuracy, history) from a dict {"accuracy", "history"} or a run object with
    `.accuracy` and `.result.history` (a `compare.RunSummary`) or `.history`."""
    if isinstance(run, Mapping):
        accuracy, history = run.get("accuracy"), run.get("history")
    else:
        accuracy = getattr(run, "accuracy", None)
        history = getattr(getattr(run, "result", run), "history", None)
        history = getattr(history, "history", history)  # a keras History
    if accuracy is None or not isinstance(history, Mapping):
        raise ValueError(
            "each run must be a dict with 'accuracy' and 'history' (metric -> per-epoch values) "
            f"or a RunSummary, got {run!r}"
        )
    return float(accuracy), {k: [float(v) for v in values] for k, values in history.items()}


class TrainSizeExplorer(widgets.VBox):
    """A slider over the training-set sizes lesson 04 trained, showing for the chosen size
    each model's validation accuracy and learning curves (lesson 04).

    `results` is `{model name: {size: run}}`, a run being `{"accuracy": float, "history":
    {"accuracy": [...], "val_accuracy": [...], ...}}` or a `compare.RunSummary`; every
    model needs every size. Set `slider.value` to a size from Python as a reader would.
    """

    def __init__(self, results: Mapping[str, Mapping[int, Any]]) -> None:
        if not results:
            raise ValueError("results is empty: pass {model name: {size: run}}")
        self.runs = {
            str(name): {int(size): _entry(run) for size, run in by_size.items()}
            for name, by_size in results.items()
        }
        size_sets = {name: sorted(by_size) for name, by_size in self.runs.items()}
        self.sizes = next(iter(size_sets.values()))
        if not self.sizes or any(sizes != self.sizes for sizes in size_sets.values()):
            raise ValueError(f"every model needs runs for the same sizes, got {size_sets}")
        self.slider = widgets.SelectionSlider(
            options=[(f"{size:,}", size) for size in self.sizes],
            value=self.sizes[-1],
            description=tr("plot.explorer.slider"),
            style={"description_width": "initial"},
            layout=widgets.Layout(width="480px"),
        )
        self.summary = widgets.HTML()
        self.image = widgets.Image(format="png")
        self.slider.observe(lambda change: self._show(change["new"]), names="value")
        self._show(self.slider.value)
        super().__init__([self.slider, self.summary, self.image])

    def text(self, size: int) -> str:
        """One line per model: its validation accuracy at `size` training images."""
        return "\n".join(
            tr("plot.explorer.line", name=name, accuracy=f"{by_size[size][0]:.2%}",
               size=f"{size:,}")
            for name, by_size in self.runs.items()
        )

    def figure(self, size: int) -> Figure:
        """Accuracy against training-set size with `size` marked, and the learning curves of
        the runs on `size` images: a new Figure (not registered with pyplot)."""
        figure = Figure(figsize=(10, 3.6), layout="constrained")
        by_size_ax, curves_ax = figure.subplots(1, 2)
        plot_accuracy_vs_train_size(
            {name: {s: by_size[s][0] for s in self.sizes} for name, by_size in self.runs.items()},
            ax=by_size_ax,
        )
        for colour, by_size in zip(STYLE.palette, self.runs.values(), strict=False):
            by_size_ax.plot([size], [by_size[size][0]], "o", ms=11, color=colour, alpha=0.4)
        by_size_ax.axvline(size, color=STYLE.muted, lw=1)
        by_size_ax.tick_params(axis="x", labelrotation=45)
        by_size_ax.set_title(tr("plot.explorer.by_size"))
        plot_history({name: by_size[size][1] for name, by_size in self.runs.items()},
                     metrics="accuracy", ax=curves_ax)
        curves_ax.set_title(tr("plot.explorer.curves", size=f"{size:,}"))
        curves_ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=1))
        return figure

    def _show(self, size: int) -> None:
        self.summary.value = "<br>".join(self.text(size).splitlines())
        buffer = io.BytesIO()
        self.figure(size).savefig(buffer, format="png", dpi=80)
        self.image.value = buffer.getvalue()
