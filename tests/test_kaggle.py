import numpy as np
import pytest

from digitlab.data import DataError, read_kaggle_csv, write_kaggle_csv, write_kaggle_submission

HEADER = "label," + ",".join(f"pixel{i}" for i in range(784))


def test_train_round_trip(tmp_path):
    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, (5, 28, 28), dtype=np.uint8)
    labels = np.array([3, 1, 4, 1, 5], np.uint8)
    path = write_kaggle_csv(tmp_path / "train.csv", images, labels)
    assert path.read_text().splitlines()[0] == HEADER
    back_images, back_labels = read_kaggle_csv(path)
    np.testing.assert_array_equal(back_images, images)
    np.testing.assert_array_equal(back_labels, labels)
    assert back_images.dtype == np.uint8 and back_labels.dtype == np.uint8


def test_test_file_has_no_labels(tmp_path):
    images = np.zeros((2, 28, 28), np.uint8)
    images[1, 5, 6] = 200
    back, labels = read_kaggle_csv(write_kaggle_csv(tmp_path / "test.csv", images))
    assert labels is None
    np.testing.assert_array_equal(back, images)


def test_submission(tmp_path):
    path = write_kaggle_submission(tmp_path / "sub.csv", np.array([7, 2, 1]))
    assert path.read_text().splitlines() == ["ImageId,Label", "1,7", "2,2", "3,1"]


@pytest.mark.parametrize("labels", [np.array([10]), np.array([[1]]), np.array([1.5])])
def test_submission_rejects_bad_labels(tmp_path, labels):
    with pytest.raises(ValueError, match="label"):
        write_kaggle_submission(tmp_path / "sub.csv", labels)
    assert not (tmp_path / "sub.csv").exists()


def _csv(tmp_path, rows, header=HEADER):
    path = tmp_path / "train.csv"
    path.write_text("\n".join([header, *rows]) + "\n")
    return path


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (["1," + ",".join(["0"] * 783)], "malformed row"),  # a value short
        (["1," + ",".join(["0"] * 783) + ",x"], "malformed row"),  # not a number
        (["1," + ",".join(["0"] * 784), "2," + ",".join(["0"] * 783) + ",300"], "line 3: pixel"),
        (["12," + ",".join(["0"] * 784)], "line 2: labels"),
    ],
)
def test_malformed_rows(tmp_path, rows, message):
    with pytest.raises(DataError, match=message) as info:
        read_kaggle_csv(_csv(tmp_path, rows))
    assert "train.csv" in str(info.value)


def test_bad_header(tmp_path):
    with pytest.raises(DataError, match="line 1 must be the header"):
        read_kaggle_csv(_csv(tmp_path, [], header="ImageId,Label"))
