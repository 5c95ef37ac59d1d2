"""The fast predictor, image-file prediction and `digitlab predict`.

Models are tiny Keras models built here (no training): a random one for shapes, and
fixed-answer ones (zero weights, chosen bias) for the confidence threshold. Tests that need
the shipped course model are marked integration and skip until it exists.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import keras
import numpy as np
import pytest
from fake_models import answers, fixed_model, tiny_cnn
from PIL import Image, ImageDraw

from digitlab.cli import main
from digitlab.predict import Prediction, Predictor
from digitlab.preprocess import EmptyDrawingError, TooSmallDrawingError, canvas_to_mnist
from digitlab.your_images import FileResult, format_file_result, predict_files, read_image_file


@pytest.fixture(scope="module")
def random_predictor():
    """An untrained small CNN: arbitrary but input-dependent probabilities."""
    keras.utils.set_random_seed(0)
    return Predictor(tiny_cnn())


def drawing(size=(280, 280), dark_on_light=True) -> np.ndarray:
    """A "7" drawn with a thick pen, as uint8 grey."""
    image = Image.new("L", size, 255 if dark_on_light else 0)
    pen = max(2, min(size) // 15)
    w, h = size
    ImageDraw.Draw(image).line(
        [(0.3 * w, 0.25 * h), (0.7 * w, 0.25 * h), (0.45 * w, 0.8 * h)],
        fill=0 if dark_on_light else 255,
        width=pen,
        joint="curve",
    )
    return np.asarray(image)


# -- predict_proba ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("shape", "expected"),
    [
        ((28, 28), (10,)),
        ((28, 28, 1), (10,)),
        ((5, 28, 28), (5, 10)),
        ((5, 28, 28, 1), (5, 10)),
        ((1, 28, 28), (1, 10)),
        ((28, 28, 28), (28, 10)),
    ],
)
def test_predict_proba_shapes_and_probabilities(random_predictor, shape, expected):
    images = np.random.default_rng(0).random(shape)
    probabilities = random_predictor.predict_proba(images)
    assert probabilities.shape == expected
    assert np.all(probabilities >= 0)
    np.testing.assert_allclose(probabilities.sum(axis=-1), 1, atol=1e-5)


def test_batch_gives_the_same_answers_as_one_at_a_time(random_predictor):
    images = np.random.default_rng(1).random((4, 28, 28)).astype(np.float32)
    batch = random_predictor.predict_proba(images)
    singles = np.stack([random_predictor.predict_proba(image) for image in images])
    np.testing.assert_allclose(batch, singles, atol=1e-6)
    assert not np.allclose(batch[0], batch[1])  # the model does look at the input


def test_large_batches_are_run_in_chunks_with_the_same_answers(random_predictor, monkeypatch):
    images = np.random.default_rng(2).random((7, 28, 28)).astype(np.float32)
    whole = random_predictor.predict_proba(images)
    monkeypatch.setattr("digitlab.predict.BATCH_SIZE", 3)
    np.testing.assert_allclose(random_predictor.predict_proba(images), whole, atol=1e-6)


@pytest.mark.parametrize(
    ("images", "error", "message"),
    [
        (np.zeros((28, 28), np.uint8), TypeError, "divide uint8 images by 255"),
        (np.zeros((28, 28), bool), TypeError, "float images"),
        (np.zeros((28, 27)), ValueError, r"got shape \(28, 27\)"),
        (np.zeros((2, 28, 28, 3)), ValueError, r"got shape \(2, 28, 28, 3\)"),
        (np.zeros(784), ValueError, r"got shape \(784,\)"),
        (np.full((28, 28), np.nan), ValueError, "no NaN"),
        (np.full((28, 28), 255.0), ValueError, r"\[0, 1\]"),
    ],
)
def test_predict_proba_rejects_bad_images(random_predictor, images, error, message):
    with pytest.raises(error, match=message):
        random_predictor.predict_proba(images)


# -- predict_canvas and the threshold ----------------------------------------------------


def test_confident_prediction(sure_seven):
    canvas = drawing()
    prediction = sure_seven.predict_canvas(canvas)
    assert isinstance(prediction, Prediction)
    assert prediction.label == 7
    assert prediction.confident
    assert prediction.best == 7
    assert prediction.confidence == pytest.approx(0.82, abs=1e-4)
    assert prediction.text == "Prediction: 7"
    assert prediction.probabilities.shape == (10,)
    np.testing.assert_array_equal(prediction.image28, canvas_to_mnist(canvas))


def test_unsure_prediction_has_no_label(unsure):
    prediction = unsure.predict_canvas(drawing())
    assert prediction.label is None
    assert not prediction.confident
    assert prediction.best == 3
    assert prediction.text == "Prediction: not sure"


def test_threshold_decides_what_counts_as_sure():
    model = fixed_model(answers(3, 0.3))
    assert Predictor(model, threshold=0.25).predict_canvas(drawing()).label == 3
    assert Predictor(model, threshold=0.35).predict_canvas(drawing()).label is None


@pytest.mark.parametrize("threshold", [-0.1, 1.5])
def test_threshold_outside_0_1_is_rejected(threshold):
    with pytest.raises(ValueError, match="threshold must be between 0 and 1"):
        Predictor(fixed_model(answers(3, 0.3)), threshold=threshold)


def test_empty_canvas_raises_empty_drawing_error(sure_seven):
    with pytest.raises(EmptyDrawingError):
        sure_seven.predict_canvas(np.zeros((280, 280, 4), np.uint8))


def test_predict_drawing_refuses_a_tap_but_predict_canvas_reads_small_photos(sure_seven):
    tap = np.zeros((280, 280), np.uint8)
    tap[130:150, 130:150] = 255
    with pytest.raises(TooSmallDrawingError, match="draw a bigger digit"):
        sure_seven.predict_drawing(tap)
    with pytest.raises(EmptyDrawingError):
        sure_seven.predict_drawing(np.zeros((280, 280), np.uint8))
    assert sure_seven.predict_canvas(tap).label == 7  # files are not held to a size
    assert sure_seven.predict_drawing(drawing()).label == 7


def test_predict_drawing_finds_the_ink_once_and_agrees_with_check_drawing(
    sure_seven, monkeypatch
):
    import digitlab.preprocess as preprocess

    calls = []
    real = preprocess.ink_map
    monkeypatch.setattr(preprocess, "ink_map", lambda image: calls.append(1) or real(image))
    prediction = sure_seven.predict_drawing(drawing())
    assert len(calls) == 1  # the size rule and the MNIST recipe share one ink map
    np.testing.assert_array_equal(prediction.image28, canvas_to_mnist(drawing()))
    for side in (40, 56, 57, 60):  # around the limit: 0.2 of 280 px is 56 px
        line = np.zeros((280, 280), np.uint8)
        line[100 : 100 + side, 140:150] = 255
        try:
            preprocess.check_drawing(line)
        except TooSmallDrawingError:
            with pytest.raises(TooSmallDrawingError):
                sure_seven.predict_drawing(line)
        else:
            assert sure_seven.predict_drawing(line).label == 7


def test_prediction_is_frozen(sure_seven):
    prediction = sure_seven.predict_canvas(drawing())
    with pytest.raises(dataclasses.FrozenInstanceError):
        prediction.label = 1


@pytest.mark.parametrize(
    ("layers", "message"),
    [
        ([keras.Input((784,)), keras.layers.Dense(10, activation="softmax")], r"\(28, 28, 1\)"),
        (
            [keras.Input((28, 28, 1)), keras.layers.Flatten(), keras.layers.Dense(5, "softmax")],
            "softmax over 10",
        ),
        (
            [keras.Input((28, 28, 1)), keras.layers.Flatten(), keras.layers.Dense(10)],
            "softmax over 10",
        ),
    ],
    ids=["flat-input", "five-classes", "logits"],
)
def test_unsuitable_model_is_rejected_at_construction(layers, message):
    keras.utils.set_random_seed(0)
    with pytest.raises(ValueError, match=message):
        Predictor(keras.Sequential(layers))


def test_empty_batch_gives_empty_probabilities(shipped_predictor):
    # the shipped model's batch normalisation is what fails on an empty batch
    for empty in (np.zeros((0, 28, 28), np.float32), np.zeros((0, 28, 28, 1))):
        probabilities = shipped_predictor.predict_proba(empty)
        assert probabilities.shape == (0, 10) and probabilities.dtype == np.float32


def one_line(exc_info) -> str:
    """The error's message, checked to be one short line."""
    text = str(exc_info.value)
    assert "\n" not in text and len(text) < 300, text
    return text


def test_not_a_model_is_one_clear_sentence():
    with pytest.raises(TypeError) as info:
        Predictor(None)
    assert one_line(info) == (
        "expected a Keras model, got NoneType; load one with digitlab.saving.load_model(path), "
        "or use Predictor.load() for the shipped one")


def test_a_32x32_model_is_one_clear_sentence():
    model = keras.Sequential([keras.Input((32, 32, 1)), keras.layers.Flatten(),
                              keras.layers.Dense(10, activation="softmax")])
    with pytest.raises(ValueError) as info:
        Predictor(model)
    assert one_line(info) == ("the model must take (28, 28, 1) images, as "
                              "keras.Input((28, 28, 1)); this one takes (32, 32, 1)")


def test_a_model_failing_on_28x28_images_chains_the_tensorflow_error():
    broken = keras.Sequential([keras.layers.Reshape((30, 30, 1)), keras.layers.Flatten(),
                               keras.layers.Dense(10, activation="softmax")])
    with pytest.raises(ValueError) as info:
        Predictor(broken)
    text = one_line(info)
    assert text.startswith("the model must take (28, 28, 1) images")
    assert info.value.__cause__ is not None


def test_a_model_with_nan_weights_is_one_clear_sentence():
    model = fixed_model(answers(7, 0.9))
    weights = model.get_weights()
    weights[1][0] = np.nan
    model.set_weights(weights)
    with pytest.raises(ValueError) as info:
        Predictor(model)
    text = one_line(info)
    assert text.startswith("cannot predict with this model: the model's weights contain NaN")
    assert "softmax" not in text


def test_animated_images_are_refused(tmp_path):
    frames = [Image.fromarray(drawing()), Image.new("L", (280, 280), 255)]
    frames[0].save(tmp_path / "anim.gif", save_all=True, append_images=frames[1:])
    with pytest.raises(ValueError, match=r"an animated image \(2 frames\)"):
        read_image_file(tmp_path / "anim.gif")
    Image.fromarray(drawing()).save(tmp_path / "still.gif")
    assert read_image_file(tmp_path / "still.gif").size == (280, 280)


def test_decompression_bombs_are_refused_before_decoding(tmp_path, recwarn):
    # 13,000 x 13,000 = 169 megapixels of one colour: a tiny file, 169 MB once decoded
    Image.new("1", (13_000, 13_000)).save(tmp_path / "bomb.png")
    with pytest.raises(ValueError, match=r"^image too large to open safely: 169 megapixels, "
                                         r"more than the 89 allowed$"):
        read_image_file(tmp_path / "bomb.png")
    assert not [w for w in recwarn if issubclass(w.category, Image.DecompressionBombWarning)]


def test_load_reads_a_saved_model(tmp_path):
    path = tmp_path / "seven.keras"
    fixed_model(answers(7, 0.9)).save(path)
    predictor = Predictor.load(path, threshold=0.95)
    prediction = predictor.predict_canvas(drawing())
    assert prediction.best == 7
    assert prediction.label is None  # 0.9 < 0.95


# -- image files -----------------------------------------------------------------------


@pytest.fixture
def files(tmp_path):
    """A PNG, a JPG photo-like digit, a text file, a blank PNG, a folder and a missing path."""
    Image.fromarray(drawing()).save(tmp_path / "digit.png")
    photo = np.clip(drawing((300, 400)) * 0.6 + 60, 0, 255).astype(np.uint8)  # grey paper
    Image.fromarray(photo).convert("RGB").save(tmp_path / "photo.jpg", quality=85)
    (tmp_path / "notes.txt").write_text("not a picture\n")
    Image.new("L", (100, 100), 255).save(tmp_path / "blank.png")
    (tmp_path / "folder").mkdir()
    return tmp_path


def test_predict_files_reports_each_file(files, sure_seven):
    names = ["digit.png", "photo.jpg", "notes.txt", "missing.png", "blank.png", "folder"]
    results = predict_files([files / name for name in names], sure_seven)
    assert [result.path.name for result in results] == names
    by_name = {result.path.name: result for result in results}
    for good in ("digit.png", "photo.jpg"):
        assert by_name[good].ok
        assert by_name[good].prediction.label == 7
        assert by_name[good].error is None
    assert by_name["notes.txt"].error == "not an image file (expected PNG or JPG)"
    assert by_name["missing.png"].error == "no such image file"
    assert by_name["blank.png"].error == "no digit found: the image is blank"
    assert by_name["folder"].error == "is a directory, not an image file"
    assert all(not by_name[name].ok for name in names[2:])


def test_truncated_image_gets_an_error(tmp_path, sure_seven):
    Image.fromarray(drawing()).save(tmp_path / "whole.png")
    data = (tmp_path / "whole.png").read_bytes()
    (tmp_path / "cut.png").write_bytes(data[: len(data) // 2])
    [result] = predict_files([tmp_path / "cut.png"], sure_seven)
    assert result.error.startswith("cannot read the image")


def test_files_read_as_drawings_match_the_arrays(files, random_predictor):
    [result] = predict_files([files / "digit.png"], random_predictor)
    expected = random_predictor.predict_canvas(drawing())
    np.testing.assert_allclose(result.prediction.probabilities, expected.probabilities, atol=1e-6)


def test_phone_photo_rotation_tag_is_applied(tmp_path):
    image = Image.fromarray(drawing((200, 100)))
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: rotate 90 degrees to display
    image.save(tmp_path / "tagged.jpg", exif=exif)
    assert read_image_file(tmp_path / "tagged.jpg").size == (100, 200)


def test_huge_image_is_shrunk_not_rejected(tmp_path, sure_seven):
    Image.fromarray(drawing((5000, 300))).save(tmp_path / "wide.png")
    assert max(read_image_file(tmp_path / "wide.png").size) == 4096
    [result] = predict_files([tmp_path / "wide.png"], sure_seven)
    assert result.ok


def test_a_too_thin_image_is_reported_at_its_real_size(tmp_path):
    Image.new("L", (20000, 1), 255).save(tmp_path / "line.png")
    with pytest.raises(ValueError, match=r"^got a 1x20000 image: too thin, its shorter side"):
        read_image_file(tmp_path / "line.png")


def test_format_file_result_lines(sure_seven):
    prediction = sure_seven.predict_canvas(drawing())
    unsure = dataclasses.replace(prediction, label=None, confident=False)
    assert format_file_result(FileResult(Path("digit.png"), prediction)) == "digit.png: 7 (82.0%)"
    assert format_file_result(FileResult(Path("scribble.png"), unsure)) == (
        "scribble.png: not sure (best guess 7, 82.0%)"
    )
    assert format_file_result(FileResult(Path("notes.txt"), error="not an image")) == (
        "notes.txt: error: not an image"
    )
    faked = Path("a.png\nb.png")  # would print as two lines, the second a made-up result
    assert format_file_result(FileResult(faked, prediction)) == "a.png\\nb.png: 7 (82.0%)"


def test_cli_predict_prints_one_line_per_file_and_fails_if_any_failed(
    files, sure_seven, monkeypatch, capsys
):
    loaded = []

    def load(cls, path=None, threshold=0.5):
        loaded.append((path, threshold))
        return sure_seven

    monkeypatch.setattr(Predictor, "load", classmethod(load))
    assert main(["predict", str(files / "digit.png"), str(files / "notes.txt")]) == 1
    printed = capsys.readouterr()
    assert printed.out.splitlines() == [f"{files / 'digit.png'}: 7 (82.0%)"]
    assert printed.err.splitlines() == [
        f"{files / 'notes.txt'}: error: not an image file (expected PNG or JPG)"]
    good, model = str(files / "digit.png"), str(files / "m.keras")
    (files / "m.keras").write_bytes(b"checked to exist; loading is faked here")
    assert main(["predict", good, "--model", model, "--threshold", "0.9"]) == 0
    assert loaded == [(None, 0.5), (model, 0.9)]


# -- with the shipped course model -------------------------------------------------------


@pytest.mark.integration
def test_shipped_model_recognises_redrawn_mnist_digits(real_mnist, shipped_predictor):
    from digitlab.redraw import redraw_digit

    predictor = shipped_predictor
    _, (images, labels) = real_mnist
    rng = np.random.default_rng(0)
    chosen = rng.choice(len(labels), 200, replace=False)
    drawn = np.stack([canvas_to_mnist(redraw_digit(images[i], rng)) for i in chosen])
    accuracy = (predictor.predict_proba(drawn).argmax(axis=1) == labels[chosen]).mean()
    assert accuracy >= 0.97


def test_load_checks_the_threshold_before_loading(monkeypatch):
    import digitlab.saving

    def no_loading(*args, **kwargs):
        raise AssertionError("the model was loaded before the threshold was checked")

    monkeypatch.setattr(digitlab.saving, "load_pretrained", no_loading)
    with pytest.raises(ValueError, match="threshold must be between 0 and 1, got 2"):
        Predictor.load(threshold=2)
