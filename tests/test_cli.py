import json
import subprocess
import sys

import numpy as np
import pytest

import digitlab.data.fetch as fetch_module
from digitlab.cli import main
from digitlab.data import MNIST_FILES, Source
from digitlab.models import build_cnn
from digitlab.saving import save_model


def test_python_m_digitlab_help():
    out = subprocess.run([sys.executable, "-m", "digitlab", "--help"], capture_output=True,
                         text=True, check=True).stdout
    for command in ("data", "train", "evaluate", "predict", "course"):
        assert command in out


def test_data_fetch(tmp_path, monkeypatch, capsys):
    files = {name: bytes([i]) * 8 for i, name in enumerate(MNIST_FILES)}
    monkeypatch.setitem(fetch_module.__dict__, "MNIST_FILES",
                        {n: fetch_module.sha256(d) for n, d in files.items()})
    monkeypatch.setattr(fetch_module, "default_sources",
                        lambda: [Source("fake", lambda names, scratch: files)])
    assert main(["data", "fetch", "--data-dir", str(tmp_path)]) == 0
    assert f"MNIST is ready in {tmp_path}" in capsys.readouterr().out
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(MNIST_FILES)


def test_data_fetch_failure_is_one_clear_line(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(fetch_module, "default_sources", lambda: [])
    assert main(["data", "fetch", "--data-dir", str(tmp_path)]) == 1
    assert "digitlab: error: could not get verified MNIST files" in capsys.readouterr().err


def test_train_then_evaluate_json(fake_mnist, monkeypatch, capsys, tmp_path):
    folder, _ = fake_mnist
    monkeypatch.setenv("DIGITLAB_DATA", str(folder))
    out = tmp_path / "dense.keras"
    assert main(["train", "--model", "dense", "--epochs", "1", "--batch-size", "50",
                 "--out", str(out)]) == 0
    assert "dense: " in capsys.readouterr().out and out.is_file()
    assert main(["evaluate", str(out), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["n"] == 50 and 0.0 <= report["accuracy"] <= 1.0
    assert report["model"] == str(out)


def test_evaluate_reports_bad_model_files(fake_mnist, monkeypatch, capsys, tmp_path):
    folder, _ = fake_mnist
    monkeypatch.setenv("DIGITLAB_DATA", str(folder))
    assert main(["evaluate", str(tmp_path / "missing.keras")]) == 1
    assert "missing.keras: no such model file" in capsys.readouterr().err
    bad = tmp_path / "bad.keras"
    bad.write_bytes(b"not a model")
    assert main(["evaluate", str(bad)]) == 1
    assert "bad.keras: not a .keras model file" in capsys.readouterr().err


def test_evaluate_without_data_says_to_fetch(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("DIGITLAB_DATA", str(tmp_path))
    model = save_model(build_cnn(filters=(4,)), tmp_path / "m.keras")
    assert main(["evaluate", str(model)]) == 1
    assert "digitlab data fetch" in capsys.readouterr().err


@pytest.mark.integration
def test_shipped_model_passes_the_bar(real_mnist, capsys):
    assert main(["evaluate", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["n"] == 10000
    assert report["accuracy"] >= 0.995
    assert np.isclose(sum(map(sum, report["confusion_matrix"])), 10000)
