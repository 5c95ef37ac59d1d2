"""Tests of digitlab.plots: what each helper draws, on small inputs, headless (Agg)."""

from __future__ import annotations

import dataclasses
import subprocess
import sys

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
from fake_models import answers, tiny_cnn
from matplotlib.colors import same_color

from digitlab import plots

HISTORY = {
    "loss": [0.9, 0.5, 0.3],
    "val_loss": [0.8, 0.6, 0.5],
    "accuracy": [0.7, 0.85, 0.9],
    "val_accuracy": [0.75, 0.8, 0.82],
}


def assert_saves_png(fig, tmp_path, name="figure.png"):
    path = tmp_path / name
    fig.savefig(path)
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def digit_images(n, dtype=np.uint8):
    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, (n, 28, 28)).astype(np.uint8)
    return images if dtype == np.uint8 else images.astype(dtype) / 255


def titles(fig):
    return [ax.get_title() for ax in fig.axes]


# --- style -------------------------------------------------------------------------------


def test_style_is_immutable():
    with pytest.raises(dataclasses.FrozenInstanceError):
        plots.STYLE.font_size = 20
    assert isinstance(plots.STYLE.palette, tuple)


def test_helpers_leave_global_rcparams_alone():
    before = dict(matplotlib.rcParams)
    plots.plot_history(HISTORY)
    plots.show_digits(digit_images(2), [1, 2])
    assert dict(matplotlib.rcParams) == before


def test_import_does_not_load_keras():
    code = "import sys, digitlab.plots; print('keras' in sys.modules, 'tensorflow' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


# --- show_digits ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "images",
    [digit_images(5), digit_images(5, np.float32), digit_images(5)[..., None]],
    ids=["uint8", "float", "channel"],
)
def test_show_digits_draws_one_image_per_digit_with_label_titles(images, tmp_path):
    fig = plots.show_digits(images, labels=[3, 1, 4, 1, 5], ncols=3)
    assert len(fig.axes) == 5  # unused grid cells are removed
    assert sum(len(ax.images) for ax in fig.axes) == 5
    assert fig.axes[0].images[0].get_array().shape == (28, 28)
    assert titles(fig) == ["3", "1", "4", "1", "5"]
    assert_saves_png(fig, tmp_path)


def test_show_digits_scales_uint8_and_float_alike():
    uint8 = plots.show_digits(digit_images(1)).axes[0].images[0]
    floats = plots.show_digits(digit_images(1, np.float32)).axes[0].images[0]
    assert uint8.get_clim() == (0, 255)
    assert floats.get_clim() == (0, 1)


def test_show_digits_marks_mistakes_in_red():
    fig = plots.show_digits(digit_images(3), labels=[7, 2, 9], preds=[1, 2, 9])
    assert titles(fig) == ["7 -> 1", "2", "9"]
    colors = [ax.title.get_color() for ax in fig.axes]
    assert same_color(colors[0], plots.STYLE.mistake)
    assert not same_color(colors[1], plots.STYLE.mistake)


def test_show_digits_shows_confidence_of_predicted_class():
    probs = np.full((2, 10), 0.01)
    probs[0, 7], probs[1, 1] = 0.91, 0.64  # predictions 7 and 1, taken from probs
    fig = plots.show_digits(digit_images(2), labels=[7, 7], probs=probs, title="test set")
    assert titles(fig) == ["7 (91%)", "7 -> 1 (64%)"]
    assert fig.get_suptitle() == "test set"


def test_show_digits_without_labels_titles_predictions():
    fig = plots.show_digits(digit_images(2), preds=[4, 2])
    assert titles(fig) == ["4", "2"]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"images": np.zeros((2, 28, 28, 3))}, r"\(N, 28, 28\)"),
        ({"images": np.zeros((0, 28, 28))}, "at least one image"),
        ({"labels": [1, 2]}, r"labels must have shape \(3\)"),
        ({"preds": [[1], [2], [3]]}, r"preds must have shape \(3\)"),
        ({"probs": np.full((3, 9), 0.1)}, r"probs must have shape \(3, 10\)"),
        ({"probs": np.full((3, 10), 3.0)}, r"probabilities in \[0, 1\]"),
        ({"max_images": 2}, r"too many .*images\[:32\]"),
        ({"ncols": 0}, "ncols"),
    ],
)
def test_show_digits_rejects_bad_input(kwargs, message):
    args = {"images": digit_images(3), **kwargs}
    with pytest.raises(ValueError, match=message):
        plots.show_digits(**args)


# --- plot_history --------------------------------------------------------------------------


def test_plot_history_draws_train_and_validation_per_metric(tmp_path):
    axes = plots.plot_history(HISTORY)
    assert len(axes) == 2
    for ax, metric in zip(axes, ("loss", "accuracy"), strict=True):
        assert ax.get_title() == metric
        assert ax.get_xlabel() == "epoch"
        assert [line.get_label() for line in ax.lines] == ["train", "validation"]
        assert list(ax.lines[0].get_xdata()) == [1, 2, 3]
    assert list(axes[0].lines[1].get_ydata()) == HISTORY["val_loss"]
    assert_saves_png(axes[0].figure, tmp_path)


def test_plot_history_single_metric_returns_one_axes_and_uses_given_ax():
    assert isinstance(plots.plot_history(HISTORY, "loss"), matplotlib.axes.Axes)
    _, ax = plt.subplots()
    assert plots.plot_history({"loss": [1.0, 0.5]}, metrics=("loss",), ax=ax) is ax
    assert len(ax.lines) == 1  # no val_loss recorded: only the training curve


def test_plot_history_draws_on_a_sequence_of_axes():
    _, (a, b) = plt.subplots(1, 2)
    result = plots.plot_history(HISTORY, ax=[a, b])
    assert list(result) == [a, b]
    assert len(a.lines) == len(b.lines) == 2


def test_plot_history_compares_several_runs_on_the_same_axes():
    runs = {"dense": HISTORY, "cnn": {k: [v * 0.5 for v in vals] for k, vals in HISTORY.items()}}
    loss_ax, _ = plots.plot_history(runs)
    labels = [line.get_label() for line in loss_ax.lines]
    assert labels == ["dense (train)", "dense (validation)", "cnn (train)", "cnn (validation)"]
    assert not same_color(loss_ax.lines[0].get_color(), loss_ax.lines[2].get_color())


@pytest.mark.parametrize(
    ("history", "kwargs", "message"),
    [
        ({"loss": [1.0]}, {}, r"no 'accuracy'.*\['loss'\]"),
        ({"a": HISTORY, "loss": [1.0]}, {}, "mixed history"),
        ([1, 2], {}, "keras History"),
        (HISTORY, {"metrics": ()}, "metrics is empty"),
    ],
)
def test_plot_history_rejects_bad_input(history, kwargs, message):
    with pytest.raises(ValueError, match=message):
        plots.plot_history(history, **kwargs)


def test_plot_history_wants_one_axes_per_metric():
    _, ax = plt.subplots()
    with pytest.raises(ValueError, match="1 axes for 2 metrics"):
        plots.plot_history(HISTORY, ax=ax)


# --- LiveHistory ---------------------------------------------------------------------------


def test_live_history_prints_one_line_per_epoch_outside_notebooks(capsys):
    live = plots.LiveHistory(notebook=False)
    live.set_params({"epochs": 2})
    live.on_epoch_end(0, {"loss": 0.5, "accuracy": 0.8, "val_loss": 0.6, "val_accuracy": 0.75})
    lines = capsys.readouterr().out.splitlines()
    assert lines == [
        "epoch 1/2: loss 0.5000, val_loss 0.6000, accuracy 0.8000, val_accuracy 0.7500"
    ]
    assert live.history["loss"] == [0.5]
    assert live.figure is None


def test_live_history_is_quiet_with_verbose_0(capsys):
    live = plots.LiveHistory(notebook=False, verbose=0)
    live.on_epoch_end(0, {"loss": 0.5})
    assert capsys.readouterr().out == ""
    assert live.history == {"loss": [0.5]}


def test_live_history_redraws_the_curves_in_a_notebook(monkeypatch):
    import IPython.display

    calls = []
    monkeypatch.setattr(IPython.display, "clear_output", lambda wait: calls.append(("clear", wait)))
    monkeypatch.setattr(IPython.display, "display", lambda obj: calls.append(("display", obj)))
    live = plots.LiveHistory(notebook=True)
    for epoch in range(2):
        live.on_epoch_end(epoch, {k: v[epoch] for k, v in HISTORY.items()})
    fig = live.figure
    assert [call[0] for call in calls] == ["clear", "display"] * 2
    assert calls[0][1] is True  # clear_output(wait=True): no flicker
    image = calls[-1][1]
    assert isinstance(image, IPython.display.Image)
    assert image.data[:8] == b"\x89PNG\r\n\x1a\n"
    assert [ax.get_title() for ax in fig.axes] == ["loss", "accuracy"]
    assert [len(ax.lines) for ax in fig.axes] == [2, 2]  # redrawn, not stacked
    assert list(fig.axes[0].lines[0].get_ydata()) == HISTORY["loss"][:2]
    assert plt.get_fignums() == []  # a bare Figure: the notebook shows it only via display


def test_live_history_explicit_metric_must_be_logged():
    live = plots.LiveHistory(metrics=("accuracy",), notebook=False)
    with pytest.raises(ValueError, match="metrics=\\['accuracy'\\]"):
        live.on_epoch_end(0, {"loss": 0.5})


def test_live_history_works_as_a_keras_callback_and_history_plots(capsys, tmp_path):
    import keras

    model = keras.Sequential(
        [keras.Input((28, 28, 1)), keras.layers.Flatten(), keras.layers.Dense(10, "softmax")]
    )
    model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
    x = np.random.default_rng(0).random((32, 28, 28, 1), dtype=np.float32)
    y = np.arange(32) % 10
    live = plots.LiveHistory(notebook=False)
    assert isinstance(live, keras.callbacks.Callback)
    history = model.fit(
        x, y, epochs=2, batch_size=16, validation_split=0.25, verbose=0, callbacks=[live]
    )
    lines = capsys.readouterr().out.splitlines()
    assert [line.split(":")[0] for line in lines] == ["epoch 1/2", "epoch 2/2"]
    assert "val_accuracy" in lines[-1]
    axes = plots.plot_history(history)
    assert [len(ax.lines) for ax in axes] == [2, 2]
    assert_saves_png(axes[0].figure, tmp_path)


# --- plot_confusion_matrix -----------------------------------------------------------------


def test_confusion_matrix_annotates_every_cell(tmp_path):
    cm = np.arange(100).reshape(10, 10)
    ax = plots.plot_confusion_matrix(cm)
    assert len(ax.texts) == 100
    assert ax.texts[12].get_text() == "12"
    assert [t.get_text() for t in ax.get_xticklabels()] == [str(d) for d in range(10)]
    assert [t.get_text() for t in ax.get_yticklabels()] == [str(d) for d in range(10)]
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("predicted", "true")
    assert_saves_png(ax.figure, tmp_path)


def test_confusion_matrix_normalize_shows_row_fractions():
    cm = np.zeros((10, 10))
    cm[0, 0], cm[0, 1] = 3, 1  # rows 1-9 empty: shown as 0, not nan
    _, given = plt.subplots()
    ax = plots.plot_confusion_matrix(cm, normalize=True, ax=given)
    assert ax is given
    assert [t.get_text() for t in ax.texts[:2]] == ["0.75", "0.25"]
    assert ax.texts[10].get_text() == "0.00"
    assert "row fractions" in ax.get_title()


@pytest.mark.parametrize("cm", [np.zeros((10, 9)), np.zeros(10), -np.ones((10, 10))])
def test_confusion_matrix_rejects_bad_input(cm):
    with pytest.raises(ValueError, match="confusion matrix"):
        plots.plot_confusion_matrix(cm)


# --- plot_probabilities / update_probabilities ---------------------------------------------


def bar_colors(ax):
    return [bar.get_facecolor() for bar in ax.patches]


def test_plot_probabilities_highlights_the_top_class(tmp_path):
    ax = plots.plot_probabilities(answers(3, 0.82)[None])  # (1, 10) is accepted too
    assert len(ax.patches) == 10
    assert ax.patches[3].get_height() == pytest.approx(0.82)
    colors = bar_colors(ax)
    assert same_color(colors[3], plots.STYLE.highlight)
    assert all(not same_color(c, colors[3]) for i, c in enumerate(colors) if i != 3)
    assert [t.get_text() for t in ax.get_xticklabels()] == [str(d) for d in range(10)]
    assert ax.get_ylim() == (0, 1)
    assert ax.get_title() == "prediction: 3 (82%)"
    assert_saves_png(ax.figure, tmp_path)


def test_update_probabilities_changes_the_bars_in_place():
    _, given = plt.subplots()
    ax = plots.plot_probabilities(answers(3, 0.82), ax=given)
    assert ax is given
    bars = plots.update_probabilities(ax, answers(8, 0.5))
    assert len(ax.patches) == 10 and list(bars) == list(ax.patches)
    assert ax.patches[8].get_height() == pytest.approx(0.5)
    assert same_color(bar_colors(ax)[8], plots.STYLE.highlight)
    assert same_color(bar_colors(ax)[3], plots.STYLE.muted)
    assert ax.get_title() == "prediction: 8 (50%)"
    plots.update_probabilities(bars, answers(1, 0.82))  # the BarContainer works as well
    assert ax.get_title() == "prediction: 1 (82%)"


@pytest.mark.parametrize(
    ("probs", "message"),
    [(np.full(9, 0.1), r"shape \(10,\)"), (np.full(10, -0.5), r"probabilities in \[0, 1\]")],
)
def test_plot_probabilities_rejects_bad_input(probs, message):
    with pytest.raises(ValueError, match=message):
        plots.plot_probabilities(probs)


def test_update_probabilities_needs_the_bars():
    _, ax = plt.subplots()
    with pytest.raises(ValueError, match="plot_probabilities"):
        plots.update_probabilities(ax, answers(1, 0.82))


# --- plot_model_comparison -----------------------------------------------------------------

RESULTS = {
    "dense": {"accuracy": 0.978, "params": 101_770, "seconds": 31.0},
    "cnn": {"accuracy": 0.991, "params": 34_826, "seconds": 95.0},
}


def test_model_comparison_draws_three_panels(tmp_path):
    fig = plots.plot_model_comparison(RESULTS)
    assert isinstance(fig, matplotlib.figure.Figure)
    assert titles(fig) == ["validation error (100% - accuracy)", "parameters",
                           "training time (s)"]
    assert [len(ax.patches) for ax in fig.axes] == [2, 2, 2]
    assert fig.axes[1].patches[0].get_height() == 101_770
    assert fig.axes[0].get_ylim()[0] == 0  # error bars start at zero: heights compare
    assert [t.get_text() for t in fig.axes[0].texts][:2] == ["2.20%", "0.90%"]
    assert [t.get_text() for t in fig.axes[1].texts] == ["102k", "35k"]
    assert_saves_png(fig, tmp_path)


def test_model_comparison_shows_the_seeds_of_a_model(tmp_path):
    rows = [{"name": "dense", "accuracy": a, "params": 10, "seconds": s}
            for a, s in ((0.97, 10.0), (0.98, 12.0), (0.99, 14.0))]
    rows.append({"name": "cnn", "accuracy": 0.99, "params": 20, "seconds": 30.0})
    fig = plots.plot_model_comparison(rows)
    error_ax, _, time_ax = fig.axes
    assert [p.get_height() for p in error_ax.patches] == pytest.approx([0.02, 0.01])
    assert [p.get_hatch() or "" for p in error_ax.patches] == ["", "//"]  # one seed: hatched
    assert list(error_ax.lines[0].get_ydata()) == pytest.approx([0.03, 0.02, 0.01])  # seeds
    assert time_ax.patches[0].get_height() == pytest.approx(12.0)  # mean time
    assert_saves_png(fig, tmp_path)


def test_model_comparison_accepts_a_list_and_given_axes():
    rows = [{"name": name, **row} for name, row in RESULTS.items()]
    _, axes = plt.subplots(1, 3)
    assert plots.plot_model_comparison(rows, ax=axes) is axes
    assert [t.get_text() for t in axes[0].get_xticklabels()] == ["dense", "cnn"]


@pytest.mark.parametrize(
    ("results", "message"),
    [
        ({"cnn": {"accuracy": 0.9, "params": 10}}, r"'cnn' lack 'seconds'"),
        ([{"accuracy": 0.9}], "'name'"),
        ({}, "empty"),
    ],
)
def test_model_comparison_rejects_bad_input(results, message):
    with pytest.raises(ValueError, match=message):
        plots.plot_model_comparison(results)


def test_model_comparison_wants_three_axes():
    _, ax = plt.subplots(1, 2)
    with pytest.raises(ValueError, match="three Axes"):
        plots.plot_model_comparison(RESULTS, ax=ax)


# --- plot_accuracy_vs_train_size -----------------------------------------------------------


def test_accuracy_vs_train_size_log_axis_markers_and_legend(tmp_path):
    results = {"dense": {1000: 0.9, 100: 0.7}, "cnn": [(100, 0.75), (1000, 0.95)]}
    ax = plots.plot_accuracy_vs_train_size(results)
    assert ax.get_xscale() == "log"
    assert len(ax.lines) == 2
    assert list(ax.lines[0].get_xdata()) == [100, 1000]  # sorted by size
    assert all(line.get_marker() == "o" for line in ax.lines)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["dense", "cnn"]
    assert ax.get_xlabel() == "training examples"
    assert [t.get_text() for t in ax.get_xticklabels()] == ["100", "1,000"]
    assert ax.yaxis.get_major_formatter()(0.975, 0) == "97.5%"
    assert_saves_png(ax.figure, tmp_path)


def test_accuracy_vs_train_size_takes_runs():
    class Run:
        accuracy = 0.9

    ax = plots.plot_accuracy_vs_train_size({"cnn": {100: Run(), 10: 0.5}})
    assert list(ax.lines[0].get_ydata()) == [0.5, 0.9]


def test_accuracy_vs_train_size_uses_given_ax():
    _, given = plt.subplots()
    assert plots.plot_accuracy_vs_train_size({"cnn": {10: 0.5}}, ax=given) is given


@pytest.mark.parametrize(
    ("results", "message"),
    [({}, "non-empty"), ({"cnn": {0: 0.5}}, "positive"), ({"cnn": [1, 2]}, "pairs")],
)
def test_accuracy_vs_train_size_rejects_bad_input(results, message):
    with pytest.raises(ValueError, match=message):
        plots.plot_accuracy_vs_train_size(results)


# --- show_feature_maps / show_filters ------------------------------------------------------


@pytest.fixture(scope="module")
def conv_model():
    return tiny_cnn()


@pytest.mark.parametrize("image", [np.ones((28, 28)), np.ones((28, 28, 1))], ids=["2d", "3d"])
def test_show_feature_maps_one_image_per_channel(conv_model, image, tmp_path):
    fig = plots.show_feature_maps(conv_model, image)
    assert sum(len(ax.images) for ax in fig.axes) == 4
    assert fig.axes[0].images[0].get_array().shape == (26, 26)
    assert "'conv'" in fig.get_suptitle()
    assert_saves_png(fig, tmp_path)


def test_show_feature_maps_scales_uint8_like_the_training_data(conv_model):
    image = digit_images(1)[0]
    from_uint8 = plots.show_feature_maps(conv_model, image).axes[0].images[0].get_array()
    from_float = plots.show_feature_maps(conv_model, image / 255).axes[0].images[0].get_array()
    assert np.allclose(from_uint8, from_float, atol=1e-5)


def test_show_feature_maps_by_layer_name(conv_model):
    fig = plots.show_feature_maps(conv_model, np.ones((28, 28)), layer="conv")
    assert sum(len(ax.images) for ax in fig.axes) == 4


def test_show_feature_maps_share_one_colour_scale_with_a_colour_bar(conv_model):
    image = digit_images(1)[0]
    fig = plots.show_feature_maps(conv_model, image)
    images = [im for ax in fig.axes for im in ax.images]
    maps = np.stack([im.get_array() for im in images])
    assert {im.get_clim() for im in images} == {(maps.min(), maps.max())}
    assert [ax.get_ylabel() for ax in fig.axes if not ax.images] == ["activation"]


def test_show_feature_maps_before_activation_shows_the_negative_sums_the_relu_clips(conv_model):
    import keras

    image = digit_images(1)[0]
    before = plots.show_feature_maps(conv_model, image, before_activation=True)
    after = plots.show_feature_maps(conv_model, image)
    sums = np.stack([ax.images[0].get_array() for ax in before.axes if ax.images])
    relu = np.stack([ax.images[0].get_array() for ax in after.axes if ax.images])
    assert sums.min() < 0 and relu.min() >= 0
    np.testing.assert_allclose(np.maximum(sums, 0), relu, atol=1e-5)
    probe = keras.Model(conv_model.inputs[0], conv_model.layers[0].output)
    np.testing.assert_allclose(relu[0], probe(image[None, ..., None] / 255)[0, ..., 0], atol=1e-5)
    high = np.abs(sums).max()
    assert {im.get_clim() for ax in before.axes for im in ax.images} == {(-high, high)}
    assert "before the activation" in before.get_suptitle()
    with pytest.raises(ValueError, match="only a Conv2D"):
        plots.show_feature_maps(
            conv_model, image, layer=conv_model.layers[-1], before_activation=True
        )


def test_show_feature_maps_rejects_bad_input(conv_model):
    with pytest.raises(ValueError, match=r"\(28, 28\)"):
        plots.show_feature_maps(conv_model, np.ones((14, 14)))
    with pytest.raises(ValueError, match="image-like"):
        plots.show_feature_maps(conv_model, np.ones((28, 28)), layer=conv_model.layers[-1])


def test_show_filters_draws_each_kernel(conv_model, tmp_path):
    fig = plots.show_filters(conv_model)
    assert sum(len(ax.images) for ax in fig.axes) == 4
    assert [ax.get_ylabel() for ax in fig.axes if not ax.images] == ["weight"]
    kernel = conv_model.get_layer("conv").kernel.numpy()
    first = fig.axes[0].images[0]
    assert np.allclose(first.get_array(), kernel[:, :, 0, 0])
    low, high = first.get_clim()
    assert low == -high  # one colour scale centred on 0
    assert "'conv'" in fig.get_suptitle()
    assert_saves_png(fig, tmp_path)


def test_conv_helpers_need_a_conv_layer(conv_model):
    import keras

    dense = keras.Sequential([keras.Input((28, 28, 1)), keras.layers.Flatten()])
    with pytest.raises(ValueError, match="no Conv2D"):
        plots.show_filters(dense)
    with pytest.raises(ValueError, match="no 2-D convolution kernel"):
        plots.show_filters(conv_model, layer=conv_model.layers[1])


def test_styled_keeps_the_interactive_mode_the_figure_set():
    # A notebook backend loading during the first figure turns interactive mode on; leaving
    # rc_context must not turn it off again (later figures would not show).
    import matplotlib

    from digitlab.plots import styled

    @styled
    def first_figure():
        matplotlib.interactive(True)
        return "drawn"

    was = matplotlib.is_interactive()
    try:
        matplotlib.interactive(False)
        assert first_figure() == "drawn"
        assert matplotlib.is_interactive()
    finally:
        matplotlib.interactive(was)


def test_show_preprocessing_draws_the_steps_of_the_recipe_and_keeps_interactive_mode():
    from fake_models import fixed_predictor

    from digitlab.preprocess import canvas_to_mnist
    from digitlab.strokes import rasterize

    canvas = rasterize([[(185, 30), (250, 30), (210, 120)]], width=12)
    matplotlib.interactive(True)
    try:
        fig = plots.show_preprocessing(canvas, fixed_predictor(7, 0.9))
        assert matplotlib.is_interactive()
    finally:
        matplotlib.interactive(False)
    titles = [ax.get_title() for ax in fig.axes]
    assert len(titles) == 4 and titles[0] == "1. the canvas, 280x280"
    assert titles[2].endswith("model: 7 (90%)") and titles[3].endswith("model: 7 (90%)")
    np.testing.assert_array_equal(fig.axes[3].images[0].get_array(), canvas_to_mnist(canvas))
    (box,) = fig.axes[0].patches  # the ink's bounding box, inside the top-right corner
    assert box.get_x() > 140 and box.get_y() + box.get_height() < 140
