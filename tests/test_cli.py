import argparse
import json
import os
import subprocess
import sys

import numpy as np
import pytest

import digitlab.data.fetch as fetch_module
import digitlab.train as train_module
from digitlab import __version__
from digitlab.cli import BOUNDS, TRAINABLE, build_parser, main
from digitlab.data import MNIST_FILES, Source
from digitlab.data.mnist import validation_split
from digitlab.data.verified import sha256
from digitlab.evaluate import evaluate
from digitlab.models import build_cnn
from digitlab.recipes import RECIPES
from digitlab.saving import load_model, read_model_info, save_model
from digitlab.train import TrainResult


def test_python_m_digitlab_help():
    out = subprocess.run([sys.executable, "-m", "digitlab", "--help"], capture_output=True,
                         text=True, check=True).stdout
    for command in ("data", "train", "evaluate", "predict", "course"):
        assert command in out


def run_cli(*args, cwd=None):
    """`digitlab ARGS` in a fresh Python; returns (exit code, stdout, stderr, TF imported?)."""
    code = ("import sys\nfrom digitlab.cli import main\ncode = main(sys.argv[1:])\n"
            "print('tensorflow imported:', 'tensorflow' in sys.modules)\nsys.exit(code)")
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                          cwd=cwd, timeout=300)
    out, _, flag = done.stdout.rpartition("tensorflow imported: ")
    return done.returncode, out, done.stderr, flag.strip() == "True"


def test_version():
    done = subprocess.run([sys.executable, "-m", "digitlab", "--version"], capture_output=True,
                          text=True, check=True)
    assert done.stdout.strip() == f"digitlab {__version__}"


def test_help_shows_every_default():
    parser = build_parser()
    sub = parser._subparsers._group_actions[0].choices
    helps = {"train": sub["train"].format_help(),
             "course run": sub["course"]._subparsers._group_actions[0].choices["run"].format_help(),
             "predict": sub["predict"].format_help()}
    assert "(default: the model's recipe" in helps["train"]  # epochs and learning rate
    assert "(default: 0)" in helps["train"]  # the seed
    assert "(default: 128)" in helps["train"] and "(default: cnn)" in helps["train"]
    assert "MODEL.keras in the" in helps["train"]
    assert "(default: 1200)" in helps["course run"]
    assert "(default: 0.5)" in helps["predict"]


def test_trainable_names_are_the_models_registry():
    from digitlab.models import MODELS

    assert tuple(MODELS) == TRAINABLE


@pytest.mark.parametrize(
    ("out", "message"),
    [("README.md/m.keras", "README.md is a file, not a folder"),
     ("m.h5", "must end in .keras"),
     ("folder.keras", "is a folder"),
     ("/proc/m.keras", "cannot write there: creating a file in /proc fails"),
     ("gone/m.keras", "cannot write there: gone is a link to nothing"),
     ("package.keras", "package.json exists and is not a model record digitlab wrote")],
)
def test_train_checks_out_before_tensorflow_loads(tmp_path, out, message):
    (tmp_path / "README.md").write_text("a file")
    (tmp_path / "package.json").write_text('{"name": "my-site"}')  # a user's file beside --out
    (tmp_path / "folder.keras").mkdir()
    (tmp_path / "gone").symlink_to(tmp_path / "deleted")
    code, stdout, stderr, tf_loaded = run_cli(
        "train", "--model", "dense", "--epochs", "1", "--out", out, cwd=tmp_path)
    assert (code, stdout, tf_loaded) == (1, "", False)
    assert stderr.startswith("digitlab: error: ") and message in stderr
    assert len(stderr.strip().splitlines()) == 1
    assert (tmp_path / "package.json").read_text() == '{"name": "my-site"}'


@pytest.mark.parametrize(
    ("args", "option"),
    [(["train", "--epochs", "0"], "--epochs"), (["train", "--epochs", "-1"], "--epochs"),
     (["train", "--epochs", "1000000000"], "--epochs"),
     (["train", "--batch-size", "0"], "--batch-size"),
     (["train", "--learning-rate", "nan"], "--learning-rate"),
     (["train", "--learning-rate", "inf"], "--learning-rate"),
     (["train", "--seed", "-1"], "--seed"), (["train", "--seed", str(10**23)], "--seed"),
     (["train", "--drawn", "-5"], "--drawn"), (["train", "--drawn", "3000000000"], "--drawn"),
     (["train", "--n-val", "60000"], "--n-val"), (["train", "--n-train", "x"], "--n-train"),
     (["train", "--model", "resnet"], "--model"),
     (["course", "run", "--timeout", str(10**30)], "--timeout"),
     (["predict", "x.png", "--threshold", "1.5"], "--threshold")],
)
def test_bad_arguments_are_usage_errors_naming_the_option(args, option, capsys):
    with pytest.raises(SystemExit) as info:
        main(args)
    assert info.value.code == 2
    assert f"error: argument {option}: " in capsys.readouterr().err


def test_training_sizes_are_checked_together(capsys):
    with pytest.raises(SystemExit) as info:
        main(["train", "--n-train", "59000"])  # and the default 5,000 for validation
    assert info.value.code == 2
    assert capsys.readouterr().err.splitlines()[-1] == (
        "digitlab train: error: --n-train 59,000 and --n-val 5,000 ask for more than MNIST's "
        "60,000 training images")


def test_the_shipped_recipe_refuses_training_options_it_decides_itself(capsys):
    with pytest.raises(SystemExit) as info:
        main(["train", "--recipe", "shipped", "--epochs", "3", "--drawn", "10"])
    assert info.value.code == 2
    assert capsys.readouterr().err.splitlines()[-1] == (
        "digitlab train: error: --recipe shipped decides --epochs, --drawn itself: leave them out")


def test_the_shipped_recipe_starts_from_the_mnist_only_model(
    real_mnist, monkeypatch, tmp_path, capsys
):
    from digitlab import recipes
    from digitlab.config import MNIST_ONLY_PATH
    from tests.fake_models import tiny_cnn

    seen = {}

    def shipped(data, start, teaching=None, seed=0):
        seen.update(start=start, seed=seed, n_val=len(data.val[1]))
        return tiny_cnn(), {"model": "tiny", "val_accuracy": 0.5, "test_accuracy": 0.5,
                            "n_test": 10_000, "n_train": 75_000, "training_seconds": 1.0,
                            "teaching": {"epochs": 3}}

    monkeypatch.setattr(recipes, "train_shipped", shipped)
    assert main(["train", "--recipe", "shipped", "--seed", "2", "--out",
                 str(tmp_path / "s.keras")]) == 0
    assert seen == {"start": MNIST_ONLY_PATH, "seed": 2, "n_val": 5000}
    assert "3 epoch(s) on 75,000 images" in capsys.readouterr().out


def _number_options():
    """(option, type) for every option of every subcommand that takes a number."""
    stack = [build_parser()]
    while stack:
        parser = stack.pop()
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                stack.extend(action.choices.values())
            elif action.type is not None:
                yield action.option_strings[-1], action.type


def test_every_number_option_follows_the_one_bounded_rule():
    found = {option for option, _ in _number_options()}
    assert found == set(BOUNDS)
    for option, kind in _number_options():
        low, high = BOUNDS[option]
        assert kind(str(low)) == low and kind(str(high)) == high
        step = 1 if kind.__name__ == "int" else high / 1e6
        for outside in (low - step, high + step):
            with pytest.raises(argparse.ArgumentTypeError, match=f"from {low:,} to {high:,}"):
                kind(str(outside))


def test_predict_is_quiet_and_file_errors_go_to_stderr(tmp_path):
    from digitlab.config import PACKAGE_DIR

    sample = PACKAGE_DIR / "samples" / "7_thick.png"
    notes = tmp_path / "notes.txt"
    notes.write_text("not an image")
    code, stdout, stderr, _ = run_cli("predict", str(sample), str(notes))  # one TensorFlow start
    assert code == 1  # one file failed
    assert stdout == f"{sample}: 7 (100.0%)\n"
    assert stderr == f"{notes}: error: not an image file (expected PNG or JPG)\n"  # no TF log


def test_predict_checks_the_model_file_before_tensorflow_loads(tmp_path):
    code, _, stderr, tf_loaded = run_cli("predict", "x.png", "--model", str(tmp_path / "m.keras"))
    assert (code, tf_loaded) == (1, False)
    assert stderr.strip() == f"digitlab: error: {tmp_path / 'm.keras'}: no such model file " \
        "(train one with `digitlab train`)"


def test_train_refuses_more_images_than_there_are(fake_mnist, monkeypatch, capsys):
    folder, _ = fake_mnist
    monkeypatch.setenv("DIGITLAB_DATA", str(folder))
    assert main(["train", "--n-val", "50", "--n-train", "151"]) == 1
    assert "--n-train 151 is more than the 150 training images" in capsys.readouterr().err


def test_data_fetch_refuses_an_empty_folder_name(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["data", "fetch", "--data-dir", ""]) == 1
    assert capsys.readouterr().err.strip() == (
        "digitlab: error: the data folder is an empty string; give a folder name or omit it")
    assert list(tmp_path.iterdir()) == []


def test_data_fetch(tmp_path, monkeypatch, capsys):
    files = {name: bytes([i]) * 8 for i, name in enumerate(MNIST_FILES)}
    monkeypatch.setitem(fetch_module.__dict__, "MNIST_FILES",
                        {n: sha256(d) for n, d in files.items()})
    monkeypatch.setattr(fetch_module, "default_sources",
                        lambda: [Source("fake", lambda names, scratch: files)])
    assert main(["data", "fetch", "--data-dir", str(tmp_path)]) == 0
    assert capsys.readouterr().out.splitlines() == [
        f"Fetching MNIST into {tmp_path}", f"MNIST is ready in {tmp_path}"]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(MNIST_FILES)


def test_data_fetch_failure_is_one_clear_line(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(fetch_module, "default_sources", lambda: [])
    assert main(["data", "fetch", "--data-dir", str(tmp_path)]) == 1
    assert "digitlab: error: could not get verified MNIST files" in capsys.readouterr().err


def test_train_then_evaluate_json(fake_mnist, monkeypatch, capsys, tmp_path):
    folder, arrays = fake_mnist
    monkeypatch.setenv("DIGITLAB_DATA", str(folder))
    out = tmp_path / "dense.keras"
    assert main(["train", "--model", "dense", "--epochs", "1", "--batch-size", "50",
                 "--n-val", "40", "--n-train", "100", "--out", str(out)]) == 0
    assert "dense: " in capsys.readouterr().out and out.is_file()
    info = read_model_info(out)
    assert {k: info[k] for k in ("model", "seed", "epochs", "n_train", "n_val", "augment")} == {
        "model": "dense", "seed": 0, "epochs": 1, "n_train": 100, "n_val": 40, "augment": None}
    assert info["digitlab_version"] == __version__
    assert info["training_seconds"] > 0
    assert main(["evaluate", str(out), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["model"] == str(out) and report["n"] == 50
    assert info["test_accuracy"] == round(report["accuracy"], 6)  # the saved model's, on test
    x, y = arrays["train"]
    _, (x_val, y_val) = validation_split(x, y, n_val=40, seed=0)
    val = evaluate(load_model(out), x_val, y_val)  # the split the command held out
    assert info["val_accuracy"] == pytest.approx(val.accuracy, abs=1e-6)


def test_train_takes_what_options_leave_unsaid_from_the_models_recipe(
    fake_mnist, monkeypatch, tmp_path
):
    monkeypatch.setenv("DIGITLAB_DATA", str(fake_mnist[0]))
    asked = []

    def recorded(model, x, y, **options):  # no training: only what reaches `train` matters
        asked.append(options)
        return TrainResult({"val_accuracy": [0.5]}, [1.0], [1.0])

    monkeypatch.setattr(train_module, "train", recorded)
    out = tmp_path / "dense.keras"
    common = ["train", "--model", "dense", "--n-val", "40", "--out", str(out)]
    assert main(common) == 0
    assert main([*common, "--epochs", "2", "--learning-rate", "1e-3"]) == 0
    unsaid, said = asked
    assert (unsaid["epochs"], unsaid["learning_rate"]) == (
        RECIPES["dense"]["epochs"], RECIPES["dense"]["learning_rate"])
    assert (said["epochs"], said["learning_rate"]) == (2, 1e-3)
    assert {k: read_model_info(out)[k] for k in ("epochs", "learning_rate")} == {
        "epochs": 2, "learning_rate": 1e-3}


def test_evaluate_reports_bad_model_files(fake_mnist, monkeypatch, capsys, tmp_path):
    folder, _ = fake_mnist
    monkeypatch.setenv("DIGITLAB_DATA", str(folder))
    assert main(["evaluate", str(tmp_path / "missing.keras")]) == 1
    assert "missing.keras: no such model file" in capsys.readouterr().err
    bad = tmp_path / "bad.keras"
    bad.write_bytes(b"not a model")
    assert main(["evaluate", str(bad)]) == 1
    assert "bad.keras: not a .keras model file" in capsys.readouterr().err


def test_evaluate_refuses_a_model_with_nan_weights(fake_mnist, monkeypatch, capsys, tmp_path):
    monkeypatch.setenv("DIGITLAB_DATA", str(fake_mnist[0]))
    model = build_cnn(filters=(4,))
    weights = model.get_weights()
    weights[0].flat[0] = np.nan  # what a diverged training leaves behind
    model.set_weights(weights)
    model.save(tmp_path / "nan.keras")  # save_model would refuse it
    assert main(["evaluate", str(tmp_path / "nan.keras")]) == 1
    assert capsys.readouterr().err.startswith(
        "digitlab: error: cannot evaluate this model: the model's weights contain NaN")


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


def test_quiet_import_hides_only_tensorflows_start_up_log(tmp_path):
    fake = tmp_path / "tensorflow.py"  # a stand-in that writes to fd 2 from "C++" on import
    fake.write_text(
        "import os\n"
        "os.write(2, b'WARNING: All log messages before absl::InitializeLog() is called are "
        "written to STDERR\\n')\n"
        "os.write(2, b'I0000 00:00:1795275876.080561   19888 port.cc:153] oneDNN custom "
        "operations are on.\\n')\n"
        "os.write(2, b'a real problem the user must see\\n')\n"
    )
    code = ("import sys\nfrom digitlab.tflog import import_tensorflow_quietly\n"
            "import_tensorflow_quietly()\nprint('after', file=sys.stderr)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": f"{tmp_path}{os.pathsep}"
                               f"{os.environ.get('PYTHONPATH', '')}"}, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stderr == "a real problem the user must see\nafter\n"


def test_lang_zh_prints_predictions_in_chinese_and_errors_in_english(
        tmp_path, monkeypatch, capsys):
    from fake_models import fixed_predictor

    from digitlab.config import PACKAGE_DIR
    from digitlab.i18n import language
    from digitlab.predict import Predictor

    unsure = fixed_predictor(3, 0.4)
    monkeypatch.setattr(Predictor, "load", classmethod(lambda cls, path, threshold: unsure))
    sample = PACKAGE_DIR / "samples" / "7_thick.png"
    notes = tmp_path / "notes.txt"
    notes.write_text("not an image")
    assert main(["--lang", "zh", "predict", str(sample), str(notes)]) == 1
    out, err = capsys.readouterr()
    assert out == f"{sample}：不确定（最可能是 3，40.0%）\n"
    assert err == f"{notes}：出错：not an image file (expected PNG or JPG)\n"
    assert language() == "en"  # the process's language is back as it was
    monkeypatch.setattr(Predictor, "load", classmethod(
        lambda cls, path, threshold: fixed_predictor(7, 0.9)))
    assert main(["--lang", "zh", "predict", str(sample)]) == 0
    assert capsys.readouterr().out == f"{sample}：7（90.0%）\n"


def test_lang_zh_lessons_summary_and_a_bad_language(tmp_path, capsys):
    from digitlab.lesson_files import edition_dir, lesson_files

    target = tmp_path / "课程"
    assert main(["--lang", "zh", "lessons", str(target)]) == 0  # the Chinese edition
    first = capsys.readouterr().out.splitlines()
    assert first[0] == f"已把 {len(lesson_files(edition_dir('zh')))} 个课程笔记本复制到 {target}"
    assert first[-1].startswith(f"用 `jupyter lab {target}` 打开它们")
    assert main(["lessons", str(target)]) == 0  # English by default
    again = capsys.readouterr().out.splitlines()
    assert again[0] == f"Copied 0 lesson notebooks to {target}"
    assert again[1].startswith(f"Kept {len(lesson_files())} files already there, unchanged")
    with pytest.raises(SystemExit) as info:
        main(["--lang", "fr", "lessons", str(target)])
    assert info.value.code == 2
    assert "argument --lang: invalid choice: 'fr'" in capsys.readouterr().err
