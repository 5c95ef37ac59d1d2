"""`digitlab grade`: a class's submissions, good, weak and hostile, one row each."""

from __future__ import annotations

import csv
import json
import shutil
import zipfile

import keras
import numpy as np
import pytest

from digitlab import grade
from digitlab.cli import main
from digitlab.grade import CRASHED, GRADED, OVER_LIMIT, REFUSED, Grade, Limits
from digitlab.recipes import ASSIGNMENT_BAR
from digitlab.saving import PRETRAINED_PATH


def _dense(units: int = 10, activation: str = "softmax", *extra: keras.layers.Layer):
    keras.utils.set_random_seed(0)
    return keras.Sequential([keras.Input((28, 28, 1)), *extra, keras.layers.Flatten(),
                             keras.layers.Dense(units, activation=activation)])


@keras.saving.register_keras_serializable(package="Student")
class Doubler(keras.layers.Layer):
    """A custom layer, as a student might write one."""

    def call(self, x):
        return 2 * x


@pytest.fixture(scope="module")
def reference():
    """A small slice of the grading data: 500 MNIST test images, 30 drawn digits."""
    from digitlab.data import MissingDataError

    try:
        return grade.reference_data(n_drawn=30, n_test=500)
    except MissingDataError as exc:
        pytest.skip(str(exc))


@pytest.fixture(scope="module")
def submissions(tmp_path_factory):
    """A class's folder: a good model, a weak one and six that must not be graded; and a
    file that appears if the Lambda layer's code ever runs."""
    folder = tmp_path_factory.mktemp("class")
    ran = folder.parent / "lambda_ran"
    shutil.copyfile(PRETRAINED_PATH, folder / "good.keras")
    _dense().save(folder / "weak student.keras")  # untrained: about chance
    hostile = keras.layers.Lambda(lambda x, ran=str(ran): __import__("pathlib").Path(ran).touch()
                                  or x)
    _dense(10, "softmax", hostile).save(folder / "lambda.keras")
    ran.unlink()  # building the model ran it here, in the test; grading must not
    _dense(10, "softmax", Doubler()).save(folder / "custom.keras")
    data = PRETRAINED_PATH.read_bytes()
    (folder / "truncated.keras").write_bytes(data[: len(data) // 2])
    (folder / "text.keras").write_text("my model is in the cloud\n")
    _dense(5).save(folder / "five outputs.keras")
    _dense(10, "linear").save(folder / "logits.keras")
    (folder / "README.txt").write_text("not a submission\n")
    return folder, ran


EXPECTED = {  # submission: (status, words of its reason)
    "good.keras": (GRADED, ""),
    "weak student.keras": (GRADED, ""),
    "lambda.keras": (REFUSED, "Lambda layer"),
    "custom.keras": (REFUSED, "custom object 'Student>Doubler'"),
    "truncated.keras": (REFUSED, "truncated"),
    "text.keras": (REFUSED, "not a .keras model file"),
    "five outputs.keras": (REFUSED, "softmax over 10 digits; it returns shape (5,)"),
    "logits.keras": (REFUSED, "softmax"),
}


def test_grade_a_folder_of_submissions(submissions, reference, tmp_path, monkeypatch, capsys):
    folder, ran = submissions
    monkeypatch.setattr(grade, "reference_data", lambda n_drawn: reference)
    out_csv, out_json = tmp_path / "book.csv", tmp_path / "book.json"
    before = sorted(p.name for p in folder.iterdir())

    monkeypatch.chdir(folder.parent)  # a relative path, as a teacher types it
    assert main(["grade", folder.name, "--csv", str(out_csv), "--json", str(out_json)]) == 0

    printed = capsys.readouterr().out
    assert "Not graded (not ending in .keras): README.txt" in printed
    rows = {row["submission"]: row for row in csv.DictReader(out_csv.open())}
    assert set(rows) == set(EXPECTED)
    for name, (status, reason) in EXPECTED.items():
        assert rows[name]["status"] == status, (name, rows[name]["reason"])
        assert reason in rows[name]["reason"], (name, rows[name]["reason"])
        assert name in printed
    good, weak = rows["good.keras"], rows["weak student.keras"]
    assert float(good["test_accuracy"]) >= ASSIGNMENT_BAR and good["passes"] == "True"
    assert float(weak["test_accuracy"]) < 0.5 and weak["passes"] == "False"
    assert int(good["pad_right"]) >= 8 and good["pad_total"] == "10"
    assert float(good["drawn_accuracy"]) > 0.9
    assert int(good["params"]) == keras.saving.load_model(PRETRAINED_PATH).count_params()
    assert int(good["size_bytes"]) == PRETRAINED_PATH.stat().st_size
    book = json.loads(out_json.read_text())
    assert book["bar"] == ASSIGNMENT_BAR and len(book["submissions"]) == len(EXPECTED)
    assert "2 graded, 1 at or above the 99.3% bar; 6 refused" in printed
    assert not ran.exists()  # the Lambda's code never ran
    assert sorted(p.name for p in folder.iterdir()) == before  # nothing written beside them


def test_a_hang_is_stopped_and_the_rest_still_graded(submissions, reference):
    folder, _ = submissions
    limits = Limits(load_seconds=0.001)
    grades = grade.grade_submissions([folder / "good.keras", folder / "weak student.keras"],
                                     reference, limits, workers=1)
    assert [g.status for g in grades] == [OVER_LIMIT, OVER_LIMIT]
    assert all("loading it took" in g.reason for g in grades)


def test_a_worker_that_dies_costs_only_its_row(tmp_path):
    """A submission that kills its worker (a segfault in a native library, the OOM killer)
    gets a CRASHED row, and the pool is told to replace the worker."""
    import multiprocessing
    from types import SimpleNamespace

    mine, theirs = multiprocessing.Pipe()
    theirs.close()  # the worker's end: gone with the worker
    dead = SimpleNamespace(join=lambda timeout=None: None, exitcode=-11)
    path = tmp_path / "segfault.keras"
    path.write_bytes(b"PK")
    worker = SimpleNamespace(conn=mine, process=dead, task=(0, path), phase="load",
                             load_seconds=None)
    rows = []
    assert grade._receive(worker, Limits(), lambda index, row: rows.append(row)) is True
    assert rows == [Grade("segfault.keras", CRASHED, "the grading process died while loading "
                          "it (exit code -11)", size_bytes=2)]


def test_limits_on_size_need_no_worker(submissions):
    folder, _ = submissions
    refused = grade.inspect_archive(folder / "good.keras", Limits(max_megabytes=0.5))
    assert refused.status == OVER_LIMIT and "0.5 MB limit" in refused.reason


def test_a_finished_phase_over_its_limit_is_reported():
    row = Grade("slow.keras", GRADED, test_accuracy=0.995, load_seconds=1.0,
                predict_seconds=12.5)
    over = grade._within_limits(row, Limits(predict_seconds=10))
    assert over.status == OVER_LIMIT and over.passes is True
    assert over.reason == "scoring it took 12.5 s, more than the 10 s limit"
    assert grade._within_limits(row, Limits()) == row


@pytest.mark.parametrize(("config", "words"), [
    ({"class_name": "Dense", "module": "keras.layers"}, None),
    ({"class_name": "Sequential", "config": {"layers": [{"class_name": "__lambda__"}]}},
     "Lambda layer"),
    ({"class_name": "function", "module": "builtins", "config": "my_activation",
      "registered_name": "function"}, "custom object 'function'"),
    ({"class_name": "Popen", "module": "subprocess"}, "(module 'subprocess')"),
    ({"class_name": "Dense", "module": "keras.layers", "registered_name": "Mine>Dense"},
     "custom object 'Mine>Dense'"),
])
def test_unsafe_objects_in_a_config(config, words):
    problem = grade.unsafe_object({"config": [config]})
    assert problem is None if words is None else words in problem


def test_archives_that_keras_never_sees(tmp_path):
    h5 = tmp_path / "old.keras"
    h5.write_bytes(b"\x89HDF\r\n\x1a\n" + bytes(100))
    assert "HDF5 (.h5) file renamed .keras" in grade.inspect_archive(h5).reason
    empty = tmp_path / "empty.keras"
    with zipfile.ZipFile(empty, "w") as archive:
        archive.writestr("metadata.json", "{}")
    assert "it has no config.json or model.weights.h5" in grade.inspect_archive(empty).reason
    bomb = tmp_path / "bomb.keras"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("config.json", "{}")
        archive.writestr("model.weights.h5", bytes(2_000_000))
    assert "unzips to 2.0 MB" in grade.inspect_archive(bomb, Limits(max_megabytes=1)).reason


def test_find_submissions(tmp_path):
    with pytest.raises(FileNotFoundError, match=r"no \.keras files"):
        grade.find_submissions(tmp_path)
    with pytest.raises(FileNotFoundError, match="no such file or folder"):
        grade.find_submissions(tmp_path / "missing")
    (tmp_path / "b.KERAS").write_bytes(b"")
    (tmp_path / "a.keras").write_bytes(b"")
    (tmp_path / "a.json").write_text("{}")
    assert grade.find_submissions(tmp_path) == (
        [tmp_path / "a.keras", tmp_path / "b.KERAS"], [tmp_path / "a.json"])
    with pytest.raises(ValueError, match=r"expected a \.keras model file"):
        grade.find_submissions(tmp_path / "a.json")


@pytest.mark.parametrize(("argv", "code", "words"), [
    (["grade", "nowhere"], 1, "no such file or folder of submissions"),
    (["grade", str(PRETRAINED_PATH), "--csv", "book.txt"], 1, "ending in .csv"),
    (["grade", str(PRETRAINED_PATH), "--workers", "0"], 2,
     "argument --workers: must be a whole number from 1 to 64, got 0"),
])
def test_grade_usage_errors_before_any_work(argv, code, words, capsys):
    if code == 2:
        with pytest.raises(SystemExit) as exit_:
            main(argv)
        assert exit_.value.code == 2
    else:
        assert main(argv) == code
    assert words in capsys.readouterr().err


def test_the_command_never_imports_tensorflow_itself(tmp_path, real_mnist):
    """Refused files never reach a worker: grading them needs no TensorFlow at all."""
    from test_cli import run_cli

    (tmp_path / "a.keras").write_text("not a model")
    code, out, err, tensorflow = run_cli("grade", str(tmp_path), "--drawn", "10")
    assert code == 0 and not tensorflow, err
    row = next(line for line in out.splitlines() if line.startswith("a.keras "))
    assert row.split()[1] == "refused" and row.endswith("(a .keras file is a zip archive)")
    code, out, err, tensorflow = run_cli("grade", str(tmp_path / "b.keras"))
    assert code == 1 and not tensorflow and "no such file or folder" in err


def test_gradebook_formats():
    rows = [Grade("a.keras", GRADED, test_accuracy=0.9951, drawn_accuracy=0.98, pad_right=9,
                  pad_total=10, params=1234, size_bytes=2_000_000, load_seconds=0.25,
                  predict_seconds=3.5),
            Grade("b.keras", CRASHED, "the grading process died while loading it (exit code -9)",
                  size_bytes=10)]
    table = grade.format_table(rows).splitlines()
    assert table[0].split()[:4] == ["submission", "status", "MNIST", "test"]
    assert table[2].split()[2:7] == ["99.51%", "yes", "98.00%", "9/10", "1,234"]
    assert table[3].endswith("(exit code -9)")
    assert grade.summary(rows) == "2 submissions: 1 graded, 1 at or above the 99.3% bar; 1 crashed"
    parsed = list(csv.DictReader(grade.csv_text(rows).splitlines()))
    assert parsed[0]["test_accuracy"] == "0.9951" and parsed[1]["test_accuracy"] == ""
    assert np.isclose(json.loads(grade.json_text(rows, Limits(), "m"))["submissions"][0]
                      ["drawn_accuracy"], 0.98)
