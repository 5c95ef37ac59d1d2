"""The training page in a real browser: Debian's Chromium driven by playwright.

The page is exported once (`digitlab export web`, TensorFlow.js and ONNX Runtime Web from
their caches), served from 127.0.0.1, and driven through its buttons, its file picker and
its test hook `window.digitlab` (which sends the worker the messages the buttons send).
Every request the page makes is recorded: none may leave the served folder. Without
chromium, playwright or the caches these tests skip and say why. Screenshots and console
logs go to artifacts/web-train/ (the README's docs/train_page.png is train_page.png from
here); not artifacts/web/, which test_web_page empties, maybe at the same time (`make test`).
"""

from __future__ import annotations

import re

import numpy as np
import pytest
from static_server import serve

from digitlab.config import PROJECT_DIR
from digitlab.strokes import ellipse, line
from digitlab.web.runtime import ORT_FILES, runtime_dir
from digitlab.web.tfjs import load_tfjs_weights, tfjs_dir
from digitlab.web.training_page import N_SAMPLE_TRAIN, training_sample

pytestmark = pytest.mark.browser

ARTIFACTS = PROJECT_DIR / "artifacts" / "web-train"
ACTION_MS = 30_000  # upper bound of one wait; each returns as soon as its condition holds
TRAIN_MS = 240_000  # upper bound of one training run (about 10 s here on WebAssembly)
VERTICAL = line(140, 50, 140, 230)
RING = ellipse(140, 140, 55, 85)
HEADER = "label," + ",".join(f"pixel{i}" for i in range(784))


@pytest.fixture(scope="module")
def site(chromium, tmp_path_factory):
    if not all((runtime_dir() / name).is_file() for name in ORT_FILES):
        pytest.skip(f"ONNX Runtime Web is not cached in {runtime_dir()}: run "
                    "`python -m digitlab.web.runtime` once with the npm registry reachable")
    if not (tfjs_dir() / "tf.es2017.min.js").is_file():
        pytest.skip(f"TensorFlow.js is not cached in {tfjs_dir()}: run "
                    "`python -m digitlab.web.tfjs` once with the npm registry reachable")
    from digitlab.web import export_web

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return export_web(tmp_path_factory.mktemp("web") / "site")


@pytest.fixture(scope="module")
def url(site):
    with serve(site) as base:
        yield base


@pytest.fixture
def page(browser, url, request):
    """A fresh tab (empty storage) on train.html; checks afterwards that every request
    stayed in the served folder."""
    context = browser.new_context(viewport={"width": 1280, "height": 1000}, accept_downloads=True)
    context.set_default_timeout(ACTION_MS)
    requests, console = [], []
    context.on("request", lambda r: requests.append(r.url))
    tab = context.new_page()
    tab.on("console", lambda m: console.append(f"{m.type}: {m.text}"))
    tab.on("pageerror", lambda error: console.append(f"page error: {error}"))
    tab.goto(url + "train.html")
    tab.evaluate("() => window.digitlab.ready")
    try:
        yield tab
    finally:
        name = request.node.name.removeprefix("test_")
        (ARTIFACTS / f"train-{name}-console.log").write_text("\n".join(console))
        context.close()
    outside = [r for r in requests if not r.startswith(url)]
    assert not outside, f"the page requested {outside} outside {url}"
    assert f"{url}tfjs/tf.es2017.min.js" in requests  # what was recorded is the real traffic


def train(page, **options) -> dict:
    return page.evaluate("(o) => window.digitlab.train(o)", options)


def draw(page, strokes) -> dict:
    return page.evaluate("(s) => window.digitlab.drawStrokes(s)", strokes)


def test_dense_trains_to_90_percent_the_pad_reads_with_it_and_keras_loads_it(page, tmp_path):
    from playwright.sync_api import expect

    assert page.locator("#label").text_content() == "Train a model first"
    small = train(page, model="dense", nTrain=1000, epochs=3)  # a first point on the slider chart
    done = train(page, model="dense", nTrain=N_SAMPLE_TRAIN, epochs=3)
    assert not done["stopped"] and done["valAcc"] >= 0.90, done
    assert done["valAcc"] > small["valAcc"]  # more data, better: what the slider shows
    assert done["backend"] == "wasm"
    expect(page.locator("#backend")).to_contain_text("Backend: wasm, WebAssembly")
    expect(page.locator("#epoch-times")).to_have_text(
        re.compile(r"Time per epoch: [\d.]+ s, [\d.]+ s, [\d.]+ s \(wasm backend\)\."))
    state = page.evaluate("() => window.digitlab.state()")
    assert len(state["curves"]["valAccuracy"]) == 3 and len(state["runs"]) == 2
    assert state["curves"]["loss"][-1][1] < state["curves"]["loss"][0][1] / 3  # it learned

    one = draw(page, [VERTICAL])  # the pad reads with the model just trained
    assert one["text"] == "Prediction: 1", one
    expect(page.locator("#label")).to_have_text("Prediction: 1")
    zero = draw(page, [RING])
    page.screenshot(path=ARTIFACTS / "train_page.png", full_page=True)

    page.locator("#download").click()
    saved = {}
    for name in ("digitlab-model.json", "digitlab-model.weights.bin"):
        with page.expect_download() as download:
            page.get_by_role("link", name=name).click()
        saved[name] = tmp_path / name
        download.value.save_as(saved[name])
    model = load_tfjs_weights(saved["digitlab-model.json"], saved["digitlab-model.weights.bin"])
    assert model.name == "dense"

    _, (x_val, _) = training_sample(n_train=500, n_val=32)
    images = [*(x_val.reshape(32, 784) / np.float32(255)), one["image28"], zero["image28"]]
    in_page = [page.evaluate("(x) => window.digitlab.predict(x)", list(map(float, image)))
               for image in images]  # fmt: skip
    in_keras = model(np.asarray(images, np.float32).reshape(-1, 28, 28, 1)).numpy()
    np.testing.assert_allclose(in_page, in_keras, atol=1e-4)
    np.testing.assert_allclose(in_page[-2], one["probabilities"], atol=1e-6)

    page.reload()  # the model is kept in the browser (IndexedDB)
    ready = page.evaluate("() => window.digitlab.ready")
    assert ready["saved"]["model"] == "dense" and ready["saved"]["nTrain"] == N_SAMPLE_TRAIN
    assert draw(page, [VERTICAL])["text"] == "Prediction: 1"


def test_a_cnn_loss_falls_over_a_few_steps(page):
    """16 small steps: a CNN is slow without a GPU (about 2 minutes per 10,000 images on
    software WebGL here)."""
    done = train(page, model="cnn", nTrain=384, batchSize=24, epochs=1, nVal=24)
    losses = [loss for _, loss in page.evaluate("() => window.digitlab.state()")["curves"]["loss"]]
    assert len(losses) == 16 and done["backend"] in ("webgl", "cpu")
    assert np.mean(losses[-4:]) < np.mean(losses[:3]) - 0.1, losses
    assert "convolutions" in page.locator("#backend").text_content()


def test_stop_ends_the_run_within_one_batch_and_the_pad_answers_meanwhile(page):
    page.evaluate("() => { window.run = window.digitlab.train("
                  "{model: 'dense', nTrain: 12000, epochs: 20}); }")
    page.wait_for_function("() => window.digitlab.batches() >= 5", timeout=TRAIN_MS)
    reading = draw(page, [VERTICAL])  # answered between two batches
    assert reading["status"] == "digit" and reading["text"] == "Train a model first"
    page.locator("#stop").click()
    done = page.evaluate("() => window.run")
    assert done["stopped"] and done["batchesAfterStop"] <= 1, done
    assert done["batches"] < 20 * 94
    assert page.evaluate("() => window.digitlab.state()")["runs"] == []  # no point for a stop


def test_a_malformed_csv_is_named_by_row_and_a_good_one_is_used(page):
    from playwright.sync_api import expect

    rng = np.random.default_rng(0)
    rows = [",".join(map(str, [i % 10, *rng.integers(0, 256, 784)])) for i in range(200)]
    bad = [*rows[:5], ",".join(["3"] * 784), *rows[5:]]  # line 7 has a value missing
    page.evaluate("() => { window.answer = window.digitlab.csvAnswer(); }")
    page.locator("#csv").set_input_files(files=[{
        "name": "train.csv", "mimeType": "text/csv",
        "buffer": "\n".join([HEADER, *bad]).encode()}])  # fmt: skip
    assert page.evaluate("() => window.answer")["type"] == "csvError"
    expect(page.locator("#error")).to_have_text(
        "train.csv: line 7 (row 6): 784 values, the header has 785. Nothing of this file is used.")
    assert page.locator("#source option[value=csv]").is_disabled()

    page.evaluate("() => { window.answer = window.digitlab.csvAnswer(); }")
    page.locator("#csv").set_input_files(files=[{
        "name": "train.csv", "mimeType": "text/csv",
        "buffer": "\n".join([HEADER, *rows]).encode()}])  # fmt: skip
    loaded = page.evaluate("() => window.answer")
    assert (loaded["type"], loaded["nTrain"], loaded["nVal"]) == ("csvLoaded", 180, 20)
    assert page.locator("#source").input_value() == "csv"
    assert page.locator("#size").get_attribute("max") == "180"
    assert page.locator("#size").input_value() == "180"  # all of it, on the slider's range
    done = train(page, model="dense", source="csv", nTrain=180, epochs=1)
    assert done["source"] == "csv" and done["nTrain"] == 180
    page.click("nav.languages button[lang=zh-CN]")  # the switch relabels what was said
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    expect(page.locator("#status")).to_contain_text("训练完成，验证准确率 ")
    expect(page.locator("#source option[value=csv]")).to_have_text(
        "train.csv：180 张训练图像，20 张验证图像")
    expect(page.locator("#train")).to_have_text("训练")
