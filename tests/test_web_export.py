"""`digitlab export web` without a browser: the ONNX model, the folder it writes and what it
never deletes, the runtime cache, and the page's preprocessing (preprocess.js run by node)
against digitlab.preprocess."""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from drawn_strokes import random_digits

from digitlab.config import cache_dir
from digitlab.data import verified
from digitlab.data.verified import DownloadError, NpmPackage, sha256
from digitlab.preprocess import MIN_DIGIT_EXTENT, canvas_to_mnist
from digitlab.strokes import rasterize
from digitlab.tflog import without_tensorflow_log
from digitlab.web import export, runtime
from digitlab.web.export import (
    MANIFEST,
    PAGE_DIR,
    ExportFolderError,
    check_export,
    export_web,
    page_config,
    page_texts,
)
from digitlab.web.training_page import SAMPLE_FILE

STAND_INS = {name: f"// stand-in for {name}".encode() for name in runtime.ORT_FILES}


def _offline(*_args):
    raise DownloadError("cannot fetch it: npm is offline in the tests")


@pytest.fixture
def fake_runtime(tmp_path, monkeypatch):
    """The page's runtime as small stand-in files, pinned and cached like the real ones; npm
    is never reached."""
    package = NpmPackage("onnxruntime-web", "0.0.0-test", "0" * 64,
                         {f"dist/{name}": sha256(data) for name, data in STAND_INS.items()})
    monkeypatch.setattr(runtime, "cache_dir", lambda: tmp_path / "cache")
    monkeypatch.setattr(runtime, "PAGE_RUNTIMES", (("ort", package),))
    monkeypatch.setattr(verified, "fetch_npm_files", _offline)
    folder = runtime.runtime_dir(package)
    folder.mkdir(parents=True)
    for name, data in STAND_INS.items():
        (folder / name).write_bytes(data)
    return folder


@pytest.fixture
def stand_in_model(fake_runtime, monkeypatch):
    """model.onnx written as a few bytes: for tests of the folder, not of the model."""
    monkeypatch.setattr(export, "_checked_model", lambda model: model)
    monkeypatch.setattr(export, "export_onnx", lambda model, path: path.write_bytes(b"onnx"))


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_runtime_is_cached_in_the_cache_folder():
    assert runtime.runtime_dir() == cache_dir() / f"onnxruntime-web-{runtime.ORT_VERSION}"


def test_the_pinned_runtime_matches_the_cached_one(monkeypatch):
    if not runtime.runtime_dir().is_dir():
        pytest.skip(f"{runtime.runtime_dir()} is missing: run `python -m digitlab.web.runtime`")
    monkeypatch.setattr(verified, "fetch_npm_files", _offline)
    files = runtime.ensure_runtime()
    assert sorted(files) == sorted(f"{folder}/{name}" for folder, package in runtime.PAGE_RUNTIMES
                                   for name in package.cached_names)
    assert len(files["ort/ort-wasm-simd-threaded.wasm"]) > 10_000_000


def test_the_export_imports_neither_the_widget_nor_tensorflow():
    code = ("import sys, digitlab.web.export; "
            "print(sorted({'ipywidgets', 'ipycanvas', 'digitlab.widget', 'tensorflow'} "
            "& set(sys.modules)))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120, check=True)
    assert done.stdout.strip() == "[]"


def test_offline_without_npm_says_what_to_do(tmp_path, monkeypatch):
    monkeypatch.setattr(runtime, "cache_dir", lambda: tmp_path)
    monkeypatch.setattr(verified.shutil, "which", lambda name: None)
    with pytest.raises(DownloadError, match=r"`npm` client is not installed") as info:
        runtime.ensure_runtime()
    assert "by hand" not in str(info.value) and "put the files" not in str(info.value)


@pytest.mark.parametrize("damage", ["truncated", "altered", "missing"])
def test_a_damaged_runtime_cache_is_never_copied_into_a_page(
    fake_runtime, stand_in_model, tmp_path, damage
):
    wasm = fake_runtime / "ort-wasm-simd-threaded.wasm"
    if damage == "truncated":
        wasm.write_bytes(wasm.read_bytes()[:5])
    elif damage == "altered":
        wasm.write_bytes(wasm.read_bytes().replace(b"stand-in", b"malware!"))
    else:
        wasm.unlink()
    with pytest.raises(DownloadError, match="npm is offline"):
        export_web(tmp_path / "site")
    assert not (tmp_path / "site").exists()
    assert not wasm.exists()  # a damaged file is removed, so it is fetched again


def test_the_runtime_command_never_says_ready_over_a_damaged_cache(tmp_path, monkeypatch, capsys):
    import runpy

    monkeypatch.setattr("digitlab.config.cache_dir", lambda: tmp_path)
    monkeypatch.setattr(verified, "fetch_npm_files", _offline)
    folder = tmp_path / runtime.ONNX_RUNTIME_WEB.folder_name
    folder.mkdir()
    for name in runtime.ORT_FILES:
        (folder / name).write_text("alert('altered')")
    with pytest.raises(SystemExit) as info, pytest.warns(RuntimeWarning, match="sys.modules"):
        runpy.run_module("digitlab.web.runtime", run_name="__main__")
    out = capsys.readouterr().out
    assert "ready" not in out
    assert "ort.wasm.min.mjs: wrong sha256 (corrupt or altered), removed" in out
    assert "npm is offline" in str(info.value.code)
    assert not list(folder.iterdir())


def test_export_writes_the_page_its_manifest_and_a_model_equal_to_keras(fake_runtime, tmp_path):
    import onnxruntime

    from digitlab.saving import load_pretrained

    out = export_web(tmp_path / "site")
    files = _files(out)
    page = {p.relative_to(PAGE_DIR).as_posix() for p in PAGE_DIR.rglob("*") if p.is_file()}
    assert set(files) == {*page, "config.js", "texts.js", "model.onnx", MANIFEST,
                          "train-config.js",
                          SAMPLE_FILE, *(f"ort/{name}" for name in runtime.ORT_FILES)}
    assert files["ort/ort.wasm.min.mjs"] == STAND_INS["ort.wasm.min.mjs"]
    manifest = json.loads(files.pop(MANIFEST))["files"]
    assert manifest == {name: sha256(data) for name, data in files.items()}
    config = files["config.js"].decode()
    assert json.loads(config[config.index("{") : config.rindex("}") + 1]) == page_config()
    assert page_config()["minDigitExtent"] == MIN_DIGIT_EXTENT
    texts = files["texts.js"].decode()
    assert json.loads(texts[texts.index("{") : texts.rindex("}") + 1]) == page_texts()
    images = np.random.default_rng(0).random((8, 28, 28, 1), dtype=np.float32)
    session = onnxruntime.InferenceSession(str(out / "model.onnx"))
    onnx_out = session.run(None, {session.get_inputs()[0].name: images})[0]
    np.testing.assert_allclose(onnx_out, load_pretrained()(images).numpy(), atol=1e-6)
    assert [p.name for p in tmp_path.iterdir()] == ["cache", "site"]  # no build folder left


def test_export_onnx_never_replaces_a_file_that_is_not_an_onnx_model(tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("mine")
    with pytest.raises(ValueError, match=r"notes.txt: an ONNX model file must end in .onnx"):
        export.export_onnx(None, notes)  # refused before the model is touched
    assert notes.read_text() == "mine"


def test_the_whole_page_folder_is_copied(stand_in_model, tmp_path, monkeypatch):
    page = tmp_path / "page"
    page.mkdir()
    (page / "index.html").write_text("<p>page</p>")
    (page / "collect").mkdir()
    (page / "collect" / "collect.js").write_text("// a file added later")
    monkeypatch.setattr(export, "PAGE_DIR", page)
    out = export_web(tmp_path / "site")
    assert (out / "collect" / "collect.js").read_text() == "// a file added later"
    assert "collect/collect.js" in json.loads((out / MANIFEST).read_text())["files"]


def test_a_folder_that_merely_looks_like_a_page_is_refused_and_kept(stand_in_model, tmp_path):
    site = tmp_path / "s"  # issue 26's case: index.html and model.onnx beside the owner's files
    (site / "blog").mkdir(parents=True)
    for name in ("index.html", "model.onnx", "blog/post.html", "README.txt"):
        (site / name).write_text(f"mine: {name}")
    before = _files(site)
    with pytest.raises(ExportFolderError, match=rf"holds no {MANIFEST}.*nothing was changed"):
        export_web(site)
    assert _files(site) == before


@pytest.mark.parametrize("change", ["added file", "added folder", "edited file", "link",
                                    "bad manifest"])
def test_an_earlier_export_someone_changed_is_not_replaced(stand_in_model, tmp_path, change):
    site = export_web(tmp_path / "site")
    if change == "added file":
        (site / "ort" / "notes.txt").write_text("mine")
    elif change == "added folder":
        (site / "photos").mkdir()
    elif change == "edited file":
        (site / "style.css").write_text("body { color: hotpink }")
    elif change == "link":
        (site / "home").symlink_to(Path.home())
    else:
        (site / MANIFEST).write_text('{"files": [1, 2]}')
    before = _files(site)
    with pytest.raises(ExportFolderError, match="nothing was changed"):
        export_web(site)
    assert _files(site) == before


def test_an_unchanged_earlier_export_or_an_empty_folder_is_replaced(stand_in_model, tmp_path):
    (tmp_path / "empty").mkdir()
    assert (export_web(tmp_path / "empty") / MANIFEST).is_file()
    site = export_web(tmp_path / "site")
    (site / "ort" / "ort.wasm.min.mjs").unlink()  # a missing file is no loss
    export_web(site)
    assert (site / "ort" / "ort.wasm.min.mjs").read_bytes() == STAND_INS["ort.wasm.min.mjs"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cache", "empty", "site"]


def test_a_symbolic_link_is_followed_and_kept(stand_in_model, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    export_web("site")
    (tmp_path / "site" / "index.html").unlink()
    os.symlink("site", "link")
    assert export_web("link") == Path("link")
    assert Path("link").is_symlink() and (tmp_path / "site" / "index.html").is_file()
    os.symlink("nowhere", "dangling")
    with pytest.raises(ExportFolderError, match="symbolic link to nowhere, which does not exist"):
        export_web("dangling")
    assert not Path("nowhere").exists()


def _leftover(site: Path, kind: str) -> Path:
    path = site.with_name(f"{export._temp_prefix(site)}k1ll3d.{kind}")
    path.mkdir()
    (path / "model.onnx").write_bytes(b"x" * 1000)
    return path


def test_leftovers_of_a_killed_export_are_deleted_and_block_nothing(stand_in_model, tmp_path):
    site = export_web(tmp_path / "site")
    part, old = _leftover(site, "part"), _leftover(site, "old")
    (part / "sub").mkdir(mode=0o500)  # read-only inside: still removed
    mine = tmp_path / ".site.notes.part"  # not the export's name: never touched
    mine.mkdir()
    export_web(site)
    assert not part.exists() and not old.exists() and mine.exists()


def test_a_page_a_killed_swap_moved_aside_is_put_back(stand_in_model, tmp_path, capsys):
    site = export_web(tmp_path / "site")
    aside = site.rename(site.with_name(f"{export._temp_prefix(site)}k1ll3d.old"))
    (aside / "index.html").write_text("the page as it was")
    json_manifest = json.loads((aside / MANIFEST).read_text())
    json_manifest["files"]["index.html"] = sha256(b"the page as it was")
    (aside / MANIFEST).write_text(json.dumps(json_manifest))
    export_web(site)
    assert "Put back the page" in capsys.readouterr().out
    assert not aside.exists()
    assert (site / "index.html").read_bytes() == (PAGE_DIR / "index.html").read_bytes()


def test_an_old_page_that_cannot_be_deleted_is_reported_and_deleted_next_time(
    stand_in_model, tmp_path, monkeypatch, capsys
):
    site = export_web(tmp_path / "site")
    real_remove = export._remove_tree

    def read_only(folder):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(export, "_remove_tree", read_only)
    (site / "index.html").chmod(0o444)
    export_web(site)
    assert "the new page is in" in capsys.readouterr().err
    assert (site / MANIFEST).is_file()
    assert len(list(tmp_path.glob(".digitlab-export-*.old"))) == 1
    monkeypatch.setattr(export, "_remove_tree", real_remove)
    export_web(site)
    assert not list(tmp_path.glob(".digitlab-export-*"))


def test_a_second_export_into_the_same_folder_at_once_is_refused(stand_in_model, tmp_path):
    site = export_web(tmp_path / "site")
    before = _files(site)
    fd = os.open(tmp_path, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # what a running export holds
        with pytest.raises(ExportFolderError, match="another `digitlab export web` is writing"):
            export_web(site)
    finally:
        os.close(fd)
    assert _files(site) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cache", "site"]


def test_a_failed_swap_puts_the_old_page_back(stand_in_model, tmp_path, monkeypatch):
    site = export_web(tmp_path / "site")
    before = _files(site)
    real_rename = Path.rename

    def failing_rename(self, target):
        if self.suffix == ".part":
            raise OSError(28, "No space left on device")
        return real_rename(self, target)

    monkeypatch.setattr(Path, "rename", failing_rename)
    with pytest.raises(OSError, match="No space left"):
        export_web(site)
    assert _files(site) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cache", "site"]


def test_a_long_name_works_and_a_too_long_one_is_one_sentence(stand_in_model, tmp_path):
    assert (export_web(tmp_path / ("n" * 245)) / MANIFEST).is_file()
    with pytest.raises(ExportFolderError, match=r"name is too long .*300 bytes, at most 255"):
        export_web(tmp_path / ("n" * 300))


def test_a_folder_that_cannot_be_written_is_one_sentence(stand_in_model, tmp_path, monkeypatch):
    (tmp_path / "ro").mkdir()
    monkeypatch.setattr(export.os, "access", lambda path, mode: False)
    with pytest.raises(ExportFolderError, match=r"ro/site: cannot write there: .*ro is read-only"):
        check_export(tmp_path / "ro" / "site")
    monkeypatch.undo()

    def refused(**kwargs):  # root passes os.access; the file system still says no
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(export.tempfile, "mkdtemp", refused)
    with pytest.raises(ExportFolderError, match=r"cannot write into .*ro \(Permission denied\)"):
        export_web(tmp_path / "ro" / "site")


@pytest.fixture
def cli_without_tensorflow(tmp_path):
    """Run `digitlab export web ARGS` in a fresh Python in `tmp_path`: return code, stderr,
    and whether TensorFlow was loaded."""

    def run(*args: str) -> tuple[int, str, bool]:
        code = ("import sys; from digitlab.cli import main; rc = main(sys.argv[1:]); "
                "print('tensorflow' in sys.modules); sys.exit(rc)")
        done = subprocess.run([sys.executable, "-c", code, "export", "web", *args],
                              cwd=tmp_path, capture_output=True, text=True, timeout=120)
        return done.returncode, done.stderr, done.stdout.strip().endswith("True")

    return run


@pytest.mark.parametrize(
    ("out", "says"),
    [(".", "`.` does not name a folder for the page"),
     ("x/..", "`x/..` does not name a folder for the page"),
     ("afile/site", "afile/site: cannot write there: .*afile is a file"),
     ("dangling", "dangling is a symbolic link to nowhere, which does not exist"),
     ("n" * 300, "the name is too long for this file system"),
     ("mine", f"mine is not empty and holds no {MANIFEST}")],
)
def test_a_bad_out_is_one_sentence_before_tensorflow_loads(
    cli_without_tensorflow, tmp_path, out, says
):
    import re

    (tmp_path / "x").mkdir()
    (tmp_path / "afile").write_text("a file")
    (tmp_path / "dangling").symlink_to("nowhere")
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("keep")
    code, err, tensorflow_loaded = cli_without_tensorflow(out)
    assert code == 1 and not tensorflow_loaded
    assert re.fullmatch(rf"digitlab: error: .*{says}.*\n", err)
    assert ".digitlab-export-" not in err
    assert (tmp_path / "mine" / "notes.txt").read_text() == "keep"


def test_the_command_keeps_tensorflows_log_hidden(tmp_path):
    if not runtime.runtime_dir().is_dir():
        pytest.skip(f"{runtime.runtime_dir()} is missing: run `python -m digitlab.web.runtime`")
    done = subprocess.run([sys.executable, "-m", "digitlab", "export", "web", "site"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "python -m http.server -d site" in done.stdout
    assert without_tensorflow_log(done.stderr) == done.stderr  # not one line of the log
    assert (tmp_path / "site" / MANIFEST).is_file()


def _no_fetch():
    raise AssertionError("the runtime was fetched before the model was checked")


@pytest.fixture
def broken_models():
    import keras

    from digitlab.saving import load_pretrained

    nan = load_pretrained()
    kernel = nan.layers[-1].kernel
    kernel.assign(np.full(kernel.shape, np.nan, np.float32))
    logits = keras.Sequential([keras.Input((28, 28, 1)), keras.layers.Flatten(),
                               keras.layers.Dense(10)])  # no softmax: raw logits
    return {"nan": nan, "logits": logits}


@pytest.mark.parametrize(("kind", "says"), [("nan", "NaN or infinity"), ("logits", "softmax")])
def test_a_model_predict_refuses_is_not_exported(
    fake_runtime, broken_models, tmp_path, monkeypatch, kind, says
):
    monkeypatch.setattr(export, "ensure_runtime", _no_fetch)
    with pytest.raises(ValueError, match=rf"not exported: .*{says}"):
        export_web(tmp_path / "site", broken_models[kind])
    path = tmp_path / f"{kind}.keras"
    broken_models[kind].save(path)
    with pytest.raises(ValueError, match=rf"not exported: .*{says}"):
        export_web(tmp_path / "site", path)
    assert not (tmp_path / "site").exists()


def test_a_missing_model_fails_before_anything_is_fetched(tmp_path, monkeypatch):
    monkeypatch.setattr(export, "ensure_runtime", _no_fetch)
    with pytest.raises(FileNotFoundError):
        export_web(tmp_path / "site", tmp_path / "missing.keras")
    assert not (tmp_path / "site").exists()


def test_cli_exports_and_says_how_to_open_the_page(stand_in_model, tmp_path, capsys):
    from digitlab.cli import main

    assert main(["export", "web", str(tmp_path / "site")]) == 0
    assert f"python -m http.server -d {tmp_path / 'site'}" in capsys.readouterr().out


def _run_preprocess_js(function: str, cases: list[np.ndarray]) -> list:
    """`function` of preprocess.js (canvasToMnist or readDrawing) run by node on RGBA images."""
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed (apt-get install nodejs): it runs preprocess.js")
    script = f"""
        import * as preprocess from "{(PAGE_DIR / 'preprocess.js').as_uri()}";
        const plain = (x) => (x instanceof Float32Array ? Array.from(x)
            : x && typeof x === "object" ? Object.fromEntries(
                Object.entries(x).map(([k, v]) => [k, plain(v)])) : x);
        let input = "";
        process.stdin.on("data", (chunk) => (input += chunk));
        process.stdin.on("end", () => {{
          const {{ config, cases }} = JSON.parse(input);
          const out = cases.map(({{ w, h, rgba }}) =>
            plain(preprocess.{function}(Uint8ClampedArray.from(rgba), w, h, config)));
          process.stdout.write(JSON.stringify(out));
        }});
    """
    payload = {
        "config": page_config(),
        "cases": [{"w": c.shape[1], "h": c.shape[0], "rgba": c.ravel().tolist()} for c in cases],
    }
    done = subprocess.run(
        [node, "--input-type=module", "-e", script],
        input=json.dumps(payload), capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    return json.loads(done.stdout)


def test_preprocess_js_is_canvas_to_mnist():
    """Same pixels in, same 28x28 out: alpha ink (an HTML canvas), dark ink on light RGB,
    pen widths 4-40, digits shrunk (area average) and tiny crops enlarged (bilinear)."""
    rng = np.random.default_rng(0)
    cases = []
    for i, (_, strokes) in enumerate(random_digits(24, seed=1)):
        grey = rasterize(strokes, width=float(rng.integers(4, 41)))
        rgba = np.zeros((*grey.shape, 4), np.uint8)
        if i % 2:
            rgba[..., :3], rgba[..., 3] = 255, grey
        else:
            rgba[..., :3], rgba[..., 3] = (255 - grey)[..., None], 255
        cases.append(rgba)
    for _ in range(8):
        height, width = rng.integers(8, 40, size=2)
        rgba = np.zeros((height, width, 4), np.uint8)
        rgba[..., 3] = (rng.random((height, width)) ** 3 * 255).astype(np.uint8)
        cases.append(rgba)
    cases.append(np.zeros((50, 50, 4), np.uint8))  # blank
    results = _run_preprocess_js("canvasToMnist", cases)
    assert results[-1] is None
    for rgba, js in zip(cases[:-1], results[:-1], strict=True):
        np.testing.assert_allclose(js, canvas_to_mnist(rgba).ravel(), atol=1e-5)


def test_read_drawing_js_follows_the_not_a_digit_rule():
    """Blank: "empty"; ink spanning less than MIN_DIGIT_EXTENT of the canvas: "small";
    else a digit, with canvas_to_mnist's image."""
    side = 280
    limit = MIN_DIGIT_EXTENT * side  # 70 px: the pen's 20 px count in the ink's extent
    drawings = {
        "empty": np.zeros((side, side), np.uint8),
        "small": rasterize([[(140, 140), (140, 140 + limit - 20 - 4)]]),  # 66 px of ink
        "digit": rasterize([[(140, 140), (140, 140 + limit - 20 + 4)]]),  # 74 px
    }
    cases = []
    for grey in drawings.values():
        rgba = np.zeros((side, side, 4), np.uint8)
        rgba[..., :3], rgba[..., 3] = 255, grey
        cases.append(rgba)
    results = _run_preprocess_js("readDrawing", cases)
    assert [r["status"] for r in results] == list(drawings)
    np.testing.assert_allclose(
        results[2]["image28"], canvas_to_mnist(drawings["digit"]).ravel(), atol=1e-5
    )

