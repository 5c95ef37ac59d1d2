"""`digitlab export web` without a browser: the ONNX model, the folder, the runtime cache,
and the page's preprocessing (preprocess.js run by node) against digitlab.preprocess."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess

import numpy as np
import pytest
from conftest import write_fake_mnist
from drawn_strokes import random_digits

from digitlab.data import fetch
from digitlab.preprocess import MIN_DIGIT_EXTENT, canvas_to_mnist
from digitlab.strokes import rasterize
from digitlab.web import export, runtime, tfjs
from digitlab.web.export import PAGE_DIR, export_web, page_config
from digitlab.web.tfjs import NpmFiles
from digitlab.web.training_page import N_SAMPLE_TRAIN, N_SAMPLE_VAL, SAMPLE_FILE


@pytest.fixture
def fake_runtime(tmp_path, monkeypatch):
    """Runtime and TF.js caches holding placeholder files, beside a fake MNIST folder."""
    monkeypatch.setenv("DIGITLAB_DATA", str(tmp_path / "cache" / "mnist"))
    write_fake_mnist(tmp_path / "cache" / "mnist", n_train=N_SAMPLE_TRAIN + N_SAMPLE_VAL)
    folder = runtime.runtime_dir()
    folder.mkdir(parents=True)
    for name in runtime.ORT_FILES:
        (folder / name).write_bytes(f"// {name}".encode())
    fake_tfjs = [NpmFiles(spec.package, spec.tarball_sha256, {
        name: fetch.sha256(f"// {name}".encode()) for name in spec.files
    }) for spec in tfjs.TFJS_PACKAGES]  # fmt: skip
    monkeypatch.setattr(tfjs, "TFJS_PACKAGES", fake_tfjs)
    for name in tfjs_file_names():
        (tfjs.tfjs_dir() / name).parent.mkdir(exist_ok=True)
        (tfjs.tfjs_dir() / name).write_bytes(f"// {name}".encode())
    return folder


def tfjs_file_names() -> list[str]:
    return [name for spec in tfjs.TFJS_PACKAGES for name in spec.files]


def test_runtime_is_cached_beside_the_mnist_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("DIGITLAB_DATA", str(tmp_path / "cache" / "mnist"))
    assert runtime.runtime_dir() == tmp_path / "cache" / f"onnxruntime-web-{runtime.ORT_VERSION}"


def test_offline_without_npm_says_what_to_do(tmp_path, monkeypatch):
    monkeypatch.setenv("DIGITLAB_DATA", str(tmp_path / "mnist"))
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(RuntimeError, match=r"install npm .* and run the export again"):
        runtime.ensure_runtime()


def _fake_npm(tmp_path, monkeypatch, script: str) -> None:
    """Put an `npm` running the shell `script` first on PATH, and the data in `tmp_path`."""
    monkeypatch.setenv("DIGITLAB_DATA", str(tmp_path / "mnist"))
    npm = tmp_path / "bin" / "npm"
    npm.parent.mkdir()
    npm.write_text(f"#!/bin/sh\n{script}\n")
    npm.chmod(npm.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{npm.parent}{os.pathsep}{os.environ['PATH']}")


def test_a_tarball_with_the_wrong_sha256_is_not_cached(tmp_path, monkeypatch):
    # an `npm pack` that writes a tarball of the wrong bytes
    _fake_npm(tmp_path, monkeypatch, 'echo not-the-package > "$4/onnxruntime-web-0.tgz"')
    with pytest.raises(RuntimeError, match=r"expected d2228df7.*nothing was cached"):
        runtime.ensure_runtime()
    assert not runtime.runtime_dir().exists()


def test_npm_failure_says_how_to_put_the_files_by_hand(tmp_path, monkeypatch):
    _fake_npm(tmp_path, monkeypatch, "echo 'npm error network request failed' >&2\nexit 1")
    with pytest.raises(RuntimeError, match=r"network request failed.*put the files"):
        runtime.ensure_runtime()


def test_export_writes_the_page_its_config_and_a_model_equal_to_keras(fake_runtime, tmp_path):
    import onnxruntime

    from digitlab.saving import load_pretrained

    out = export_web(tmp_path / "site")
    files = {str(p.relative_to(out)) for p in out.rglob("*") if p.is_file()}
    assert files == {
        *export.PAGE_FILES, "config.js", "model.onnx", *(f"ort/{n}" for n in runtime.ORT_FILES),
        "train-config.js", SAMPLE_FILE, *(f"tfjs/{n}" for n in tfjs_file_names()),
    }
    config = (out / "config.js").read_text()
    assert json.loads(config[config.index("{") : config.rindex("}") + 1]) == page_config()
    assert page_config()["minDigitExtent"] == MIN_DIGIT_EXTENT
    images = np.random.default_rng(0).random((8, 28, 28, 1), dtype=np.float32)
    session = onnxruntime.InferenceSession(str(out / "model.onnx"))
    onnx_out = session.run(None, {session.get_inputs()[0].name: images})[0]
    np.testing.assert_allclose(onnx_out, load_pretrained()(images).numpy(), atol=1e-6)
    assert not list(tmp_path.glob(".site.*"))  # no build folder left behind


def test_export_replaces_an_earlier_export_but_not_other_folders(fake_runtime, tmp_path):
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "todo.txt").write_text("mine")
    with pytest.raises(FileExistsError, match="not an exported page"):
        export_web(tmp_path / "notes")
    assert (tmp_path / "notes" / "todo.txt").read_text() == "mine"
    site = export_web(tmp_path / "site")
    (site / "index.html").write_text("stale")
    export_web(site)
    assert (site / "index.html").read_bytes() == (PAGE_DIR / "index.html").read_bytes()


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


def test_cli_exports_and_says_how_to_open_the_page(fake_runtime, tmp_path, capsys):
    from digitlab.cli import main

    assert main(["export", "web", str(tmp_path / "site")]) == 0
    assert f"python -m http.server -d {tmp_path / 'site'}" in capsys.readouterr().out
    assert (tmp_path / "site" / "model.onnx").stat().st_size > 100_000


def test_cli_refuses_a_folder_that_is_not_an_export(fake_runtime, tmp_path, capsys):
    from digitlab.cli import main

    (tmp_path / "mine.txt").write_text("keep")
    assert main(["export", "web", str(tmp_path)]) == 1
    assert "is not an exported page" in capsys.readouterr().err


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


def test_a_missing_model_fails_before_anything_is_fetched(tmp_path, monkeypatch):
    def no_fetch():
        raise AssertionError("the runtime was fetched before the model was checked")

    monkeypatch.setattr(export, "ensure_runtime", no_fetch)
    with pytest.raises(FileNotFoundError):
        export_web(tmp_path / "site", tmp_path / "missing.keras")
    assert not (tmp_path / "site").exists()


def test_a_failed_swap_puts_the_old_page_back(tmp_path, monkeypatch):
    out, build = tmp_path / "site", tmp_path / "build"
    out.mkdir()
    (out / "index.html").write_text("old page")
    build.mkdir()
    real_rename = type(build).rename

    def failing_rename(self, target):
        if self == build:
            raise OSError("disk full")
        return real_rename(self, target)

    monkeypatch.setattr(type(build), "rename", failing_rename)
    with pytest.raises(OSError, match="disk full"):
        export._swap_into_place(build, out)
    assert (out / "index.html").read_text() == "old page"
