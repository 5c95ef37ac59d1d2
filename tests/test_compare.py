import pytest

from digitlab.compare import (
    REPORTED,
    ComparisonTable,
    RunSummary,
    by_model,
    compare_models,
    fit_and_score,
    sweep_train_sizes,
)
from digitlab.data import load_mnist, validation_split
from digitlab.evaluate import evaluate
from digitlab.models import MODELS
from digitlab.train import TrainResult


@pytest.fixture
def splits(fake_mnist):
    """The training and validation parts of a fake MNIST's training set."""
    folder, _ = fake_mnist
    (x, y), _ = load_mnist(folder)
    return validation_split(x, y, n_val=50)


def test_fit_and_score_scores_on_the_validation_split(splits):
    train_split, val_split = splits
    run = fit_and_score("dense", train_split, val_split, epochs=2, batch_size=50, verbose=0)
    assert run.name == "dense" and run.params == 113546 and run.scored_on == "validation"
    assert run.accuracy == run.result.history["val_accuracy"][-1]
    assert run.accuracy == pytest.approx(evaluate(run.model, *val_split).accuracy)
    assert run.seconds == run.result.epoch_seconds[-1] > 0
    assert run.seconds_to_reach(0.0) == run.result.epoch_seconds[0]
    assert run.seconds_to_reach(1.01) is None
    assert run.seconds_to_reach(0.0, cpu=True) == run.result.epoch_cpu_seconds[0]
    assert run.as_row() == {"name": "dense", "params": 113546, "seconds": run.seconds,
                            "accuracy": run.accuracy}


def test_compare_models_trains_each_named_model(splits):
    runs = compare_models(iter(["dense", "tfjs_cnn"]), *splits, epochs=1, verbose=0)
    assert [r.name for r in runs] == ["dense", "tfjs_cnn"]
    assert [r.params for r in runs] == [r.model.count_params() for r in runs]
    assert runs[0].params != runs[1].params


def test_fit_and_score_names_the_model_before_its_keras_log(splits, capsys):
    fit_and_score("dense", *splits, seed=3, epochs=1, batch_size=50, verbose=2)
    n_train = len(splits[0][0])
    assert capsys.readouterr().out.startswith(f"--- dense, seed 3: training on {n_train} images\n")
    run = fit_and_score("dense", *splits, seed=3, epochs=1, batch_size=50, verbose=0)
    assert capsys.readouterr().out == "" and run.seed == 3


def test_sweep_train_sizes_keeps_each_run(splits):
    train_split, val_split = splits
    table = sweep_train_sizes(iter(["dense", "tfjs_cnn"]), train_split, val_split,
                              sizes=[20, 40], epochs=2, batch_size=20)
    assert set(table) == {"dense", "tfjs_cnn"}
    for name, row in table.items():
        assert set(row) == {20, 40}
        assert all(run.name == name and len(run.result.history["val_accuracy"]) == 2
                   for run in row.values())
    # the same seed gives the same subset and training, hence the same score
    again = sweep_train_sizes(["dense"], train_split, val_split, sizes=[20], epochs=2,
                              batch_size=20)
    assert again["dense"][20].accuracy == table["dense"][20].accuracy


def test_every_model_has_its_write_up_facts():
    assert set(REPORTED) == set(MODELS) - {"cnn_plus"}
    assert REPORTED["assignment_cnn"].accuracy == pytest.approx(0.9943)
    assert REPORTED["tfjs_cnn"].accuracy is None


def test_comparison_table_as_text_and_html():
    runs = [RunSummary("cnn", 215514, 21.4, 0.9912, TrainResult({})),
            RunSummary("assignment_cnn", 110000, 30.0, 0.9875, TrainResult({}))]
    table = ComparisonTable(runs)
    assert str(table).splitlines() == [
        "cnn: validation accuracy 99.12% (1 seed), 215,514 parameters, 21 s (reported test: -)",
        "assignment_cnn: validation accuracy 98.75% (1 seed), 110,000 parameters, 30 s "
        "(reported test: 99.43%)",
    ]
    html = table._repr_html_()
    assert html.count("<tr>") == 3 and "B, the university assignment" in html
    assert ">validation accuracy</th>" in html
    assert "<td style=\"text-align:right\">99.12% (1 seed)</td>" in html


def test_comparison_table_shows_the_seeds_of_a_model_as_one_row():
    runs = [RunSummary("dense", 113546, 10.0, 0.9800, TrainResult({}), seed=0),
            RunSummary("cnn", 215514, 21.0, 0.9912, TrainResult({}), seed=0),
            RunSummary("dense", 113546, 14.0, 0.9830, TrainResult({}), seed=1),
            RunSummary("dense", 113546, 12.0, 0.9821, TrainResult({}), seed=2)]
    assert [(name, [r.seed for r in seeds]) for name, seeds in by_model(runs).items()] == [
        ("dense", [0, 1, 2]), ("cnn", [0])]
    assert str(ComparisonTable(runs)).splitlines()[0] == (
        "dense: validation accuracy mean 98.17% (98.00%-98.30%, 3 seeds), 113,546 parameters, "
        "12 s (reported test: 96.70%)")
