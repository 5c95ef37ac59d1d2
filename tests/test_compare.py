import pytest

from digitlab.compare import accuracy_vs_train_size, compare_models, fit_and_score
from digitlab.data import load_mnist


@pytest.fixture(autouse=True)
def no_fast_mode(monkeypatch):
    monkeypatch.delenv("DIGITLAB_FAST", raising=False)


def test_fit_and_score_summarizes_a_run(fake_mnist):
    folder, _ = fake_mnist
    train_split, test_split = load_mnist(folder)
    run = fit_and_score("dense", train_split, test_split, epochs=2, batch_size=50, verbose=0)
    assert run.name == "dense" and run.params == 113546
    assert run.accuracy == run.result.history["val_accuracy"][-1]
    assert run.seconds == run.result.epoch_seconds[-1] > 0
    assert run.seconds_to_reach(0.0) == run.result.epoch_seconds[0]
    assert run.seconds_to_reach(1.01) is None
    assert run.as_row() == {"name": "dense", "params": 113546, "seconds": run.seconds,
                            "accuracy": run.accuracy}


def test_compare_models_trains_each_named_model(fake_mnist):
    folder, _ = fake_mnist
    runs = compare_models(iter(["dense", "tfjs_cnn"]), *load_mnist(folder), epochs=1,
                          verbose=0)
    assert [r.name for r in runs] == ["dense", "tfjs_cnn"]
    assert runs[0].params != runs[1].params


def test_accuracy_vs_train_size_table(fake_mnist):
    folder, _ = fake_mnist
    table = accuracy_vs_train_size(iter(["dense", "tfjs_cnn"]), *load_mnist(folder),
                                   sizes=[20, 100], epochs=1, batch_size=20)
    assert set(table) == {"dense", "tfjs_cnn"}
    for row in table.values():
        assert set(row) == {20, 100}
        assert all(0.0 <= acc <= 1.0 for acc in row.values())
