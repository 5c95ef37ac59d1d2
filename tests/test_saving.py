import numpy as np
import pytest

from digitlab.models import build_cnn
from digitlab.saving import (
    PRETRAINED_PATH,
    ModelFileError,
    load_model,
    load_pretrained,
    read_model_info,
    save_model,
)


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


@pytest.mark.parametrize("info", [None, {"epochs": 1}])
def test_save_never_replaces_or_deletes_a_json_file_digitlab_did_not_write(tmp_path, info):
    model = build_cnn(filters=(4,))
    theirs = tmp_path / "package.json"
    theirs.write_text('{"name": "my-site"}')
    with pytest.raises(FileExistsError, match=r"package.json exists and is not a model record"):
        save_model(model, tmp_path / "package.keras", info=info)
    assert theirs.read_text() == '{"name": "my-site"}'
    assert not (tmp_path / "package.keras").exists()  # refused before anything was written
    ours = save_model(model, tmp_path / "m.keras", info={"epochs": 1})
    save_model(model, ours, info={"epochs": 2})  # its own record is replaced
    assert read_model_info(ours)["epochs"] == 2
    save_model(model, ours)  # and removed when the new model has none
    assert read_model_info(ours) is None


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
    with pytest.raises(ModelFileError, match=r"cifar.keras: the model must take \(28, 28, 1\)"):
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


def test_a_record_that_is_not_json_or_too_deep_is_one_sentence(tmp_path):
    from digitlab.saving import read_model_info

    for text, reason in [(b"\xff\xfe binary", "not a readable model record"),
                         (b"{oops", "not a readable model record"),
                         (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
                         (b" " * (1024 * 1024 + 1), "larger than 1024 KB")]:
        (tmp_path / "m.json").write_bytes(text)
        with pytest.raises(ModelFileError, match=reason) as info:
            read_model_info(tmp_path / "m.keras")
        assert "\n" not in str(info.value)


def _inflating_keras(path, config_bytes: int) -> None:
    """A .keras zip whose config.json is `config_bytes` of spaces: tiny on disk."""
    import zipfile

    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        with archive.open("config.json", "w", force_zip64=True) as config:
            chunk = b" " * (1 << 20)
            for _ in range(config_bytes >> 20):
                config.write(chunk)
        archive.writestr("metadata.json", "{}")


def test_a_config_that_inflates_is_refused_before_keras_reads_it(tmp_path, monkeypatch):
    import keras

    from digitlab import saving

    path = tmp_path / "bomb.keras"
    _inflating_keras(path, 64 << 20)  # 64 MB of config in a ~64 KB file
    assert path.stat().st_size < 1 << 20
    monkeypatch.setattr(keras.saving, "load_model", lambda *a, **k: pytest.fail("parsed"))
    with pytest.raises(ModelFileError, match=r"bomb.keras: not loaded: its config.json is "
                                             r"larger than 4 MB"):
        saving.load_model(path)


def test_the_config_cap_leaves_real_models_alone(tmp_path):
    import zipfile

    from digitlab.saving import MAX_CONFIG_BYTES

    path = save_model(build_cnn(filters=(4,)), tmp_path / "m.keras")
    with zipfile.ZipFile(path) as archive:
        assert archive.getinfo("config.json").file_size < MAX_CONFIG_BYTES / 100
    assert load_model(path).name
