import json

import keras
import numpy as np
import pytest

from digitlab.evaluate import confusion_matrix, evaluate, report_from_probabilities
from digitlab.models import build_cnn, build_dense
from digitlab.train import augmenter, learning_rate_schedule, make_dataset, train


@pytest.fixture
def small_data():
    """A learnable toy problem: the class is written as a bright block at a class position."""
    rng = np.random.default_rng(0)
    y = np.tile(np.arange(10, dtype=np.uint8), 30)
    x = rng.integers(0, 40, (len(y), 28, 28), dtype=np.uint8)
    for i, label in enumerate(y):
        r, c = divmod(int(label), 5)
        x[i, 4 + 10 * r : 12 + 10 * r, 2 + 5 * c : 6 + 5 * c] = 255
    return x, y


def test_training_reduces_the_loss_and_reports_history(small_data):
    x, y = small_data
    result = train(build_dense(), x, y, epochs=3, batch_size=32, validation_data=(x, y),
                   verbose=0)
    assert set(result.history) == {"loss", "accuracy", "val_loss", "val_accuracy"}
    assert all(len(v) == 3 for v in result.history.values())
    assert result.history["loss"][-1] < result.history["loss"][0]
    assert len(result.epoch_seconds) == 3 and result.seconds > 0
    assert result.epoch_seconds == sorted(result.epoch_seconds)
    assert len(result.epoch_cpu_seconds) == 3 and result.epoch_cpu_seconds[0] > 0
    assert result.epoch_cpu_seconds == sorted(result.epoch_cpu_seconds)


def test_training_is_deterministic_for_a_seed(small_data):
    x, y = small_data
    weights = []
    for seed in (1, 1, 2):
        keras.utils.set_random_seed(seed)
        model = build_cnn(filters=(4, 8), dense_units=16)
        train(model, x, y, epochs=1, batch_size=64, augment=True, seed=seed, verbose=0)
        weights.append(model.get_weights()[0])
    np.testing.assert_array_equal(weights[0], weights[1])
    assert not np.array_equal(weights[0], weights[2])


def test_global_seeding_happens_only_when_the_caller_gives_a_seed(small_data):
    from digitlab.models import build

    x, y = small_data
    for seed in (None, 5):
        np.random.seed(99)
        expected = np.random.rand()
        np.random.seed(99)
        train(build("dense", seed=seed), x, y, epochs=1, batch_size=100, seed=seed, verbose=0)
        after = np.random.rand()
        if seed is None:
            assert after == expected  # the caller's global stream untouched
        else:
            np.random.seed(seed)
            assert after == np.random.rand()  # seed_globally(5) reseeded NumPy's


def test_training_does_what_its_arguments_say_in_fast_mode_too(small_data, monkeypatch):
    monkeypatch.setenv("DIGITLAB_FAST", "1")  # only the notebooks' parameters cells read it
    x, y = small_data
    seen = []
    result = train(build_dense(), x, y, epochs=2, batch_size=50, verbose=0,
                   augment=lambda images: seen.append(images.shape) or images)
    assert len(result.history["loss"]) == 2
    assert seen and all(tuple(shape)[1:] == (28, 28, 1) for shape in seen)  # traced in tf.data


def test_a_callable_augment_sees_every_float_batch(small_data):
    x, y = small_data
    flipped = make_dataset(x, y, batch_size=100, shuffle=False,
                           augment=lambda images: 1.0 - images)
    plain = make_dataset(x, y, batch_size=100, shuffle=False)
    for (a, la), (b, lb) in zip(flipped, plain, strict=True):
        assert a.dtype == np.float32 and a.shape == (100, 28, 28, 1)
        np.testing.assert_allclose(a.numpy(), 1.0 - b.numpy())
        np.testing.assert_array_equal(la.numpy(), lb.numpy())


def test_augment_must_be_a_flag_or_a_function(small_data):
    x, y = small_data
    with pytest.raises(TypeError, match="augment must be False, True or a function"):
        train(build_dense(), x, y, epochs=1, augment="yes", verbose=0)


def test_seconds_to_reach(small_data):
    x, y = small_data
    result = train(build_dense(), x, y, epochs=2, batch_size=32, verbose=0)
    result.history["accuracy"] = [0.5, 0.9]
    assert result.seconds_to_reach("accuracy", 0.8) == result.epoch_seconds[1]
    assert result.seconds_to_reach("accuracy", 0.95) is None
    assert result.seconds_to_reach("accuracy", 0.8, cpu=True) == result.epoch_cpu_seconds[1]


def test_seconds_to_reach_counts_a_float32_rounded_bar(small_data):
    """4,960 of 5,000 validation images is 99.2%, stored by Keras as float32 0.99199998."""
    x, y = small_data
    result = train(build_dense(), x, y, epochs=2, batch_size=32, verbose=0)
    result.history["val_accuracy"] = [0.99, float(np.float32(4960 / 5000))]
    assert float(np.float32(4960 / 5000)) < 0.992
    assert result.seconds_to_reach("val_accuracy", 0.992) == result.epoch_seconds[1]
    result.history["val_accuracy"] = [0.99, float(np.float32(4959 / 5000))]
    assert result.seconds_to_reach("val_accuracy", 0.992) is None


def test_bad_arguments(small_data):
    x, y = small_data
    with pytest.raises(ValueError, match="schedule"):
        train(build_dense(), x, y, epochs=1, schedule="step", verbose=0)
    with pytest.raises(ValueError, match="300 images but 299 labels"):
        train(build_dense(), x, y[:-1], epochs=1, verbose=0)


def test_pipeline_shuffles_batches_and_normalizes(small_data):
    x, y = small_data
    batches = list(make_dataset(x, y, batch_size=128, seed=0))
    assert [len(b[1]) for b in batches] == [128, 128, 44]
    images = np.concatenate([b[0].numpy() for b in batches])
    assert images.shape == (300, 28, 28, 1) and images.dtype == np.float32
    assert images.max() <= 1.0
    labels = np.concatenate([b[1].numpy() for b in batches])
    assert not np.array_equal(labels, y) and sorted(labels) == sorted(y)


def test_augmentation_moves_pixels_but_keeps_the_digit(small_data):
    x, _ = small_data
    batch = x[:8, ..., None].astype(np.float32) / 255
    out = augmenter(0)(batch, training=True).numpy()
    assert out.shape == batch.shape
    assert not np.allclose(out, batch)
    assert np.all(np.abs(out.sum(axis=(1, 2, 3)) - batch.sum(axis=(1, 2, 3)))
                  < 0.5 * batch.sum(axis=(1, 2, 3)))


def test_schedule_warms_up_then_decays():
    schedule = learning_rate_schedule(1e-2, 100)
    rates = [float(schedule(step)) for step in (0, 5, 10, 55, 99)]
    assert rates[0] == 0.0 and rates[1] == pytest.approx(5e-3)
    assert rates[2] == pytest.approx(1e-2)
    assert rates[2] > rates[3] > rates[4] >= 0


def test_confusion_matrix_by_hand():
    labels = np.array([0, 0, 1, 2, 2, 2])
    preds = np.array([0, 1, 1, 2, 0, 2])
    cm = confusion_matrix(labels, preds)
    expected = np.zeros((10, 10), int)
    expected[0, 0], expected[0, 1], expected[1, 1], expected[2, 2], expected[2, 0] = 1, 1, 1, 2, 1
    np.testing.assert_array_equal(cm, expected)


def test_report_by_hand():
    labels = np.array([0, 0, 1, 2, 2, 2])
    probs = np.eye(10)[[0, 1, 1, 2, 0, 2]]
    report = report_from_probabilities(labels, probs)
    assert report.accuracy == pytest.approx(4 / 6)
    np.testing.assert_array_equal(report.mistakes, [1, 4])
    np.testing.assert_allclose(report.per_class_accuracy[:3], [0.5, 1.0, 2 / 3])
    assert np.isnan(report.per_class_accuracy[3])
    summary = json.loads(json.dumps(report.as_dict()))
    assert summary["n"] == 6 and summary["n_mistakes"] == 2
    assert summary["per_class_accuracy"][3] is None
    assert str(report).startswith("test accuracy 66.67% on 6 images (2 mistakes)")
    validation = report_from_probabilities(labels, probs, on="validation")
    assert str(validation).startswith("validation accuracy 66.67% on 6 images")


def test_a_report_on_nan_outputs_is_refused_not_all_zeros():
    probs = np.eye(10)[[3, 3]]
    probs[1, 3] = np.nan  # a diverged model's output
    with pytest.raises(ValueError, match=r"^the model's outputs contain NaN or infinity"):
        report_from_probabilities(np.array([0, 3]), probs)


def test_evaluate_runs_the_model(small_data):
    x, y = small_data
    model = build_dense()
    report = evaluate(model, x, y)
    expected = model.predict(x[..., None].astype(np.float32) / 255, verbose=0).argmax(1)
    np.testing.assert_array_equal(report.predictions, expected)
    assert report.n == 300 and report.confusion.sum() == 300


@pytest.mark.parametrize(("labels", "preds"), [([0, 1], [0]), ([0, 10], [0, 1]), ([-1], [0])])
def test_confusion_matrix_rejects_bad_input(labels, preds):
    with pytest.raises(ValueError):
        confusion_matrix(np.array(labels), np.array(preds))


def test_compare_preprocessing_runs_both_recipes():
    from fake_models import fixed_predictor

    from digitlab.strokes import ellipse, line, rasterize
    from digitlab.your_images import compare_preprocessing

    canvases = [rasterize([line(140, 40, 140, 240)]), rasterize([ellipse(60, 60, 30, 45)])]
    results = compare_preprocessing(fixed_predictor(1, 0.9), canvases, np.array([1, 0]))
    assert list(results) == ["naive_squash", "canvas_to_mnist"]
    for result in results.values():
        assert result.images.shape == (2, 28, 28)
        assert result.report.accuracy == 0.5
    # the recipe scales the small zero up to 20 px; the squash keeps it small
    small_zero = [r.images[1] for r in results.values()]
    assert (small_zero[0] > 0.1).sum() < (small_zero[1] > 0.1).sum()
    with pytest.raises(ValueError, match="2 canvases but 1 labels"):
        compare_preprocessing(fixed_predictor(1, 0.9), canvases, np.array([1]))
