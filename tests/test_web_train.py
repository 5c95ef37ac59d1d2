"""The training page without a browser: its pure JavaScript modules run by node (the CSV
reader, the sample decoder, the backend plan, the charts' layout, the TF.js models against
the Keras builders), the pinned TensorFlow.js cache, the MNIST sample, and
`load_tfjs_weights`."""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import numpy as np
import pytest

from digitlab.data import MNIST_FILES, read_idx
from digitlab.data.verified import sha256
from digitlab.web import tfjs
from digitlab.web.export import PAGE_DIR
from digitlab.web.runtime import PAGE_RUNTIMES, TFJS
from digitlab.web.training_page import sample_bytes, training_config, training_sample

HEADER = "label," + ",".join(f"pixel{i}" for i in range(784))


def run_node(script: str, payload: object = None) -> object:
    """Run an ES module `script` with node; it gets `payload` as the JSON `input` and
    prints its answer with `answer(value)`. Returns the answer."""
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed (apt-get install nodejs): it runs the page's modules")
    prelude = f"""
        const page = (name) => "{PAGE_DIR.as_uri()}/" + name;
        import {{ readFileSync }} from "fs";
        const input = JSON.parse(readFileSync(0, "utf8"));
        const answer = (value) => process.stdout.write(JSON.stringify(value));
    """
    done = subprocess.run(
        [node, "--input-type=module", "-e", prelude + script],
        input=json.dumps(payload),
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def csv_rows(n: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray, list[str]]:
    rng = np.random.default_rng(seed)
    images = rng.integers(0, 256, (n, 784))
    labels = rng.integers(0, 10, n)
    lines = [",".join(map(str, [label, *row])) for label, row in zip(labels, images, strict=True)]
    return images, labels, lines


READ_CSV = """
    const { readCsvText } = await import(page("csv.js"));
    answer(input.map(({ text, chunk }) => {
        try {
            const { images, labels, n } = readCsvText(text, chunk);
            return { n, labels: Array.from(labels), sum: images.reduce((a, b) => a + b, 0) };
        } catch (error) {
            return { error: error.message, name: error.name };
        }
    }));
"""


def test_csv_reader_reads_rows_whatever_the_chunks():
    images, labels, lines = csv_rows(30)
    text = "\ufeff" + HEADER + "\r\n" + "\r\n".join(lines[:10]) + "\n\n" + "\n".join(lines[10:])
    results = run_node(READ_CSV, [{"text": text, "chunk": size} for size in (7, 1000, 10**6)])
    for result in results:
        assert result == {"n": 30, "labels": labels.tolist(), "sum": int(images.sum())}


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("3,1,2", "line 4 (row 3): 3 values, the header has 785"),
        ("{ok},7", "line 4 (row 3): 786 values, the header has 785"),
        ("12,{pixels}", "line 4 (row 3): the label is 12, expected a whole number 0-9"),
        ("1,256,{rest}", "line 4 (row 3): pixel0 is 256, expected a whole number 0-255"),
        ("1,2,x7,{rest2}", 'line 4 (row 3): value 3 ("x7") is not a whole number'),
        ("1,2,,{rest2}", "line 4 (row 3): value 3 is empty"),
        ("1,-4,{rest}", 'line 4 (row 3): value 2 ("-4") is not a whole number'),
        ("1," + "0" * 9000, "line 4 (row 3): longer than 8192 characters"),
    ],
)
def test_a_malformed_row_is_named_by_its_line_and_nothing_is_returned(row, message):
    _, _, lines = csv_rows(3)
    pixels = ",".join(["0"] * 784)
    row = row.format(ok=lines[0], pixels=pixels, rest=",".join(["0"] * 783),
                     rest2=",".join(["0"] * 782))  # fmt: skip
    text = "\n".join([HEADER, lines[1], lines[2], row, lines[0]])
    [result] = run_node(READ_CSV, [{"text": text, "chunk": 4096}])
    assert result["name"] == "CsvError" and result["error"].startswith(message)


def test_csv_reader_names_a_wrong_header_or_an_empty_file():
    test_header = ",".join(f"pixel{i}" for i in range(784))
    results = run_node(READ_CSV, [
        {"text": test_header + "\n" + ",".join(["0"] * 784), "chunk": 999},
        {"text": "", "chunk": 10},
        {"text": HEADER + "\n", "chunk": 10},
    ])  # fmt: skip
    assert "line 1 (row 0): the header must be" in results[0]["error"]
    assert "test.csv" in results[0]["error"]
    assert "empty" in results[1]["error"] and "no rows" in results[2]["error"]


def test_sample_decodes_as_python_wrote_it_and_a_short_file_is_refused():
    rng = np.random.default_rng(0)
    train = (rng.integers(0, 256, (5, 28, 28), np.uint8), rng.integers(0, 10, 5, np.uint8))
    val = (rng.integers(0, 256, (3, 28, 28), np.uint8), rng.integers(0, 10, 3, np.uint8))
    data = list(sample_bytes(train, val))
    decoded = run_node("""
        const { decodeSample, firstN, holdOut } = await import(page("data.js"));
        const bytes = Uint8Array.from(input);
        const { train, val } = decodeSample(bytes.buffer, 5, 3);
        const plain = (s) => ({ images: Array.from(s.images), labels: Array.from(s.labels),
                                n: s.n });
        let short;
        try { decodeSample(bytes.slice(1).buffer, 5, 3); } catch (e) { short = e.message; }
        const split = holdOut(train, 2, 7);
        answer({ train: plain(train), val: plain(val), first: plain(firstN(train, 2)), short,
                 heldOut: [plain(split.train), plain(split.val)],
                 again: plain(holdOut(train, 2, 7).val) });
    """, data)
    assert decoded["train"]["images"] == train[0].ravel().tolist()
    assert decoded["train"]["labels"] == train[1].tolist()
    assert decoded["val"]["images"] == val[0].ravel().tolist()
    assert decoded["val"]["labels"] == val[1].tolist()
    assert decoded["first"]["labels"] == train[1][:2].tolist()
    assert "expected 6280" in decoded["short"]
    kept, held = decoded["heldOut"]
    assert kept["n"] == 3 and held["n"] == 2 and held == decoded["again"]  # seeded
    assert sorted(kept["labels"] + held["labels"]) == sorted(train[1].tolist())


def test_backend_plan_trains_convolutions_without_wasm():
    plans = run_node("""
        const { backendPlan, classifyRenderer } = await import(page("backends.js"));
        const kinds = ["ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device))", "NVIDIA GeForce", null]
            .map(classifyRenderer);
        const plans = {};
        for (const model of ["dense", "cnn"]) for (const kind of kinds)
            plans[`${model} ${kind}`] = backendPlan(model, kind).map((p) => p.backend);
        answer({ kinds, plans, reason: backendPlan("cnn", "none")[0].reason });
    """)
    assert plans["kinds"] == ["software", "hardware", "none"]
    assert plans["plans"] == {
        "dense software": ["wasm", "webgl", "cpu"], "dense hardware": ["wasm", "webgl", "cpu"],
        "dense none": ["wasm", "cpu"], "cnn software": ["webgl", "cpu"],
        "cnn hardware": ["webgl", "cpu"], "cnn none": ["cpu"],
    }  # fmt: skip
    assert "Conv2DBackpropFilter" in plans["reason"]


def test_chart_layout_maps_data_into_the_box():
    chart = run_node("""
        const { layout, ticks } = await import(page("charts.js"));
        const c = layout([{ name: "a", colour: "#000", points: [[0, 0], [2, 1]] }], 340, 200,
                         { x: [0, 2], y: [0, 1] });
        answer({ c, ticks: ticks(0, 12000) });
    """)
    box, path = chart["c"]["box"], chart["c"]["lines"][0]["path"]
    assert path == [[box["left"], box["bottom"]], [box["right"], box["top"]]]
    assert chart["ticks"] == [0, 5000, 10000]


@pytest.fixture(scope="module")
def tfjs_library():
    """The cached TensorFlow.js bundle (for node), or a skip saying how to get it."""
    path = tfjs.tfjs_dir() / "tf.es2017.min.js"
    expected = TFJS.cached_names["tf.es2017.min.js"]
    if not path.is_file() or sha256(path.read_bytes()) != expected:
        pytest.skip(f"TensorFlow.js is not cached in {tfjs.tfjs_dir()}: run "
                    "`python -m digitlab.web.runtime` once with the npm registry reachable")
    return path


@pytest.mark.parametrize("name", ["dense", "cnn"])
def test_tfjs_models_load_into_the_keras_builders_with_the_same_predictions(
    name, tfjs_library, tmp_path
):
    """models.js builds the Keras builder's network: the weights TF.js saves in its download
    format load into `digitlab.models.build(name)` and give the same probabilities."""
    images = np.random.default_rng(0).random((16, 28, 28, 1), dtype=np.float32)
    out = run_node(f"""
        import {{ createRequire }} from "module";
        const tf = createRequire(import.meta.url)("{tfjs_library}");
        const {{ BUILDERS, modelJson }} = await import(page("models.js"));
        tf.setBackend("cpu");
        const model = BUILDERS["{name}"](tf);
        model.setUserDefinedMetadata({{ digitlab: {{ model: "{name}" }} }});
        let saved;
        await model.save(tf.io.withSaveHandler(async (a) => {{ saved = a; return {{}}; }}));
        const x = tf.tensor4d(input, [16, 28, 28, 1]);
        answer({{ json: modelJson(saved, "w.bin"),
                  weights: Array.from(new Uint8Array(saved.weightData)),
                  probabilities: Array.from(model.predict(x).dataSync()) }});
    """, images.ravel().tolist())
    (tmp_path / "model.json").write_text(json.dumps(out["json"]))
    (tmp_path / "w.bin").write_bytes(bytes(out["weights"]))
    keras_model = tfjs.load_tfjs_weights(tmp_path / "model.json")  # name and file from JSON
    assert keras_model.name == name
    np.testing.assert_allclose(
        keras_model(images).numpy().ravel(), out["probabilities"], atol=1e-5
    )
    with pytest.raises(ValueError, match="shapes"):
        other = "cnn" if name == "dense" else "dense"
        tfjs.load_tfjs_weights(tmp_path / "model.json", model_name=other)
    (tmp_path / "w.bin").write_bytes(bytes(out["weights"])[:-4])
    with pytest.raises(ValueError, match="bytes, the manifest describes"):
        tfjs.load_tfjs_weights(tmp_path / "model.json")


def test_every_tfjs_file_the_worker_imports_is_a_pinned_page_runtime():
    shipped = {name for folder, package in PAGE_RUNTIMES if folder == "tfjs"
               for name in package.cached_names}
    worker = (PAGE_DIR / "trainer-worker.js").read_text()
    imported = set(re.findall(r'import "\./tfjs/([^"]+)"', worker))
    assert imported == {"tf.es2017.min.js", "tf-backend-wasm.es2017.min.js"}
    assert imported <= shipped
    assert {"tfjs-backend-wasm.wasm", "tfjs-backend-wasm-simd.wasm"} <= shipped  # setWasmPaths


def test_training_sample_comes_from_the_training_split_only(real_mnist):
    (x_train, _), (x_val, y_val) = training_sample(n_train=600, n_val=200)
    assert x_train.shape == (600, 28, 28) and x_val.shape == (200, 28, 28)
    assert x_train.dtype == np.uint8 and np.bincount(y_val, minlength=10).min() >= 15
    from digitlab.config import data_dir

    test_images = read_idx(data_dir() / "t10k-images-idx3-ubyte").reshape(-1, 784)
    assert "t10k-images-idx3-ubyte" in MNIST_FILES
    train_rows = {row.tobytes() for row in real_mnist[0][0].reshape(-1, 784)}
    test_only = {row.tobytes() for row in test_images} - train_rows
    sample = np.concatenate([x_train, x_val]).reshape(-1, 784)
    assert all(row.tobytes() in train_rows for row in sample)
    assert not any(row.tobytes() in test_only for row in sample)
    assert training_config(600, 200)["nTrain"] == 600
