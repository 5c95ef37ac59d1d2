import keras
import numpy as np
import pytest

from digitlab.models import MODELS, REFERENCES, build, build_cnn, build_dense

# Parameter counts worked out by hand from the architectures in the builders' docstrings.
EXPECTED_PARAMS = {
    "dense": 784 * 128 + 128 + 128 * 64 + 64 + 64 * 64 + 64 + 64 * 10 + 10,
    # conv 5x5x1x16 + bias, conv 5x5x16x32 + bias, dense 7*7*32 -> 128 -> 10
    "cnn": 400 + 16 + 12800 + 32 + (1568 * 128 + 128) + (128 * 10 + 10),
    # 5x5x1x32 + 3x3x32x64 + 3x3x64x64 + 3x3x64x128 (no bias) + BN, 3*3*128 -> 128 -> 10
    "cnn_plus": 800 + 18432 + 36864 + 73728 + 4 * (32 + 64 + 64 + 128)
    + (1152 * 128 + 128) + 1290,
    "tfjs_cnn": (9 * 16 + 16) + (9 * 16 * 32 + 32) + (9 * 32 * 32 + 32)
    + (3 * 3 * 32 * 64 + 64) + (64 * 10 + 10),
    "assignment_cnn": (25 * 16 + 16) + (25 * 16 * 32 + 32) + (1568 * 128 + 128) + 1290,
    "keras_example": (9 * 32 + 32) + (9 * 32 * 64 + 64) + (12 * 12 * 64 * 128 + 128) + 1290,
    # keras.io: conv 3x3x1x32, pool, conv 3x3x32x64, pool to 5x5x64 = 1,600 -> 10 (34,826)
    "keras_io_convnet": (9 * 32 + 32) + (9 * 32 * 64 + 64) + (5 * 5 * 64 * 10 + 10),
}


@pytest.mark.parametrize("name", list(MODELS))
def test_every_model_maps_an_image_batch_to_probabilities(name):
    model = build(name)
    assert isinstance(model, keras.Model)
    assert tuple(model.inputs[0].shape) == (None, 28, 28, 1)
    assert tuple(model.outputs[0].shape) == (None, 10)
    out = model(np.random.default_rng(0).random((3, 28, 28, 1), np.float32)).numpy()
    assert out.shape == (3, 10)
    np.testing.assert_allclose(out.sum(axis=1), 1.0, atol=1e-5)
    assert model.layers[-1].activation is keras.activations.softmax


@pytest.mark.parametrize(("name", "params"), EXPECTED_PARAMS.items())
def test_parameter_counts(name, params):
    assert build(name).count_params() == params


def test_registry_holds_ours_and_the_five_references_with_sources():
    assert {"dense", "cnn"} <= set(MODELS) and len(REFERENCES) == 5
    for name in REFERENCES:
        assert "SEEDS.md" in MODELS[name].__doc__


def test_dense_and_cnn_options():
    assert [la.rate for la in build_dense(dropout=0.0).layers
            if isinstance(la, keras.layers.Dropout)] == [0.0, 0.0, 0.0]
    assert build_dense(units=(32,)).count_params() == 784 * 32 + 32 + 330
    plain = build_cnn()  # the course CNN: no batch norm, a ReLU on each convolution
    assert not [la for la in plain.layers if isinstance(la, keras.layers.BatchNormalization)]
    assert [la.activation.__name__ for la in plain.layers
            if isinstance(la, keras.layers.Conv2D)] == ["relu", "relu"]
    momenta = {la.momentum for la in build_cnn(batch_norm=True, bn_momentum=0.8).layers
               if isinstance(la, keras.layers.BatchNormalization)}
    assert momenta == {0.8}
    assert [la.rate for la in build_cnn().layers
            if isinstance(la, keras.layers.Dropout)] == [0.25, 0.25]
    assert [la.rate for la in build_cnn(dropout=0.4).layers
            if isinstance(la, keras.layers.Dropout)] == [0.4, 0.4]


def test_build_seeds_the_initial_weights():
    same = [build("dense", seed=3).get_weights()[0] for _ in range(2)]
    np.testing.assert_array_equal(*same)
    assert not np.array_equal(same[0], build("dense", seed=4).get_weights()[0])


def test_cli_rejects_an_unknown_model_name(capsys):
    from digitlab.cli import main

    with pytest.raises(SystemExit) as exit_:
        main(["train", "--model", "resnet"])
    assert exit_.value.code == 2  # a usage error, before TensorFlow loads
    assert "invalid choice: 'resnet'" in capsys.readouterr().err


def test_unknown_model_name():
    with pytest.raises(ValueError, match=r"unknown model 'resnet'.*choose one of dense, cnn"):
        build("resnet")
