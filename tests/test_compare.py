import pytest

from digitlab.compare import (
    REPORTED,
    ComparisonTable,
    RunSummary,
    accuracy_vs_train_size,
    compare_models,
    fit_and_score,
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


def test_accuracy_vs_train_size_table(splits):
    train_split, val_split = splits
    table = accuracy_vs_train_size(iter(["dense", "tfjs_cnn"]), train_split, val_split,
                                   sizes=[20, 100], epochs=1, batch_size=20)
    assert set(table) == {"dense", "tfjs_cnn"}
    for row in table.values():
        assert set(row) == {20, 100}
    # the same seed gives the same subset and training, hence the same score
    again = accuracy_vs_train_size(["dense"], train_split, val_split, sizes=[20], epochs=1,
                                   batch_size=20)
    assert again["dense"][20] == table["dense"][20]


def test_every_model_has_its_write_up_facts():
    assert set(REPORTED) == set(MODELS) - {"cnn_plus"}
    assert REPORTED["assignment_cnn"].accuracy == pytest.approx(0.9943)
    assert REPORTED["tfjs_cnn"].accuracy is None


def test_comparison_table_as_text_and_html():
    runs = [RunSummary("cnn", 215514, 21.4, 0.9912, TrainResult({})),
            RunSummary("assignment_cnn", 110000, 30.0, 0.9875, TrainResult({}))]
    table = ComparisonTable(runs)
    assert str(table).splitlines() == [
        "cnn: validation accuracy 99.12%, 215,514 parameters, 21 s (reported test: -)",
        "assignment_cnn: validation accuracy 98.75%, 110,000 parameters, 30 s "
        "(reported test: 99.43%)",
    ]
    html = table._repr_html_()
    assert html.count("<tr>") == 3 and "B, the university assignment" in html
    assert ">validation accuracy</th>" in html
    assert "<td style=\"text-align:right\">99.12%</td>" in html
