import gzip
import os

import numpy as np
import pytest

from digitlab.data import DataError, idx_bytes, read_idx, write_idx


@pytest.mark.parametrize("compress", [False, True])
@pytest.mark.parametrize(
    "array",
    [
        np.arange(24, dtype=np.uint8).reshape(2, 3, 4),
        np.array([-3, 0, 7], dtype=np.int8),
        np.array([[1, -2], [300, 4]], dtype=np.int16),
        np.array([1, -(2**31)], dtype=np.int32),
        np.array([0.5, -1.25], dtype=np.float32),
        np.array([[np.pi]], dtype=np.float64),
    ],
)
def test_round_trip(tmp_path, array, compress):
    path = write_idx(tmp_path / "a.idx", array, compress=compress)
    assert (path.read_bytes()[:2] == b"\x1f\x8b") == compress
    back = read_idx(path)
    assert back.shape == array.shape
    assert back.dtype == array.dtype.newbyteorder("=")
    np.testing.assert_array_equal(back, array)


def test_header_layout_is_mnist_layout():
    data = idx_bytes(np.zeros((2, 28, 28), np.uint8))
    assert data[:4] == bytes([0, 0, 8, 3])
    assert data[4:16] == (2).to_bytes(4, "big") + (28).to_bytes(4, "big") * 2
    assert len(data) == 16 + 2 * 28 * 28


def _write(tmp_path, data, compress):
    path = tmp_path / ("bad.gz" if compress else "bad")
    path.write_bytes(gzip.compress(data) if compress else data)
    return path


GOOD = idx_bytes(np.arange(12, dtype=np.uint8).reshape(3, 4))


@pytest.mark.parametrize("compress", [False, True])
@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty file"),
        (b"\x00\x00", "truncated header"),
        (b"\x01\x00\x08\x01" + (1).to_bytes(4, "big") + b"x", "wrong magic"),
        (b"\x00\x00\x07\x01" + (1).to_bytes(4, "big") + b"x", "unknown IDX type code 0x07"),
        (b"\x00\x00\x08\x03" + (1).to_bytes(4, "big"), "truncated header"),
        (b"\x00\x00\x08\x00", "0 dimensions"),
        (GOOD[:-1], "truncated"),
        (GOOD + b"\x00", "trailing bytes"),
    ],
)
def test_malformed_files_raise_data_error_naming_the_file(tmp_path, data, message, compress):
    path = _write(tmp_path, data, compress)
    with pytest.raises(DataError, match=message) as info:
        read_idx(path)
    assert str(path) in str(info.value)
    assert isinstance(info.value, ValueError)


@pytest.mark.parametrize("compress", [False, True])
def test_lying_header_does_not_allocate_what_it_claims(tmp_path, compress):
    # 2**32-1 images of 2**32-1 x 2**32-1 pixels: exabytes promised, 10 bytes present.
    huge = (2**32 - 1).to_bytes(4, "big")
    path = _write(tmp_path, b"\x00\x00\x08\x03" + huge * 3 + b"0123456789", compress)
    with pytest.raises(DataError, match=r"truncated.*only 10 follow"):
        read_idx(path)


def test_missing_file(tmp_path):
    with pytest.raises(DataError, match=r"nope: no such IDX file$"):
        read_idx(tmp_path / "nope")


def test_255_dimensions_are_a_data_error(tmp_path):
    one = (1).to_bytes(4, "big")
    path = _write(tmp_path, b"\x00\x00\x08\xff" + one * 255 + b"\x07", False)
    with pytest.raises(DataError, match=r"declares 255 dimensions; an IDX array has 1 to 32"):
        read_idx(path)


def test_a_folder_is_a_data_error(tmp_path):
    with pytest.raises(DataError, match=r"is a directory, not an IDX file$") as info:
        read_idx(tmp_path)
    assert str(tmp_path) in str(info.value)
    os.mkfifo(tmp_path / "pipe")  # reading it would wait for a writer forever
    with pytest.raises(DataError, match=r"pipe: is a named pipe \(FIFO\), not a regular IDX"):
        read_idx(tmp_path / "pipe")


def test_an_unreadable_file_is_a_data_error(tmp_path, monkeypatch):
    import digitlab.data.idx as idx_module

    def permission_denied(path, mode="r"):  # as chmod 000 does for anyone but root
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(idx_module, "open", permission_denied, raising=False)
    with pytest.raises(DataError, match=r"cannot read the file \(Permission denied\)"):
        read_idx(_write(tmp_path, GOOD, False))


def test_broken_gzip_stream(tmp_path):
    path = tmp_path / "broken.gz"
    path.write_bytes(gzip.compress(GOOD)[:-12])
    with pytest.raises(DataError, match="gzip"):
        read_idx(path)


def test_idx_bytes_rejects_unsupported_dtype():
    with pytest.raises(ValueError, match="cannot write dtype int64"):
        idx_bytes(np.zeros(3, np.int64))
