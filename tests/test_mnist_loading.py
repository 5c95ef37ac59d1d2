import numpy as np
import pytest

from digitlab.data import DataError, MissingDataError, load_mnist, write_idx


def test_shapes_and_dtypes_like_keras(fake_mnist):
    folder, arrays = fake_mnist
    (x_train, y_train), (x_test, y_test) = load_mnist(folder)
    assert x_train.shape == (200, 28, 28) and x_train.dtype == np.uint8
    assert y_train.shape == (200,) and y_train.dtype == np.uint8
    assert x_test.shape == (50, 28, 28) and y_test.shape == (50,)
    np.testing.assert_array_equal(x_train, arrays["train"][0])
    np.testing.assert_array_equal(y_test, arrays["t10k"][1])


def test_normalize(fake_mnist):
    folder, arrays = fake_mnist
    (x_train, _), (x_test, _) = load_mnist(folder, normalize=True)
    assert x_train.shape == (200, 28, 28, 1) and x_train.dtype == np.float32
    assert x_test.shape == (50, 28, 28, 1)
    assert x_train.min() >= 0.0 and x_train.max() <= 1.0
    np.testing.assert_allclose(x_train[..., 0] * 255, arrays["train"][0], atol=1e-3)


@pytest.mark.parametrize("images", [np.full((2, 28, 28), 255.0), np.full((1, 28, 28), np.nan),
                                    np.full((1, 28, 28), -0.5, np.float32)])
def test_normalize_refuses_floats_outside_0_to_1_as_the_predictor_does(images):
    from digitlab.data import normalize_images

    with pytest.raises(ValueError, match=r"expected float images in \[0, 1\].*divide 0-255"):
        normalize_images(images)
    assert normalize_images(np.full((1, 28, 28), 0.5)).max() == np.float32(0.5)


def test_env_var_names_the_cache(fake_mnist, monkeypatch):
    folder, _ = fake_mnist
    monkeypatch.setenv("DIGITLAB_DATA", str(folder))
    (x_train, _), _ = load_mnist()
    assert len(x_train) == 200


def test_stratified_subsets_keep_class_shares_and_are_deterministic(fake_mnist):
    folder, arrays = fake_mnist
    (x_a, y_a), (x_ta, y_ta) = load_mnist(folder, n_train=50, n_test=20, seed=3)
    (x_b, _), _ = load_mnist(folder, n_train=50, n_test=20, seed=3)
    (x_c, _), _ = load_mnist(folder, n_train=50, n_test=20, seed=4)
    assert len(x_a) == 50 and len(x_ta) == 20
    np.testing.assert_array_equal(np.bincount(y_a, minlength=10), [5] * 10)
    np.testing.assert_array_equal(np.bincount(y_ta, minlength=10), [2] * 10)
    np.testing.assert_array_equal(x_a, x_b)
    assert not np.array_equal(x_a, x_c)
    # every subset image is one of the originals, with its own label
    originals = {img.tobytes(): lab for img, lab in zip(*arrays["train"], strict=True)}
    assert all(originals[img.tobytes()] == lab for img, lab in zip(x_a, y_a, strict=True))


def test_subset_of_uneven_classes_sums_exactly(tmp_path):
    labels = np.array([0] * 70 + [1] * 20 + [2] * 10, np.uint8)
    images = np.zeros((100, 28, 28), np.uint8)
    for prefix in ("train", "t10k"):
        write_idx(tmp_path / f"{prefix}-images-idx3-ubyte", images)
        write_idx(tmp_path / f"{prefix}-labels-idx1-ubyte", labels)
    (_, y), _ = load_mnist(tmp_path, n_train=11)
    assert len(y) == 11
    np.testing.assert_array_equal(np.bincount(y), [8, 2, 1])


@pytest.mark.parametrize(
    ("n", "message"),
    [(0, "n_train must be a positive whole number"), (-1, "n_train must be a positive whole"),
     (2.5, r"n_train must be a positive whole number of images or None, got 2\.5"),
     (True, "n_train must be a positive whole number"), (201, "subset size must be between")],
)
def test_bad_subset_size(fake_mnist, n, message):
    folder, _ = fake_mnist
    with pytest.raises(ValueError, match=message):
        load_mnist(folder, n_train=n)


def test_subset_sizes_are_checked_before_reading_anything(tmp_path):
    # an empty folder: a size check after reading would say the data is missing instead
    with pytest.raises(ValueError, match=r"n_test must be a positive whole number"):
        load_mnist(tmp_path, n_test=2.5)


def test_missing_data_says_to_fetch(tmp_path):
    with pytest.raises(MissingDataError, match="digitlab data fetch"):
        load_mnist(tmp_path)


def test_count_mismatch(fake_mnist):
    folder, _ = fake_mnist
    write_idx(folder / "t10k-labels-idx1-ubyte", np.zeros(49, np.uint8))
    with pytest.raises(DataError, match=r"50 images but .* 49 labels"):
        load_mnist(folder)


def test_wrong_image_shape(fake_mnist):
    folder, _ = fake_mnist
    write_idx(folder / "train-images-idx3-ubyte", np.zeros((200, 27, 28), np.uint8))
    with pytest.raises(DataError, match=r"expected uint8 images of shape \(N, 28, 28\)"):
        load_mnist(folder)


@pytest.mark.integration
def test_real_mnist(real_mnist):
    (x_train, y_train), (x_test, y_test) = real_mnist
    assert x_train.shape == (60000, 28, 28) and x_test.shape == (10000, 28, 28)
    np.testing.assert_array_equal(
        np.bincount(y_train), [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]
    )
    np.testing.assert_array_equal(
        np.bincount(y_test), [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]
    )


def test_validation_split_is_stratified_disjoint_and_seeded(fake_mnist):
    from digitlab.data import validation_split

    folder, _ = fake_mnist
    (x, y), _ = load_mnist(folder)
    x = x.copy()
    x[:, 0, 0] = np.arange(len(x))  # tag each image so the parts can be compared
    (x_tr, y_tr), (x_val, y_val) = validation_split(x, y, n_val=50, seed=1)
    assert len(x_val) == 50 and len(x_tr) == 150
    np.testing.assert_array_equal(np.bincount(y_tr, minlength=10), [15] * 10)
    np.testing.assert_array_equal(np.bincount(y_val, minlength=10), [5] * 10)
    assert not set(x_tr[:, 0, 0]) & set(x_val[:, 0, 0])
    (_, _), (x_again, _) = validation_split(x, y, n_val=50, seed=1)
    (_, _), (x_other, _) = validation_split(x, y, n_val=50, seed=2)
    np.testing.assert_array_equal(x_again, x_val)
    assert not np.array_equal(x_other, x_val)


@pytest.mark.parametrize("n_val", [0, 200, 2.5, -1])
def test_validation_split_refuses_bad_sizes(fake_mnist, n_val):
    from digitlab.data import validation_split

    folder, _ = fake_mnist
    (x, y), _ = load_mnist(folder)
    with pytest.raises(ValueError, match="n_val"):
        validation_split(x, y, n_val=n_val)
