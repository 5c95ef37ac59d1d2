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


def test_floats_in_0_1_are_scaled_not_truncated(tmp_path):
    images = np.full((1, 28, 28), 0.5)
    images[0, 0, 0], images[0, 0, 1] = 0.0, 1.0
    back, _ = read_kaggle_csv(write_kaggle_csv(tmp_path / "w.csv", images))
    assert back[0, 0, 0] == 0 and back[0, 0, 1] == 255 and back[0, 5, 5] == 128


@pytest.mark.parametrize(
    ("images", "message"),
    [
        (np.full((1, 28, 28), 300), "integer images must hold 0-255"),
        (np.full((1, 28, 28), -3), "integer images must hold 0-255"),
        (np.full((1, 28, 28), 255.0), r"float images must hold values in \[0, 1\]"),
        (np.full((1, 28, 28), np.nan), r"float images must hold values in \[0, 1\]"),
        (np.full((1, 28, 28), True), "expected uint8, integer or float images"),
    ],
)
def test_writer_refuses_what_the_reader_would_reject(tmp_path, images, message):
    with pytest.raises((ValueError, TypeError), match=message):
        write_kaggle_csv(tmp_path / "w.csv", images)
    assert not list(tmp_path.iterdir())


def test_one_huge_line_is_refused_early(tmp_path):
    path = tmp_path / "huge.csv"
    path.write_text(HEADER + "\n" + "1," * 5_000_000 + "\n")  # 10 MB on one line
    with pytest.raises(DataError, match=r"huge.csv: line 2 is longer than 8,192 characters"):
        read_kaggle_csv(path)


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (["1," + ",".join(["0"] * 783)], r"line 2: malformed row: 784 values, the header has 785"),
        (["1," + ",".join(["0"] * 784), "1," + ",".join(["0"] * 783) + ",x"],
         r"line 3: malformed row: 'x' is not a whole number"),
        (["1," + ",".join(["0"] * 784), "", "2," + ",".join(["0"] * 783) + ",300"],
         "line 4: pixel"),
    ],
)
def test_line_numbers_count_from_1_with_the_header(tmp_path, rows, message):
    with pytest.raises(DataError, match=message) as info:
        read_kaggle_csv(_csv(tmp_path, rows))
    assert "usecols" not in str(info.value)


def test_latin1_bytes_are_a_data_error(tmp_path):
    path = tmp_path / "latin.csv"
    path.write_bytes((HEADER + "\n1," + ",".join(["0"] * 784)).encode() + b"\xe9\n")
    with pytest.raises(DataError, match=r"latin.csv: not UTF-8 text"):
        read_kaggle_csv(path)


def test_byte_order_mark_is_accepted(tmp_path):
    path = tmp_path / "bom.csv"
    path.write_bytes(b"\xef\xbb\xbf" + (HEADER + "\n7," + ",".join(["9"] * 784) + "\n").encode())
    images, labels = read_kaggle_csv(path)
    assert labels.tolist() == [7] and (images == 9).all()


@pytest.mark.parametrize("shape", [(0, 28, 28), (0, 784)])
def test_no_images_write_the_header_alone_and_read_back_as_none(tmp_path, shape):
    path = write_kaggle_csv(tmp_path / "empty.csv", np.zeros(shape, np.uint8), np.zeros(0, int))
    assert path.read_text().splitlines() == ["label," + ",".join(f"pixel{i}" for i in range(784))]
    images, labels = read_kaggle_csv(path)
    assert images.shape == (0, 28, 28) and labels.shape == (0,)


def test_a_path_that_is_not_a_regular_file_is_one_sentence(tmp_path):
    (tmp_path / "train.csv").mkdir()
    with pytest.raises(IsADirectoryError, match=r"train.csv: is a directory, not a CSV file$"):
        read_kaggle_csv(tmp_path / "train.csv")
    with pytest.raises(FileNotFoundError, match=r"missing.csv: no such CSV file$"):
        read_kaggle_csv(tmp_path / "missing.csv")
