"""Every picture of the course: digits, learning curves, confusion matrices, model comparisons.

All helpers share one look (`STYLE`, applied per figure with `plt.rc_context`, never by
changing the global rcParams), take `ax=None`, return what they drew on and never call
`plt.show()`. Keras is only imported by the helpers that inspect a model and by
`LiveHistory`, so `import digitlab.plots` stays quick.
"""

from __future__ import annotations

import functools
import io
import math
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
from cycler import cycler
from matplotlib.axes import Axes
from matplotlib.container import BarContainer
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator, PercentFormatter

from digitlab.config import INPUT_SHAPE, N_CLASSES
from digitlab.i18n import tr, tr_name

if TYPE_CHECKING:
    import keras

    from digitlab.predict import Predictor

__all__ = [
    "STYLE",
    "LiveHistory",  # noqa: F822 - built on first use by __getattr__ below
    "Style",
    "plot_accuracy_vs_train_size",
    "plot_confusion_matrix",
    "plot_history",
    "plot_model_comparison",
    "plot_probabilities",
    "show_digits",
    "show_feature_maps",
    "show_filters",
    "show_preprocessing",
    "update_probabilities",
]

DEFAULT_METRICS = ("loss", "accuracy")


@dataclass(frozen=True)
class Style:
    """The course's look: colours (Okabe-Ito, colour-blind safe) and font sizes.

    Every helper here draws with `STYLE`.
    """

    palette: tuple[str, ...] = (
        "#0072B2",
        "#E69F00",
        "#009E73",
        "#CC79A7",
        "#56B4E9",
        "#D55E00",
        "#000000",
    )
    highlight: str = "#0072B2"  # the predicted class among the probability bars
    muted: str = "#B8C2CC"  # the other bars
    mistake: str = "#D62728"  # titles of wrongly predicted digits
    ink: str = "#222222"  # other titles
    digit_cmap: str = "gray_r"  # ink dark on white paper
    heat_cmap: str = "Blues"
    activation_cmap: str = "viridis"
    weight_cmap: str = "RdBu_r"  # diverging: negative weights blue, positive red
    font_size: float = 10.0
    title_size: float = 11.0
    small_size: float = 8.0
    grid_alpha: float = 0.3

    def rc(self) -> dict[str, Any]:
        """The rcParams for `plt.rc_context` (a fresh dict each call)."""
        return {
            "font.size": self.font_size,
            "axes.titlesize": self.title_size,
            "axes.labelsize": self.font_size,
            "xtick.labelsize": self.small_size + 1,
            "ytick.labelsize": self.small_size + 1,
            "legend.fontsize": self.small_size + 1,
            "figure.titlesize": self.title_size + 1,
            "axes.prop_cycle": cycler(color=self.palette),
            "axes.spines.top": False,
            "axes.spines.right": False,
            "figure.constrained_layout.use": True,
        }


STYLE = Style()

_P = ParamSpec("_P")
_R = TypeVar("_R")


def styled(func: Callable[_P, _R]) -> Callable[_P, _R]:
    """Run a plotting function inside `plt.rc_context(STYLE.rc())`: the course's look,
    without touching the global rcParams. Lesson helpers that draw use it too.

    A notebook's backend may load during the first figure and switch interactive mode on;
    leaving `rc_context` would switch it off again and no later figure would show, so the
    mode the figure left is kept.
    """

    @functools.wraps(func)
    def wrapper(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        with plt.rc_context(STYLE.rc()):
            result = func(*args, **kwargs)
            interactive = matplotlib.is_interactive()
        matplotlib.interactive(interactive)
        return result

    return wrapper


def _image_grid(n: int, ncols: int, cell: tuple[float, float]) -> tuple[Figure, list[Axes]]:
    """A figure with `n` axis-less cells, `ncols` per row (unused cells removed)."""
    ncols = max(1, min(ncols, n))
    nrows = math.ceil(n / ncols)
    fig, axes = plt.subplots(
        nrows, ncols, figsize=(cell[0] * ncols, cell[1] * nrows), squeeze=False
    )
    flat = list(axes.ravel())
    for ax in flat[n:]:
        ax.remove()
    for ax in flat[:n]:
        ax.set_axis_off()
    return fig, flat[:n]


def _as_image_stack(images: Any) -> np.ndarray:
    """(N,H,W) from (N,H,W), (N,H,W,1) or one (H,W) image."""
    arr = np.asarray(images)
    if arr.ndim == 4 and arr.shape[-1] == 1:
        arr = arr[..., 0]
    elif arr.ndim == 2:
        arr = arr[None]
    if arr.ndim != 3:
        raise ValueError(
            f"expected images of shape (N, 28, 28) or (N, 28, 28, 1), got shape {arr.shape}"
        )
    if len(arr) == 0:
        raise ValueError("expected at least one image, got an empty array")
    return arr


def _per_image(name: str, values: Any, n: int, shape: tuple[int, ...] = ()) -> np.ndarray:
    """`values` as an array of `n` rows of `shape`, or a ValueError naming `name`."""
    arr = np.asarray(values)
    if arr.shape != (n, *shape):
        want = ", ".join(str(d) for d in (n, *shape))
        raise ValueError(
            f"{name} must have shape ({want}) to match the {n} images, got shape {arr.shape}"
        )
    return arr


def _check_probabilities(name: str, probs: np.ndarray) -> None:
    if not np.all(np.isfinite(probs)) or probs.min() < -1e-6 or probs.max() > 1 + 1e-6:
        raise ValueError(
            f"{name} must be probabilities in [0, 1] (the softmax output of the model), "
            f"got values from {np.nanmin(probs):.3g} to {np.nanmax(probs):.3g}"
        )


def _digit_title(label: int | None, pred: int | None, conf: float | None) -> tuple[str, bool]:
    """The title of one digit and whether it is a mistake."""
    wrong = label is not None and pred is not None and label != pred
    text = f"{label} -> {pred}" if wrong else str(label if label is not None else pred)
    if conf is not None:
        text += f" ({conf:.0%})"
    return text, wrong


@styled
def show_digits(
    images: Any,
    labels: Any = None,
    preds: Any = None,
    probs: Any = None,
    ncols: int = 8,
    *,
    title: str | None = None,
    max_images: int = 200,
) -> Figure:
    """A grid of digits titled with their labels (lesson 01_data).

    `images` is (N,28,28), (N,28,28,1) or one (28,28) image, uint8 in [0, 255] or float in [0, 1].
    With `preds` (N,) and/or `probs` (N,10) (lesson 02_dense_baseline), each title shows the
    predicted class and its confidence, e.g. "7 (98%)"; a wrong prediction gets a red
    title "7 -> 1 (64%)". `preds` defaults to the argmax of `probs`. Slice large arrays:
    more than `max_images` images is a ValueError.
    """
    batch = _as_image_stack(images)
    n = len(batch)
    if n > max_images:
        raise ValueError(
            f"{n} images is too many for one figure (max_images={max_images}); "
            f"pass a slice such as images[:32]"
        )
    if ncols < 1:
        raise ValueError(f"ncols must be at least 1, got {ncols}")
    label_arr = None if labels is None else _per_image("labels", labels, n)
    prob_arr = None if probs is None else _per_image("probs", probs, n, (N_CLASSES,))
    if prob_arr is not None:
        _check_probabilities("probs", prob_arr)
    if preds is None and prob_arr is not None:
        preds = prob_arr.argmax(axis=1)
    pred_arr = None if preds is None else _per_image("preds", preds, n)

    vmax = 255 if np.issubdtype(batch.dtype, np.integer) or batch.max() > 1 else 1
    fig, axes = _image_grid(n, ncols, cell=(1.1, 1.3))
    for i, ax in enumerate(axes):
        ax.imshow(batch[i], cmap=STYLE.digit_cmap, vmin=0, vmax=vmax)
        label = None if label_arr is None else int(label_arr[i])
        pred = None if pred_arr is None else int(pred_arr[i])
        if label is None and pred is None:
            continue
        conf = None if prob_arr is None or pred is None else float(prob_arr[i, pred])
        text, wrong = _digit_title(label, pred, conf)
        ax.set_title(
            text,
            fontsize=STYLE.small_size + 1,
            color=STYLE.mistake if wrong else STYLE.ink,
            fontweight="bold" if wrong else "normal",
        )
    if title:
        fig.suptitle(title)
    return fig


def _history_dict(history: Any) -> Mapping[str, Sequence[float]]:
    """A keras History or its `.history` dict, as the dict."""
    record = getattr(history, "history", history)
    if not isinstance(record, Mapping):
        raise ValueError(
            "expected a keras History, a dict like History.history "
            "({'loss': [...], 'val_loss': [...]}) or a dict name -> history, "
            f"got {type(history).__name__}"
        )
    return record


def _runs(history: Any) -> dict[str | None, Mapping[str, Sequence[float]]]:
    """One history (name None) or several named ones, as name -> History.history dict."""
    record = _history_dict(history)
    nested = [hasattr(v, "history") or isinstance(v, Mapping) for v in record.values()]
    if record and all(nested):
        return {str(name): _history_dict(run) for name, run in record.items()}
    if any(nested):
        raise ValueError(
            "mixed history dict: pass either one history ({'loss': [...]}) or a dict "
            "name -> history for several runs, not both"
        )
    return {None: record}


def _check_metrics(
    record: Mapping[str, Sequence[float]], metrics: Sequence[str], run: str | None = None
) -> None:
    missing = [m for m in metrics if m not in record]
    if missing:
        where = "the history" if run is None else f"the history of {run!r}"
        raise ValueError(
            f"{where} has no {', '.join(map(repr, missing))}; it records "
            f"{sorted(record)}. Pass metrics=... with names from that list "
            "(compile the model with metrics=['accuracy'] to record accuracy)"
        )


def _metric_name(metric: str) -> str:
    """A metric Keras records ("loss", "accuracy") in the learner's language; any other
    name as written, underscores as spaces."""
    return tr_name("plot.metric", metric).replace("_", " ")


def _metric_axes(ax: Axes | Sequence[Axes] | None, n: int) -> list[Axes]:
    if ax is None:
        _, axes = plt.subplots(1, n, figsize=(4.5 * n, 3.4), squeeze=False)
        return list(axes.ravel())
    axes = [ax] if isinstance(ax, Axes) else list(np.asarray(ax, dtype=object).ravel())
    if len(axes) != n:
        raise ValueError(f"got {len(axes)} axes for {n} metrics; pass one Axes per metric")
    return axes


@styled
def plot_history(
    history: Any,
    metrics: str | Sequence[str] = DEFAULT_METRICS,
    ax: Axes | Sequence[Axes] | None = None,
) -> Axes | np.ndarray:
    """Training (solid) and validation (dashed) curves, one Axes per metric.

    Lesson 02_dense_baseline. `history` is a keras History, its `.history` dict, or a dict
    name -> history to compare several runs on the same axes (lesson 04_comparing_models;
    one colour per run).
    `ax`: an Axes for a single metric or a sequence of one Axes per metric.
    Returns the Axes for a single metric, else an array of Axes.
    """
    names = (metrics,) if isinstance(metrics, str) else tuple(metrics)
    if not names:
        raise ValueError("metrics is empty; pass e.g. metrics=('loss', 'accuracy')")
    runs = _runs(history)
    for run, record in runs.items():
        _check_metrics(record, names, run)
    axes = _metric_axes(ax, len(names))
    for metric, axis in zip(names, axes, strict=True):
        for i, (run, record) in enumerate(runs.items()):
            color = STYLE.palette[i % len(STYLE.palette)]
            for key, kind, style in ((metric, "train", "-"), (f"val_{metric}", "validation", "--")):
                values = record.get(key)
                if values is None:
                    continue
                epochs = np.arange(1, len(values) + 1)
                kind = tr(f"plot.curve.{kind}")
                label = kind if run is None else tr("plot.curve.run", run=run, kind=kind)
                axis.plot(epochs, values, style, marker="o", markersize=3, color=color, label=label)
        axis.set_title(_metric_name(metric))
        axis.set_xlabel(tr("plot.epoch"))
        axis.set_ylabel(_metric_name(metric))
        axis.xaxis.set_major_locator(MaxNLocator(integer=True))
        axis.grid(True, alpha=STYLE.grid_alpha)
        axis.legend()
    if isinstance(ax, Axes) or (ax is None and len(axes) == 1):
        return axes[0]
    return np.asarray(axes, dtype=object)


def _in_notebook() -> bool:
    """True inside a Jupyter kernel (an IPython shell with a kernel attached)."""
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    return getattr(shell, "kernel", None) is not None


class _LiveCurves:
    """Redraw the learning curves after each epoch (lesson 03_cnn_with_dropout).

    In a notebook the figure is replaced in place (`clear_output(wait=True)`) and drawn by
    `plot_history`; elsewhere one text line is printed per epoch, or nothing with
    `verbose=0`. `metrics=None` plots loss and, if recorded, accuracy. `notebook=None`
    detects a Jupyter kernel. The record is kept in `.history` (it continues across
    several `fit` calls) and the figure in `.figure`.
    Usage: `model.fit(x, y, validation_split=0.1, verbose=0, callbacks=[LiveHistory()])`.
    """

    def __init__(
        self,
        metrics: Sequence[str] | None = None,
        *,
        verbose: int = 1,
        notebook: bool | None = None,
    ) -> None:
        super().__init__()
        self.metrics = None if metrics is None else tuple(metrics)
        self.verbose = verbose
        self.notebook = _in_notebook() if notebook is None else notebook
        self.history: dict[str, list[float]] = {}
        self.figure: Figure | None = None

    def _chosen_metrics(self) -> tuple[str, ...]:
        if self.metrics is None:
            return tuple(m for m in DEFAULT_METRICS if m in self.history)
        _check_metrics(self.history, self.metrics)
        return self.metrics

    def on_epoch_end(self, epoch: int, logs: Mapping[str, float] | None = None) -> None:
        for key, value in (logs or {}).items():
            self.history.setdefault(key, []).append(float(value))
        metrics = self._chosen_metrics()
        if self.notebook:
            self._redraw(metrics)
        elif self.verbose:
            total = (getattr(self, "params", None) or {}).get("epochs")
            keys = [k for m in metrics for k in (m, f"val_{m}") if k in self.history]
            values = ", ".join(f"{k} {self.history[k][-1]:.4f}" for k in keys)
            number = f"{epoch + 1}{f'/{total}' if total else ''}"
            print(tr("plot.live_epoch", epoch=number, values=values), flush=True)

    @styled
    def _redraw(self, metrics: tuple[str, ...]) -> None:
        from IPython.display import Image, clear_output, display

        if self.figure is None or len(self.figure.axes) != len(metrics):
            # A bare Figure, not pyplot's: nothing shows it twice at the end of the cell.
            self.figure = Figure(figsize=(4.5 * len(metrics), 3.4))
            self.figure.subplots(1, len(metrics), squeeze=False)
        for axis in self.figure.axes:
            axis.clear()
        plot_history(self.history, metrics, ax=self.figure.axes)
        # Sent as a PNG so it shows whatever matplotlib backend the notebook has set up.
        png = io.BytesIO()
        self.figure.savefig(png, format="png")
        clear_output(wait=True)
        display(Image(data=png.getvalue(), format="png"))


@functools.cache
def _live_history_class() -> type:
    import keras

    class LiveHistory(_LiveCurves, keras.callbacks.Callback):
        __doc__ = _LiveCurves.__doc__
        __qualname__ = "LiveHistory"

    return LiveHistory


def __getattr__(name: str) -> Any:
    # `LiveHistory` subclasses keras' Callback: build it on first use so importing this
    # module does not load TensorFlow.
    if name == "LiveHistory":
        return _live_history_class()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@styled
def plot_confusion_matrix(cm: Any, normalize: bool = False, ax: Axes | None = None) -> Axes:
    """The confusion matrix as an annotated heat map, rows true, columns predicted.

    Lesson 04_comparing_models. `normalize=True` shows each row as fractions of that true class.
    """
    mat = np.asarray(cm, dtype=float)
    if mat.ndim != 2 or mat.shape[0] != mat.shape[1] or mat.size == 0:
        raise ValueError(f"expected a square confusion matrix (10, 10), got shape {mat.shape}")
    if not np.all(np.isfinite(mat)) or mat.min() < 0:
        raise ValueError("the confusion matrix must hold non-negative counts")
    if normalize:
        totals = mat.sum(axis=1, keepdims=True)
        mat = np.divide(mat, totals, out=np.zeros_like(mat), where=totals > 0)
    if ax is None:
        _, ax = plt.subplots(figsize=(6.2, 5.6))
    n = len(mat)
    ax.imshow(mat, cmap=STYLE.heat_cmap, vmin=0, vmax=1 if normalize else max(mat.max(), 1))
    dark = (mat.max() or 1) * 0.55
    for (i, j), value in np.ndenumerate(mat):
        ax.text(
            j,
            i,
            f"{value:.2f}" if normalize else f"{value:.0f}",
            ha="center",
            va="center",
            fontsize=STYLE.small_size,
            color="white" if value > dark else "black",
        )
    ax.spines[:].set_visible(False)
    ax.set_xticks(range(n))
    ax.set_yticks(range(n))
    ax.set_xlabel(tr("plot.confusion.predicted"))
    ax.set_ylabel(tr("plot.confusion.true"))
    ax.set_title(tr("plot.confusion.title_normalized" if normalize else "plot.confusion.title"))
    return ax


def _probability_vector(probs: Any) -> np.ndarray:
    vec = np.asarray(probs, dtype=float)
    if vec.shape == (1, N_CLASSES):
        vec = vec[0]
    if vec.shape != (N_CLASSES,):
        raise ValueError(f"expected 10 class probabilities, shape (10,), got shape {vec.shape}")
    _check_probabilities("probs", vec)
    return vec


def update_probabilities(target: Axes | BarContainer, probs: Any) -> BarContainer:
    """Set the bars drawn by `plot_probabilities` to new `probs` in place.

    Changes only bar heights, colours and the title, for a figure you update yourself
    (the DrawingPad draws its own bars as widgets); then `fig.canvas.draw_idle()`
    (interactive backend) or display the figure again. `target` is that Axes or its
    BarContainer. Returns the BarContainer.
    """
    bars = target
    if isinstance(target, Axes):
        found = [c for c in target.containers if isinstance(c, BarContainer)]
        if not found:
            raise ValueError(
                "this Axes has no probability bars; draw them with plot_probabilities(probs, ax=ax)"
            )
        bars = found[0]
    if len(bars.patches) != N_CLASSES:
        raise ValueError(f"expected the 10 bars of plot_probabilities, got {len(bars.patches)}")
    vec = _probability_vector(probs)
    top = int(vec.argmax())
    for digit, (bar, p) in enumerate(zip(bars.patches, vec, strict=True)):
        bar.set_height(p)
        bar.set_color(STYLE.highlight if digit == top else STYLE.muted)
    bars.patches[0].axes.set_title(
        tr("plot.probabilities.title", digit=top, confidence=f"{vec[top]:.0%}")
    )
    return bars


@styled
def plot_probabilities(probs: Any, ax: Axes | None = None) -> Axes:
    """The 10 class probabilities as bars, the predicted class highlighted.

    Lesson 02_dense_baseline.
    For live updates keep the Axes and call `update_probabilities(ax, new_probs)`.
    """
    vec = _probability_vector(probs)
    if ax is None:
        _, ax = plt.subplots(figsize=(4.5, 3))
    bars = ax.bar(range(N_CLASSES), np.zeros(N_CLASSES), width=0.7)
    update_probabilities(bars, vec)
    ax.set_xticks(range(N_CLASSES))
    ax.set_xlim(-0.6, N_CLASSES - 0.4)
    ax.set_ylim(0, 1)
    ax.set_xlabel(tr("plot.digit"))
    ax.set_ylabel(tr("plot.probability"))
    ax.grid(True, axis="y", alpha=STYLE.grid_alpha)
    return ax


_COMPARISON_KEYS = ("accuracy", "params", "seconds")


def _model_results(results: Any) -> list[tuple[str, list[dict[str, float]]]]:
    """[(name, [row of each seed])] in order of first appearance; rows with one name are
    the seeds of one model."""
    if isinstance(results, Mapping):
        rows = [(str(name), row) for name, row in results.items()]
    else:
        rows = []
        for row in results:
            if not isinstance(row, Mapping) or "name" not in row:
                raise ValueError(
                    "each result in the list must be a dict with a 'name' and "
                    f"{', '.join(map(repr, _COMPARISON_KEYS))}, got {row!r}"
                )
            rows.append((str(row["name"]), row))
    if not rows:
        raise ValueError("results is empty; pass at least one model's results")
    grouped: dict[str, list[dict[str, float]]] = {}
    for name, row in rows:
        missing = [k for k in _COMPARISON_KEYS if k not in row]
        if missing:
            raise ValueError(f"the results of {name!r} lack {', '.join(map(repr, missing))}")
        grouped.setdefault(name, []).append({k: float(row[k]) for k in _COMPARISON_KEYS})
    return list(grouped.items())


def _count(n: float) -> str:
    """1234 -> '1.2k', 101770 -> '102k', 1.2e6 -> '1.2M'."""
    for size, unit in ((1e6, "M"), (1e3, "k")):
        if n >= size:
            return f"{n / size:.{1 if n < 10 * size else 0}f}{unit}"
    return f"{n:.0f}"


@styled
def plot_model_comparison(
    results: Any, ax: Sequence[Axes] | None = None
) -> Figure | Sequence[Axes]:
    """Validation error, parameter count and training time of several models.

    Lesson 04_comparing_models.
    `results`: a dict name -> {"accuracy", "params", "seconds"} or a list of such dicts,
    each with a "name"; several dicts with one name are seeds of one model. The first
    panel shows the error (1 - accuracy) from zero, so bar heights compare honestly: a
    model with several seeds gets its mean as the bar, its seeds as dots and their range
    as a line; a model with one seed is hatched. Times are means. `ax` may be a sequence
    of three Axes to draw on. Returns the new Figure, or the axes given.
    """
    rows = _model_results(results)
    if ax is None:
        width = min(15.0, max(9.0, 1.3 * 3 * len(rows)))  # names rotate past 3 models
        fig, panels = plt.subplots(1, 3, figsize=(width, 3.4))
    else:
        panels = list(ax)
        if len(panels) != 3:
            raise ValueError(f"pass three Axes (error, parameters, time), got {len(panels)}")
    names = [name for name, _ in rows]
    colors = [STYLE.palette[i % len(STYLE.palette)] for i in range(len(rows))]
    errors = [[1 - seed["accuracy"] for seed in seeds] for _, seeds in rows]
    panel_specs = (
        (tr("plot.comparison.error"), [np.mean(e) for e in errors], lambda v: f"{v:.2%}"),
        (tr("plot.comparison.params"), [seeds[0]["params"] for _, seeds in rows], _count),
        (tr("plot.comparison.seconds"),
         [np.mean([s["seconds"] for s in seeds]) for _, seeds in rows],
         lambda v: f"{v:.0f} s" if v >= 10 else f"{v:.1f} s"),
    )
    for panel, (title, values, fmt) in zip(panels, panel_specs, strict=True):
        panel.bar(names, values, color=colors, width=0.6)
        tops = [max(e) for e in errors] if panel is panels[0] else values  # above the range
        for x, top, value in zip(range(len(rows)), tops, values, strict=True):
            panel.annotate(fmt(value), (x, top), xytext=(0, 2), textcoords="offset points",
                           ha="center", va="bottom", fontsize=STYLE.small_size + 1)
        panel.set_title(title)
        panel.margins(y=0.15)
        panel.grid(True, axis="y", alpha=STYLE.grid_alpha)
        if len(rows) > 3:
            panel.tick_params(axis="x", labelrotation=30)
    error_ax = panels[0]
    for i, (bar, seed_errors) in enumerate(zip(error_ax.patches, errors, strict=True)):
        if len(seed_errors) == 1:
            bar.set(hatch="//", edgecolor="white")
        else:
            error_ax.plot([i] * len(seed_errors), seed_errors, "o", color=STYLE.ink, ms=3)
            error_ax.vlines(i, min(seed_errors), max(seed_errors), color=STYLE.ink, lw=1.5)
    if any(len(e) == 1 for e in errors) and any(len(e) > 1 for e in errors):
        error_ax.set_xlabel(tr("plot.comparison.legend"), fontsize=STYLE.small_size)
    error_ax.set_ylim(0, None)
    error_ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=1))
    panels[1].yaxis.set_major_formatter(FuncFormatter(lambda v, _: _count(v)))
    return fig if ax is None else ax


def _size_curve(name: str, points: Any) -> tuple[np.ndarray, np.ndarray]:
    pairs = list(points.items()) if isinstance(points, Mapping) else list(points)
    pairs = [  # a run (`.accuracy`) in place of an accuracy
        (pair[0], getattr(pair[1], "accuracy", pair[1]))
        if isinstance(pair, tuple) and len(pair) == 2 else pair
        for pair in pairs
    ]
    arr = np.asarray(pairs, dtype=float)
    if arr.ndim != 2 or arr.shape[1] != 2 or len(arr) == 0:
        raise ValueError(
            f"the results of {name!r} must be {{train_size: accuracy}} or a list of "
            f"(train_size, accuracy) pairs, got {points!r}"
        )
    if arr[:, 0].min() <= 0:
        raise ValueError(f"the training sizes of {name!r} must be positive (log axis)")
    arr = arr[arr[:, 0].argsort()]
    return arr[:, 0], arr[:, 1]


@styled
def plot_accuracy_vs_train_size(results: Mapping[str, Any], ax: Axes | None = None) -> Axes:
    """Validation accuracy against training-set size, one line per model, log x.

    Lesson 04_comparing_models.
    `results`: model name -> {train_size: accuracy} or a list of (train_size, accuracy);
    an accuracy may also be a run with `.accuracy` (what `compare.sweep_train_sizes` gives).
    The x axis is labelled with the sizes.
    """
    if not isinstance(results, Mapping) or not results:
        raise ValueError("results must be a non-empty dict model name -> {train_size: accuracy}")
    curves = {str(name): _size_curve(str(name), points) for name, points in results.items()}
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 4))
    for i, (name, (sizes, accs)) in enumerate(curves.items()):
        ax.plot(sizes, accs, marker="o", color=STYLE.palette[i % len(STYLE.palette)], label=name)
    ax.set_xscale("log")
    all_sizes = sorted({int(size) for sizes, _ in curves.values() for size in sizes})
    ax.set_xticks(all_sizes, [f"{size:,}" for size in all_sizes])
    ax.minorticks_off()
    ax.set_xlabel(tr("plot.sizes.xlabel"))
    ax.set_ylabel(tr("plot.sizes.ylabel"))
    ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=1))
    ax.set_title(tr("plot.sizes.title"))
    ax.grid(True, alpha=STYLE.grid_alpha)
    ax.legend()
    return ax


def _conv_layer(model: keras.Model, layer: str | keras.layers.Layer | None) -> Any:
    """`layer` (a name or a layer of `model`), or the model's first Conv2D."""
    import keras

    if layer is None:
        convs = [lay for lay in model.layers if isinstance(lay, keras.layers.Conv2D)]
        if not convs:
            raise ValueError(
                f"the model has no Conv2D layer (layers: {[lay.name for lay in model.layers]}); "
                "feature maps and filters need a convolutional model such as build_cnn()"
            )
        return convs[0]
    return model.get_layer(layer) if isinstance(layer, str) else layer


@styled
def show_feature_maps(
    model: keras.Model,
    image: Any,
    layer: str | keras.layers.Layer | None = None,
    *,
    ncols: int = 8,
    before_activation: bool = False,
) -> Figure:
    """The activations of a conv layer (default: the first Conv2D) for one image.

    Lesson 03_cnn_with_dropout.
    `image` is (28,28) or (28,28,1), uint8 or float in [0, 1]; it is scaled like the
    training data (`digitlab.data.normalize_images`). All maps share one colour scale,
    shown by a colour bar, so a dim map is a weak response. `before_activation=True` (a
    Conv2D layer only) shows the weighted sums before the layer's own activation (its
    ReLU clips the negative ones to 0), on a scale centred on 0: red positive, blue
    negative. Returns the Figure.
    """
    import keras

    from digitlab.data import normalize_images

    target = _conv_layer(model, layer)
    img = np.asarray(image)
    if img.shape not in (INPUT_SHAPE[:2], INPUT_SHAPE):
        raise ValueError(f"expected one image of shape (28, 28) or (28, 28, 1), got {img.shape}")
    if before_activation and not isinstance(target, keras.layers.Conv2D):
        raise ValueError(
            f"layer {target.name!r} is a {type(target).__name__}; only a Conv2D layer has "
            "maps before its activation"
        )
    probe = keras.Model(model.inputs[0], target.input if before_activation else target.output)
    maps = keras.ops.convert_to_numpy(probe(normalize_images(img[None]), training=False))
    if before_activation:
        sums = target.convolution_op(maps, target.kernel)
        if target.use_bias:
            sums = sums + target.bias
        maps = keras.ops.convert_to_numpy(sums)
    if maps.ndim != 4:
        raise ValueError(
            f"layer {target.name!r} outputs shape {maps.shape[1:]}, not image-like feature "
            "maps (height, width, channels); pick a Conv2D or pooling layer"
        )
    maps = maps[0]
    fig, axes = _image_grid(maps.shape[-1], ncols, cell=(1.2, 1.2))
    if before_activation:
        high = float(np.abs(maps).max()) or 1.0
        low, cmap, label = -high, STYLE.weight_cmap, tr("plot.maps.weighted_sum")
        when = tr("plot.maps.before")
    else:
        low, high = float(maps.min()), float(maps.max())
        cmap, label = STYLE.activation_cmap, tr("plot.maps.activation")
        when = tr("plot.maps.one_scale")
    for channel, axis in enumerate(axes):
        shown = axis.imshow(maps[..., channel], cmap=cmap, vmin=low, vmax=high)
        axis.set_title(str(channel), fontsize=STYLE.small_size)
    fig.colorbar(shown, ax=axes, shrink=0.8, label=label)
    fig.suptitle(tr("plot.maps.title", layer=repr(target.name), channels=maps.shape[-1], when=when))
    return fig


@styled
def show_filters(
    model: keras.Model, layer: str | keras.layers.Layer | None = None, *, ncols: int = 8
) -> Figure:
    """The kernels of a conv layer (default: the first Conv2D), input channel 0.

    Lesson 03_cnn_with_dropout.
    One shared colour scale centred on 0, with a colour bar: red weights excite, blue
    ones inhibit.
    """
    target = _conv_layer(model, layer)
    kernel = getattr(target, "kernel", None)
    if kernel is None or len(kernel.shape) != 4:
        raise ValueError(
            f"layer {target.name!r} has no 2-D convolution kernel; pick a Conv2D layer"
        )
    weights = np.asarray(kernel.numpy())[:, :, 0, :]
    limit = float(np.abs(weights).max()) or 1.0
    fig, axes = _image_grid(weights.shape[-1], ncols, cell=(1.0, 1.1))
    for index, axis in enumerate(axes):
        shown = axis.imshow(weights[..., index], cmap=STYLE.weight_cmap, vmin=-limit, vmax=limit)
        axis.set_title(str(index), fontsize=STYLE.small_size)
    fig.colorbar(shown, ax=axes, shrink=0.8, label=tr("plot.filters.weight"))
    kh, kw = weights.shape[:2]
    fig.suptitle(tr("plot.filters.title", layer=repr(target.name), size=f"{kh}x{kw}"))
    return fig


@styled
def show_preprocessing(canvas: np.ndarray, predictor: Predictor | None = None) -> Figure:
    """What happens to a drawing before the model sees it, in four pictures. Lesson 06.

    The canvas as drawn (the ink's bounding box in red); the ink, cropped; the whole canvas
    squashed to 28x28 (`naive_squash`, what most tutorials feed the model); and
    `canvas_to_mnist`: the crop scaled to 20 px and placed so its centre of mass (+) sits
    at the centre (dotted). The steps come from `digitlab.preprocess.mnist_steps`.

    Parameters
    ----------
    canvas : a drawing (any image `canvas_to_mnist` accepts).
    predictor : if given, the two 28x28 panels are titled with its answer.

    Returns
    -------
    The Figure.
    """
    from digitlab.preprocess import MNIST_CENTRE, mnist_steps, naive_squash

    steps, squashed = mnist_steps(canvas), naive_squash(canvas)
    top, left, bottom, right = steps.box
    fig, axes = plt.subplots(1, 4, figsize=(11, 3.2))
    canvas_ax, crop_ax, squash_ax, recipe_ax = axes
    canvas_ax.imshow(canvas, cmap="gray" if np.ndim(canvas) == 2 else None)
    canvas_ax.add_patch(plt.Rectangle((left - 0.5, top - 0.5), right - left, bottom - top,
                                      fill=False, ec=STYLE.mistake, lw=1.5))
    canvas_ax.set_title(tr("plot.steps.canvas", size=f"{steps.ink.shape[1]}x{steps.ink.shape[0]}"))
    crop_ax.imshow(steps.crop, cmap="gray")
    crop_ax.set_title(tr("plot.steps.crop", size=f"{steps.crop.shape[1]}x{steps.crop.shape[0]}"))
    for ax, image, title in ((squash_ax, squashed, tr("plot.steps.naive")),
                             (recipe_ax, steps.image, tr("plot.steps.recipe"))):
        ax.imshow(image, cmap="gray", vmin=0, vmax=1)
        if predictor is not None:
            probabilities = predictor.predict_proba(image)
            best = int(probabilities.argmax())
            answer = tr("plot.steps.model", digit=best, confidence=f"{probabilities[best]:.0%}")
            title += "\n" + answer
        ax.set_title(title)
    centre_y, centre_x = steps.centre
    recipe_ax.plot(centre_x, centre_y, "+", color=STYLE.palette[1], ms=14, mew=2)
    recipe_ax.axhline(MNIST_CENTRE, ls=":", color=STYLE.palette[1])
    recipe_ax.axvline(MNIST_CENTRE, ls=":", color=STYLE.palette[1])
    for ax in axes:
        ax.set_xticks([])
        ax.set_yticks([])
    return fig
