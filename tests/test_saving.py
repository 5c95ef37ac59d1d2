import numpy as np
import pytest

from digitlab.models import build_cnn
from digitlab.saving import PRETRAINED_PATH, ModelFileError, load_model, load_pretrained, save_model


def test_round_trip_gives_identical_predictions(tmp_path):
    model = build_cnn(filters=(4, 8), dense_units=16)
    x = np.random.default_rng(0).random((5, 28, 28, 1), np.float32)
    path = save_model(model, tmp_path / "m.keras")
    assert not [p for p in tmp_path.iterdir() if p.name != "m.keras"]  # no temp file left
    loaded = load_model(path)
    np.testing.assert_array_equal(loaded.predict(x, verbose=0), model.predict(x, verbose=0))


def test_sequential_models_save_too(tmp_path):
    import keras

    model = keras.Sequential([keras.Input((28, 28, 1)), keras.layers.Flatten(),
                              keras.layers.Dense(10, activation="softmax")])
    x = np.random.default_rng(0).random((2, 28, 28, 1), np.float32)
    loaded = load_model(save_model(model, tmp_path / "seq.keras"))
    np.testing.assert_array_equal(loaded.predict(x, verbose=0), model.predict(x, verbose=0))


def test_save_needs_keras_suffix(tmp_path):
    with pytest.raises(ValueError, match=r"must end in \.keras"):
        save_model(build_cnn(filters=(4,)), tmp_path / "m.h5")


def test_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError, match=r"nope.keras: no such model file"):
        load_model(tmp_path / "nope.keras")


def test_not_a_zip(tmp_path):
    path = tmp_path / "m.keras"
    path.write_text("hello")
    with pytest.raises(ModelFileError, match=r"m.keras: not a .keras model file"):
        load_model(path)


def test_corrupt_archive(tmp_path):
    good = save_model(build_cnn(filters=(4,)), tmp_path / "good.keras").read_bytes()
    bad = tmp_path / "bad.keras"
    import zipfile

    with zipfile.ZipFile(bad, "w") as z:
        z.writestr("config.json", "{not json")
        z.writestr("model.weights.h5", good[:100])
    with pytest.raises(ModelFileError, match=r"bad.keras: cannot load"):
        load_model(bad)


def test_wrong_shape_model(tmp_path):
    import keras

    inputs = keras.Input((32, 32, 3))
    model = keras.Model(inputs, keras.layers.Dense(10, activation="softmax")(
        keras.layers.Flatten()(inputs)))
    path = save_model(model, tmp_path / "cifar.keras")
    with pytest.raises(ModelFileError, match=r"cifar.keras: expected a model from \(None, 28"):
        load_model(path)


def test_unsafe_lambda_is_refused(tmp_path):
    import keras

    inputs = keras.Input((28, 28, 1))
    x = keras.layers.Lambda(lambda t: t * 2)(inputs)
    model = keras.Model(inputs, keras.layers.Dense(10, activation="softmax")(
        keras.layers.Flatten()(x)))
    path = tmp_path / "lambda.keras"
    model.save(path)  # a file from elsewhere: Keras itself writes it
    with pytest.raises(ModelFileError, match=r"lambda.keras"):
        load_model(path)
    with pytest.raises(ValueError, match="Lambda"):
        save_model(model, tmp_path / "again.keras")  # could never be loaded back safely


def test_optimizer_state_is_left_out(tmp_path):
    model = build_cnn(filters=(4, 8), dense_units=64)
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    model.fit(np.zeros((4, 28, 28, 1)), np.zeros(4), verbose=0)
    model.save(tmp_path / "with_optimizer.keras")
    ours = save_model(model, tmp_path / "ours.keras")
    assert ours.stat().st_size < 0.5 * (tmp_path / "with_optimizer.keras").stat().st_size
    x = np.random.default_rng(1).random((2, 28, 28, 1), np.float32)
    np.testing.assert_array_equal(load_model(ours).predict(x, verbose=0),
                                  model.predict(x, verbose=0))


def test_shipped_model_is_small_and_loads():
    assert PRETRAINED_PATH.stat().st_size < 2 * 1024 * 1024
    model = load_pretrained()
    assert (model.input_shape, model.output_shape) == ((None, 28, 28, 1), (None, 10))


def test_info_is_recorded_beside_the_model(tmp_path):
    from digitlab.saving import read_model_info

    path = save_model(build_cnn(filters=(4,)), tmp_path / "m.keras",
                      info={"seed": 3, "test_accuracy": 0.99})
    info = read_model_info(path)
    assert info["seed"] == 3 and info["test_accuracy"] == 0.99
    assert info["saved"][:4].isdigit()  # an ISO date
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.json", "m.keras"]
    assert read_model_info(save_model(build_cnn(filters=(4,)), tmp_path / "n.keras")) is None


def test_a_broken_record_is_reported(tmp_path):
    from digitlab.saving import read_model_info

    (tmp_path / "m.json").write_text("[1, 2]")
    with pytest.raises(ModelFileError, match=r"m.json: expected a JSON object"):
        read_model_info(tmp_path / "m.keras")


def test_non_finite_weights_are_refused_and_the_good_file_kept(tmp_path):
    good_model = build_cnn(filters=(4,))
    path = save_model(good_model, tmp_path / "m.keras")
    good = path.read_bytes()
    broken = build_cnn(filters=(4,))
    weights = broken.get_weights()
    weights[0][...] = np.nan
    broken.set_weights(weights)
    with pytest.raises(ModelFileError, match=r"m.keras: not saved: .* NaN or infinity"):
        save_model(broken, path, info={"epochs": 1})
    assert path.read_bytes() == good
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.keras"]  # no temp, no sidecar


@pytest.mark.parametrize("where", ["folder.keras", "README/m.keras"])
def test_save_refuses_impossible_paths_before_writing(tmp_path, where):
    (tmp_path / "folder.keras").mkdir()
    (tmp_path / "README").write_text("a file")
    with pytest.raises(OSError, match=r"is a folder|is a file, not a folder"):
        save_model(build_cnn(filters=(4,)), tmp_path / where)


def test_a_custom_class_is_refused_in_one_sentence(tmp_path):
    import keras

    @keras.saving.register_keras_serializable(package="test_saving")
    class Doubling(keras.layers.Layer):
        def call(self, x):
            return x * 2.0

    model = keras.Sequential([keras.Input((28, 28, 1)), Doubling(), keras.layers.Flatten(),
                              keras.layers.Dense(10, activation="softmax")])
    model.save(tmp_path / "custom.keras")
    keras.saving.get_custom_objects().clear()  # as in a fresh Python that lacks the class
    with pytest.raises(ModelFileError) as info:
        load_model(tmp_path / "custom.keras")
    assert str(info.value) == (
        f"{tmp_path / 'custom.keras'}: cannot load this Keras model: it uses the custom class "
        "'Doubling', and digitlab loads only built-in Keras layers (safe mode)")
    assert info.value.__cause__ is not None


def test_info_that_is_not_json_is_refused_before_the_model_is_replaced(tmp_path):
    path = save_model(build_cnn(filters=(4,)), tmp_path / "m.keras", info={"epochs": 1})
    before = path.read_bytes(), (tmp_path / "m.json").read_text()
    with pytest.raises(TypeError, match=r"m.keras: not saved: info must hold JSON values"):
        save_model(build_cnn(filters=(8,)), path, info={"epochs": np.int64(2)})
    assert (path.read_bytes(), (tmp_path / "m.json").read_text()) == before


def test_saving_without_info_removes_the_old_record(tmp_path):
    from digitlab.saving import read_model_info

    path = save_model(build_cnn(filters=(4,)), tmp_path / "m.keras", info={"epochs": 6})
    save_model(build_cnn(filters=(4,)), path)
    assert read_model_info(path) is None


def test_lesson_model_path_in_a_checkout_and_installed(tmp_path, monkeypatch):
    from digitlab import saving
    from digitlab.config import PROJECT_DIR

    assert saving.lesson_model_path(fast=False) == PROJECT_DIR / "models" / "lesson03_cnn.keras"
    assert saving.lesson_model_path(fast=True) == (
        PROJECT_DIR / "build" / "fast" / "lesson03_cnn.keras")
    # installed as a package: no pyproject.toml above it, so the user's data folder
    monkeypatch.setattr(saving, "PROJECT_DIR", tmp_path / "site-packages")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert saving.lesson_model_path(fast=False) == (
        tmp_path / "data" / "digitlab" / "models" / "lesson03_cnn.keras")
    assert saving.lesson_model_path(fast=True).parent == tmp_path / "data" / "digitlab" / "fast"


@pytest.fixture
def course_files(tmp_path, monkeypatch):
    """The lesson-03 and shipped model paths moved to tmp_path; a sample of 100 sevens."""
    from fake_models import answers, fixed_model

    from digitlab import saving

    own, shipped = tmp_path / "models" / "lesson03_cnn.keras", tmp_path / "shipped.keras"
    save_model(fixed_model(answers(3, 0.9)), shipped, info={"test_accuracy": 0.9961})
    monkeypatch.setattr(saving, "lesson_model_path", lambda fast: own)
    monkeypatch.setattr(saving, "PRETRAINED_PATH", shipped)
    monkeypatch.setattr(saving, "_validation_sample",
                        lambda: (np.zeros((100, 28, 28), np.uint8), np.full(100, 7)))
    return own, shipped


def test_course_model_prefers_a_sane_lesson_03_model(course_files):
    from fake_models import answers, fixed_model

    from digitlab.saving import course_model

    own, shipped = course_files
    model, which = course_model()
    assert which == f"the model shipped with digitlab ({shipped}, test accuracy 99.61% when saved)"
    assert model.predict(np.zeros((1, 28, 28, 1)), verbose=0).argmax() == 3

    save_model(fixed_model(answers(7, 0.9)), own, info={"test_accuracy": 0.9931})
    model, which = course_model()
    assert which == f"the CNN you trained in lesson 03 ({own}, test accuracy 99.31% when saved)"
    assert model.predict(np.zeros((1, 28, 28, 1)), verbose=0).argmax() == 7


def test_course_model_passes_over_a_broken_lesson_model_and_says_why(course_files):
    from fake_models import answers, fixed_model

    from digitlab.saving import course_model

    own, shipped = course_files
    save_model(fixed_model(answers(2, 0.9)), own)  # reads every seven as a 2
    _, which = course_model()
    assert which.startswith(f"the model shipped with digitlab ({shipped}")
    assert which.endswith(f"{own} was not used: it reads only 0% of 100 validation images "
                          "right (retrain it in lesson 03)")

    diverged = fixed_model(answers(7, 0.9))
    diverged.set_weights([np.full_like(w, np.nan) for w in diverged.get_weights()])
    diverged.save(own)  # Keras writes what save_model would refuse
    _, which = course_model()
    assert which.endswith("its weights are not all finite (the training diverged)")

    own.write_bytes(b"not a zip")
    _, which = course_model()
    assert "not a .keras model file" in which and which.startswith("the model shipped")


def test_course_model_without_any_model_says_how_to_get_one(course_files):
    from digitlab.saving import course_model

    _, shipped = course_files
    shipped.unlink()
    with pytest.raises(FileNotFoundError, match="digitlab train"):
        course_model()
